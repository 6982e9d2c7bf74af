from django.contrib import admin
from django.urls import include, path

from .views import health

urlpatterns = [
    path("", include("scholarships.urls")),
    path("accounts/", include("accounts.urls")),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
]
