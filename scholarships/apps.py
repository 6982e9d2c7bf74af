from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScholarshipsConfig(AppConfig):
    name = "scholarships"
    verbose_name = _("Scholarships")

    def ready(self):
        from accounts import personal_data

        from . import services

        personal_data.register(
            "applications",
            export=services.export_applications,
            erase=services.erase_applications,
        )
