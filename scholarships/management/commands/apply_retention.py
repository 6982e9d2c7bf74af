from django.core.management.base import BaseCommand

from scholarships.services import applications_due_for_retention, apply_retention


class Command(BaseCommand):
    help = "Anonymise applications whose call's retention period is over (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be erased.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            due = applications_due_for_retention()
            self.stdout.write(f"{due.count()} application(s) would be anonymised or deleted.")
            return
        anonymised, deleted = apply_retention()
        self.stdout.write(f"{anonymised} application(s) anonymised, {deleted} draft(s) deleted.")
