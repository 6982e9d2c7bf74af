import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def time_zone_names():
    return sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


def validate_time_zone(value):
    if value not in time_zone_names():
        raise ValidationError(_("Choose a time zone from the list."), code="invalid_time_zone")
