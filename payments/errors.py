"""The payments app's own errors: each message is translated and shown to the user."""


class PaymentError(Exception):
    """A change or a calculation that the rules of the portal refuse."""


class MissingExchangeRate(PaymentError):
    """No rate between two currencies is valid on the date asked for: never a silent 1:1."""


class MissingPerDiemRate(PaymentError):
    """No per-diem rate for a place is valid on the date asked for."""
