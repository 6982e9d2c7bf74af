from payments.imports import EXCHANGE

from ._import import ImportCommand


class Command(ImportCommand):
    help = (
        "Import exchange rates from a CSV file with the columns "
        "from_currency,to_currency,rate,valid_on,source. Nothing is imported if any row is bad."
    )
    kind = EXCHANGE
