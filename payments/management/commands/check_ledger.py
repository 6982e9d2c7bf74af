"""Prove that the ledger, the budgets, their lines, the disbursements and the fund balances
agree to the cent; exit non-zero naming each disagreement (for cron and CI)."""

from django.core.management.base import BaseCommand, CommandError

from payments.ledger import check_ledger


class Command(BaseCommand):
    help = "Check that the payments ledger and the recorded balances agree to the cent."

    def handle(self, *args, **options):
        problems = check_ledger()
        if problems:
            raise CommandError("\n".join(["The ledger does not add up:", *problems]))
        self.stdout.write("The ledger adds up.")
