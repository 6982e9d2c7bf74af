"""Reading per-diem and exchange-rate CSV files into checked rows, without writing anything.

Every row is checked and every problem reported with its line number (the header is
line 1, as a spreadsheet numbers it); `payments.services.import_rates` writes the
rows only when there is no problem at all.

Per-diem file:      country,city,valid_from,daily_rate,currency
Exchange-rate file: from_currency,to_currency,rate,valid_on,source

UTF-8 (a spreadsheet's byte-order mark is fine), comma-separated, dates as YYYY-MM-DD,
amounts with a decimal point and no thousands separator (1234.50).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django_countries import countries
from djmoney.money import Money
from djmoney.settings import CURRENCY_CHOICES
from moneyed import CURRENCIES

from .models import MONEY, RATE
from .money import decimal_places

MAX_ROWS = 50_000
PER_DIEM = "per-diem"
EXCHANGE = "exchange"
COLUMNS = {
    PER_DIEM: ["country", "city", "valid_from", "daily_rate", "currency"],
    EXCHANGE: ["from_currency", "to_currency", "rate", "valid_on", "source"],
}
OPTIONAL = {"city"}


@dataclass(frozen=True)
class BadRow:
    line: int
    message: str

    def __str__(self):
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class PerDiemRow:
    line: int
    country: str
    city: str
    valid_from: date
    daily_rate: Money

    @property
    def key(self):
        return (self.country, self.city.lower(), self.valid_from)


@dataclass(frozen=True)
class ExchangeRow:
    line: int
    from_currency: str
    to_currency: str
    rate: Decimal
    valid_on: date
    source: str

    @property
    def key(self):
        return (self.from_currency, self.to_currency, self.valid_on)


@dataclass
class ImportReport:
    """What a file holds, what is wrong with it, and what importing it did (or would do)."""

    kind: str
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self):
        return not self.errors

    def summary(self):
        if self.errors:
            return _(
                "%(count)d bad row(s): nothing was imported. Correct the file and import it again."
            ) % {"count": len({error.line for error in self.errors})}
        if self.dry_run:
            template = _(
                "Dry run, nothing saved: %(created)d rate(s) would be added, %(updated)d "
                "changed and %(unchanged)d are already there."
            )
        else:
            template = _(
                "Imported: %(created)d rate(s) added, %(updated)d changed, %(unchanged)d "
                "already there."
            )
        return template % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


class _Row:
    """One CSV row being checked: collects every problem, then yields a value or None."""

    def __init__(self, line, cells, errors):
        self.line, self.cells, self.errors = line, cells, errors
        self.bad = False

    def fail(self, message):
        self.bad = True
        self.errors.append(BadRow(self.line, message))

    def text(self, column, *, max_length=200):
        value = " ".join((self.cells.get(column) or "").split())
        if not value and column not in OPTIONAL:
            self.fail(_("%(column)s is empty.") % {"column": column})
        elif len(value) > max_length:
            self.fail(
                _("%(column)s is longer than %(limit)d characters.")
                % {"column": column, "limit": max_length}
            )
        return value

    def country(self, column):
        value = self.text(column)
        if not value:
            return ""
        code = countries.alpha2(value) or countries.by_name(value)
        if not code:
            self.fail(
                _("“%(value)s” is not a country: use its ISO code, such as ZA or ZAF.")
                % {"value": value}
            )
        return code

    def currency(self, column):
        value = self.text(column).upper()
        if not value:
            return ""
        if value not in CURRENCIES or value == "XXX":
            self.fail(
                _("“%(value)s” in %(column)s is not an ISO 4217 currency code, such as USD.")
                % {"value": value, "column": column}
            )
        elif value not in {code for code, _name in CURRENCY_CHOICES}:
            self.fail(
                _(
                    "%(value)s is not one of this portal's currencies (%(allowed)s); "
                    "an administrator can add it to the CURRENCIES setting."
                )
                % {
                    "value": value,
                    "allowed": ", ".join(sorted(code for code, _name in CURRENCY_CHOICES)),
                }
            )
        else:
            return value
        return ""

    def date(self, column):
        value = self.text(column)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(
                _("“%(value)s” in %(column)s is not a date written as YYYY-MM-DD.")
                % {"value": value, "column": column}
            )
            return None

    def decimal(self, column, *, places, max_digits):
        value = self.text(column)
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            hint = _(" (no thousands separator)") if "," in value else ""
            self.fail(
                _("“%(value)s” in %(column)s is not a number%(hint)s.")
                % {"value": value, "column": column, "hint": hint}
            )
            return None
        if number <= 0:
            self.fail(_("%(column)s must be more than zero.") % {"column": column})
            return None
        if number.adjusted() >= max_digits - places:
            self.fail(_("%(column)s is too large: %(value)s.") % {"column": column, "value": value})
            return None
        # 100.00 XOF is 100 francs; 100.50 XOF is not an amount that can be paid.
        if number != number.quantize(Decimal(1).scaleb(-places)):
            self.fail(
                _("%(column)s has more than %(places)d decimal(s): %(value)s.")
                % {"column": column, "places": places, "value": value}
            )
            return None
        return number


def _decode(file):
    data = file.read() if hasattr(file, "read") else file
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _NotText(data[: error.start].count(b"\n") + 1) from error


class _NotText(Exception):
    def __init__(self, line):
        self.line = line


def parse(file, kind):
    """Check every row of a `kind` file. Returns an ImportReport with the rows and every
    problem; writes nothing."""
    report = ImportReport(kind=kind)
    try:
        text = _decode(file)
    except _NotText as problem:
        report.errors.append(
            BadRow(problem.line, _("The file is not UTF-8 text (save it as “CSV UTF-8”)."))
        )
        return report
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lstrip("\ufeff").lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    expected = COLUMNS[kind]
    missing = [name for name in expected if name not in header]
    unknown = [name for name in header if name not in expected]
    if missing or unknown or len(set(header)) != len(header):
        report.errors.append(
            BadRow(
                1,
                _("The first line must name the columns %(expected)s; it has %(found)s.")
                % {"expected": ",".join(expected), "found": ",".join(header) or _("nothing")},
            )
        )
        return report
    seen = {}
    for cells in reader:
        line = reader.line_num
        if not any((value or "").strip() for value in cells.values() if isinstance(value, str)):
            continue  # a blank line
        if len(report.rows) + len(report.errors) >= MAX_ROWS:
            report.errors.append(
                BadRow(line, _("The file has more than %(limit)d rows.") % {"limit": MAX_ROWS})
            )
            break
        row = _Row(line, cells, report.errors)
        if None in cells:
            row.fail(_("The line has more cells than the first line has columns."))
        parsed = _per_diem(row) if kind == PER_DIEM else _exchange(row)
        if row.bad:
            continue
        if parsed.key in seen:
            row.fail(_("The same rate is already on line %(line)d.") % {"line": seen[parsed.key]})
            continue
        seen[parsed.key] = line
        report.rows.append(parsed)
    if not report.rows and not report.errors:
        report.errors.append(BadRow(1, _("The file has no rows under its first line.")))
    return report


def _per_diem(row):
    country = row.country("country")
    city = row.text("city", max_length=100)
    valid_from = row.date("valid_from")
    currency = row.currency("currency")
    places = decimal_places(currency) if currency else MONEY["decimal_places"]
    amount = row.decimal("daily_rate", places=places, max_digits=MONEY["max_digits"])
    if row.bad:
        return None
    return PerDiemRow(row.line, country, city, valid_from, Money(amount, currency))


def _exchange(row):
    from_currency = row.currency("from_currency")
    to_currency = row.currency("to_currency")
    if from_currency and from_currency == to_currency:
        row.fail(_("A rate is between two different currencies."))
    rate = row.decimal("rate", places=RATE["decimal_places"], max_digits=RATE["max_digits"])
    valid_on = row.date("valid_on")
    source = row.text("source")
    if row.bad:
        return None
    return ExchangeRow(row.line, from_currency, to_currency, rate, valid_on, source)
