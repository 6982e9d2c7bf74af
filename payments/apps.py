from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self):
        from accounts import personal_data

        from . import personal_data as payments_data

        personal_data.register(
            "payments",
            export=payments_data.export_payments,
            erase=payments_data.erase_payments,
            blockers=payments_data.erasure_blockers,
        )
        # The prep meetings' slot finder learns awardees' travel dates from the budgets.
        if apps.is_installed("meetings"):
            from meetings.travel import register_travel_dates

            from .travel import travel_dates

            register_travel_dates(travel_dates)
