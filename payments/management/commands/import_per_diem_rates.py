from payments.imports import PER_DIEM

from ._import import ImportCommand


class Command(ImportCommand):
    help = (
        "Import per-diem rates from a CSV file with the columns "
        "country,city,valid_from,daily_rate,currency. Nothing is imported if any row is bad."
    )
    kind = PER_DIEM
