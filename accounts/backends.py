"""The sign-in backend: Django's ModelBackend, loading one more fact with the user."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Exists, OuterRef

from config.compiled import CompiledQuery

from .models import User
from .two_factor import TOTPDevice

# Loading the signed-in person is the one query of every request: compiled once a
# process (config.compiled), with whether they have a confirmed authenticator app.
USER = CompiledQuery(
    lambda pk: (
        User._default_manager.order_by()
        .annotate(
            confirmed_device_loaded=Exists(
                TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
            )
        )
        .filter(pk=pk)
    ),
    pk=User._meta.pk,
)


class UserBackend(ModelBackend):
    """Load whether the person has an authenticator app in the query that loads them.

    `TwoFactorMiddleware` asks this on every request of a signed-in person whose session
    has not given a second factor (every applicant, on every page): answered here, it
    costs nothing more than the user's own row. The answer is the state when the
    request began; `has_confirmed_device` reads it.
    """

    def get_user(self, user_id):
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        low, high = connection.ops.integer_field_range(User._meta.pk.get_internal_type())
        if not low <= user_id <= high:  # as the ORM's lookup: no such person
            return None
        user = USER.first(pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
