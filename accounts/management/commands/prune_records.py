from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.throttle import prune_failures
from notifications.enums import EmailStatus
from notifications.models import OutgoingEmail


class Command(BaseCommand):
    help = "Delete throttling records past their window and finished emails past --days (daily)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Keep finished emails this long.")

    def handle(self, *args, days, **options):
        failures = prune_failures()
        emails, _by_model = OutgoingEmail.objects.filter(
            status__in=[EmailStatus.SENT, EmailStatus.FAILED],
            updated_at__lt=timezone.now() - timedelta(days=days),
        ).delete()
        self.stdout.write(f"{failures} throttling record(s) and {emails} email(s) deleted.")
