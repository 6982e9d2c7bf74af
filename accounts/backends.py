"""The sign-in backend: Django's ModelBackend, loading one more fact with the user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from .two_factor import TOTPDevice


class UserBackend(ModelBackend):
    """Load whether the person has an authenticator app in the query that loads them.

    `TwoFactorMiddleware` asks this on every request of a signed-in person whose session
    has not given a second factor (every applicant, on every page): answered here, it
    costs nothing more than the user's own row. The answer is the state when the
    request began; `has_confirmed_device` reads it.
    """

    def get_user(self, user_id):
        try:
            user = (
                get_user_model()
                ._default_manager.annotate(
                    confirmed_device_loaded=Exists(
                        TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
                    )
                )
                .get(pk=user_id)
            )
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
