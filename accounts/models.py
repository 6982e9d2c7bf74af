import rules
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .enums import Role
from .validators import validate_time_zone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using the portal. Everyone who signs up is an applicant; staff add roles.

    The display name is chosen by the person and is never a legal name: legal names
    are asked for only once an award is accepted, and stored encrypted elsewhere.
    """

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        help_text=_("The name we use to greet you. It does not need to be your legal name."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    country = CountryField(_("country of residence"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    is_reviewer = models.BooleanField(_("reviewer"), default=False)
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    is_finance = models.BooleanField(_("finance administrator"), default=False)
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("May log in to the administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(preferred_language__in=[c for c, _n in settings.LANGUAGES]),
                name="user_preferred_language_valid",
            ),
        ]

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name

    def has_perm(self, perm, obj=None):
        # The portal's own permissions (rules.py) follow roles only: an admin account
        # is no shortcut to applicants' data. Django's model permissions, which the
        # admin site uses, keep their usual meaning.
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    @property
    def roles(self):
        """The roles this person holds, applicant first: everyone may apply."""
        held = [Role.APPLICANT]
        held += [
            role
            for role, flag in (
                (Role.REVIEWER, self.is_reviewer),
                (Role.COORDINATOR, self.is_coordinator),
                (Role.FINANCE, self.is_finance),
            )
            if flag
        ]
        return held


from .audit import AuditEntry  # noqa: E402, F401
from .throttle import AuthFailure  # noqa: E402, F401
from .two_factor import RecoveryCode, RecoveryCodeDevice, TOTPDevice  # noqa: E402, F401
