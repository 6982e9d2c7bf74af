from django.core.management.base import BaseCommand

from notifications.services import sweep_outbox


class Command(BaseCommand):
    help = "Re-enqueue outbox emails that are due for a retry or were left stuck by a dead worker."

    def handle(self, *args, **options):
        count = sweep_outbox()
        self.stdout.write(f"{count} email(s) enqueued.")
