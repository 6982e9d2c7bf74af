from django.apps import AppConfig
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
