from django.core.management.base import BaseCommand

from scholarships.decisions import lapse_unanswered_awards, remind_awardees


class Command(BaseCommand):
    help = (
        "Lapse awards whose reply-by date has passed everywhere, and remind awardees whose "
        "date is near (run hourly)."
    )

    def handle(self, *args, **options):
        lapsed = lapse_unanswered_awards()
        reminded = remind_awardees()
        self.stdout.write(f"{lapsed} award(s) lapsed, {reminded} reminder(s) queued.")
