"""What the two import commands share: read a file, report every bad row, exit non-zero."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from payments.services import import_rates


class ImportCommand(BaseCommand):
    kind = None

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file (UTF-8, comma-separated).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and say what would change, without saving anything.",
        )

    def handle(self, *args, path, dry_run=False, **options):
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        report = import_rates(
            data, kind=self.kind, by=None, dry_run=dry_run, filename=Path(path).name
        )
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
