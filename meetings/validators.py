from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_languages(value):
    known = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, list) or not set(value) <= known:
        raise ValidationError(_("Choose languages from the list."), code="invalid")
