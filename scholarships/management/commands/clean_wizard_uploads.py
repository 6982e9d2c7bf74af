from datetime import timedelta

from django.core.management.base import BaseCommand

from scholarships.services import clean_abandoned_uploads


class Command(BaseCommand):
    help = "Delete application-form uploads that no draft names any more (run hourly)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="Keep files younger than this.")

    def handle(self, *args, hours, **options):
        count = clean_abandoned_uploads(older_than=timedelta(hours=hours))
        self.stdout.write(f"{count} abandoned upload(s) deleted.")
