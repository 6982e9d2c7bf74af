from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.two_factor import TOTPDevice


class Command(BaseCommand):
    help = "Print the current code of a demo account's authenticator (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("Demo codes are for development: DEBUG is off.")
        device = TOTPDevice.objects.filter(
            user__email__iexact=email, name="demo", confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"No demo authenticator for {email}: run load_demo first.")
        self.stdout.write(device.current_token())
