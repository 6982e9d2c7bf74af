from django.db import models
from django.utils.translation import gettext_lazy as _


class ConferenceKind(models.TextChoices):
    INTERNATIONAL_AIDS = "international_aids", _("International AIDS conference")
    REGIONAL_AIDS = "regional_aids", _("Regional AIDS conference")
    UN_MEETING = "un_meeting", _("UN meeting")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    """The network's five regions. Which country belongs to which is data (CountryRegion)."""

    AFRICA = "africa", _("Africa")
    ASIA_PACIFIC = "asia_pacific", _("Asia and the Pacific")
    EUROPE = "europe", _("Europe (with Central Asia)")
    LATIN_AMERICA = "latin_america", _("Latin America")
    NORTH_AMERICA_CARIBBEAN = "north_america_caribbean", _("North America and the Caribbean")
