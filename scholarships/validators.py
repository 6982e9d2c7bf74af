from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .enums import SupportKind


def validate_support_kinds(value):
    if not isinstance(value, list) or not set(value) <= set(SupportKind.values):
        raise ValidationError(_("Choose kinds of support from the list."), code="invalid_support")
