from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Preparatory meetings")

    def ready(self):
        from accounts import personal_data

        from . import services

        personal_data.register(
            "meetings",
            export=services.export_meetings,
            erase=services.erase_meetings,
        )
