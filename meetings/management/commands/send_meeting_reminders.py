from django.core.management.base import BaseCommand

from meetings.services import send_due_reminders


class Command(BaseCommand):
    help = (
        "Remind participants of meetings that start within 24 hours (each person once). "
        "Run it every 15 minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Leave the work to the task worker instead of doing it now.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from meetings.tasks import send_meeting_reminders_task

            send_meeting_reminders_task.enqueue()
            self.stdout.write("Reminders enqueued for the task worker.")
            return
        count = send_due_reminders()
        self.stdout.write(f"{count} reminder(s) queued.")
