from django.urls import path

from . import views, views_two_factor

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("language/", views.set_language, name="set-language"),
    path("my-data/", views.my_data, name="my-data"),
    path("delete/", views.delete_account, name="delete-account"),
    path("two-factor/setup/", views_two_factor.two_factor_setup, name="two-factor-setup"),
    path("two-factor/verify/", views_two_factor.two_factor_verify, name="two-factor-verify"),
    path("two-factor/disable/", views_two_factor.two_factor_disable, name="two-factor-disable"),
    path("confirm/", views_two_factor.reauthenticate, name="reauthenticate"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_done, name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("password-reset/done/", views.password_reset_complete, name="password-reset-complete"),
]
