"""CSV imports: every bad row named by its line, and nothing imported if any row is bad."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from djmoney.money import Money

from accounts.audit import AuditEntry
from payments.imports import EXCHANGE, PER_DIEM
from payments.models import ExchangeRate, PerDiemRate
from payments.rates import convert
from payments.services import import_rates
from tests.payments.factories import ExchangeRateFactory, PerDiemRateFactory

pytestmark = pytest.mark.django_db

PER_DIEM_CSV = (
    "country,city,valid_from,daily_rate,currency\n"
    "ZA,Cape Town,2028-01-01,285.00,USD\n"
    "ZA,,2028-01-01,190,USD\n"
    "KEN,Nairobi,2028-01-01,264.50,USD\n"
    "SN,Dakar,2028-01-01,150000,XOF\n"
)

EXCHANGE_CSV = (
    "from_currency,to_currency,rate,valid_on,source\n"
    "USD,ZAR,18.2450,2028-07-01,Reserve Bank\n"
    "eur,zar,19.875,2028-07-01,Reserve Bank\n"
)


def lines(report):
    return [(error.line, error.message) for error in report.errors]


def test_a_correct_per_diem_file_is_imported():
    report = import_rates(PER_DIEM_CSV.encode(), kind=PER_DIEM, by=None)

    assert report.ok
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    assert sorted(
        PerDiemRate.objects.values_list("country", "city", "daily_rate", "daily_rate_currency")
    ) == [
        ("KE", "Nairobi", Decimal("264.50"), "USD"),
        ("SN", "Dakar", Decimal("150000.00"), "XOF"),
        ("ZA", "", Decimal("190.00"), "USD"),
        ("ZA", "Cape Town", Decimal("285.00"), "USD"),
    ]
    assert AuditEntry.objects.get(action="rates.imported").data["created"] == 4


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row():
    text = PER_DIEM_CSV + "ZA,Durban,2028-01-01,-12.00,USD\n"

    report = import_rates(text.encode(), kind=PER_DIEM, by=None)

    assert lines(report) == [(6, "daily_rate must be more than zero.")]
    assert str(report.errors[0]) == "Line 6: daily_rate must be more than zero."
    assert report.summary() == (
        "1 bad row(s): nothing was imported. Correct the file and import it again."
    )
    assert PerDiemRate.objects.count() == 0
    assert not AuditEntry.objects.filter(action="rates.imported").exists()


def test_every_bad_row_is_reported_with_its_line_number():
    text = (
        "\ufeffcountry,city,valid_from,daily_rate,currency\n"  # a spreadsheet's BOM
        "ZA,Cape Town,2028-01-01,285.00,USD\n"
        "XX,Nowhere,2028-01-01,100.00,USD\n"
        "ZA,Durban,01/07/2028,100.00,USD\n"
        'ZA,Pretoria,2028-01-01,"1,250.00",USD\n'
        "\n"
        "ZA,Soweto,2028-01-01,100.00,ABC\n"
        "ZA,Gqeberha,2028-01-01,100.00,JPY\n"
        "ZA,Paarl,2028-01-01,100.005,USD\n"
        "SN,Thiès,2028-01-01,100.50,XOF\n"
        "ZA,cape town,2028-01-01,290.00,USD\n"
        "ZA,,2028-01-01,NaN,USD\n"
        ",,,,\n"
        "ZA,Stellenbosch,2028-01-01,100.00,USD,extra\n"
    )

    report = import_rates(text.encode(), kind=PER_DIEM, by=None)

    assert lines(report) == [
        (3, "“XX” is not a country: use its ISO code, such as ZA or ZAF."),
        (4, "“01/07/2028” in valid_from is not a date written as YYYY-MM-DD."),
        (5, "“1,250.00” in daily_rate is not a number (no thousands separator)."),
        (7, "“ABC” in currency is not an ISO 4217 currency code, such as USD."),
        (
            8,
            "JPY is not one of this portal's currencies (BRL, CAD, CHF, EUR, GBP, INR, KES, "
            "MXN, THB, USD, XOF, ZAR); an administrator can add it to the CURRENCIES setting.",
        ),
        (9, "daily_rate has more than 2 decimal(s): 100.005."),
        (10, "daily_rate has more than 0 decimal(s): 100.50."),
        (11, "The same rate is already on line 2."),
        (12, "“NaN” in daily_rate is not a number."),
        (14, "The line has more cells than the first line has columns."),
    ]
    assert PerDiemRate.objects.count() == 0


def test_a_dry_run_says_what_would_change_and_saves_nothing():
    PerDiemRateFactory(country="ZA", city="Cape Town", daily_rate=Money("280.00", "USD"))
    PerDiemRateFactory(country="ZA", city="", daily_rate=Money("190.00", "USD"))

    report = import_rates(PER_DIEM_CSV.encode(), kind=PER_DIEM, by=None, dry_run=True)

    assert (report.created, report.updated, report.unchanged) == (2, 1, 1)
    assert report.summary() == (
        "Dry run, nothing saved: 2 rate(s) would be added, 1 changed and 1 are already there."
    )
    assert PerDiemRate.objects.count() == 2
    assert PerDiemRate.objects.get(city="Cape Town").daily_rate == Money("280.00", "USD")


def test_importing_again_replaces_a_rate_with_its_currency():
    # A rate saved one by one, not with bulk_update: its currency changes too.
    PerDiemRateFactory(country="SN", city="Dakar", daily_rate=Money("150000", "USD"))

    report = import_rates(PER_DIEM_CSV.encode(), kind=PER_DIEM, by=None)

    assert report.updated == 1
    assert PerDiemRate.objects.get(city="Dakar").daily_rate == Money("150000", "XOF")


def test_a_header_that_does_not_match_is_line_one():
    report = import_rates(b"country;city;valid_from\nZA;;2028-01-01\n", kind=PER_DIEM, by=None)

    assert lines(report) == [
        (
            1,
            "The first line must name the columns country,city,valid_from,daily_rate,currency; "
            "it has country;city;valid_from.",
        )
    ]


def test_a_file_that_is_not_utf8_names_the_line():
    text = "country,city,valid_from,daily_rate,currency\nCI,Yamoussoukro,2028-01-01,9,XOF\n"
    data = text.encode() + "CI,Grand-Bérébi,2028-01-01,9,XOF\n".encode("latin-1")

    report = import_rates(data, kind=PER_DIEM, by=None)

    assert lines(report) == [(3, "The file is not UTF-8 text (save it as “CSV UTF-8”).")]


def test_a_text_file_with_a_byte_order_mark_is_read():
    report = import_rates("\ufeff" + PER_DIEM_CSV, kind=PER_DIEM, by=None, dry_run=True)

    assert (report.ok, report.created) == (True, 4)


def test_an_empty_file_is_refused():
    report = import_rates(b"country,city,valid_from,daily_rate,currency\n", kind=PER_DIEM, by=None)

    assert lines(report) == [(1, "The file has no rows under its first line.")]


def test_exchange_rates_are_imported_and_used():
    report = import_rates(EXCHANGE_CSV.encode(), kind=EXCHANGE, by=None)

    assert report.ok, report.errors
    assert ExchangeRate.objects.count() == 2
    conversion = convert(Money("100.00", "USD"), "ZAR", date(2028, 7, 23))
    assert (conversion.money, conversion.source) == (Money("1824.50", "ZAR"), "Reserve Bank")


def test_bad_exchange_rate_rows_are_all_named():
    text = EXCHANGE_CSV + (
        "USD,USD,1,2028-07-01,Reserve Bank\n"
        "USD,EUR,0,2028-07-01,Reserve Bank\n"
        "USD,EUR,0.92,2028-07-01,\n"
        "USD,ZAR,18.3,2028-07-01,Reserve Bank\n"
    )

    report = import_rates(text.encode(), kind=EXCHANGE, by=None)

    assert lines(report) == [
        (4, "A rate is between two different currencies."),
        (5, "rate must be more than zero."),
        (6, "source is empty."),
        (7, "The same rate is already on line 2."),
    ]
    assert ExchangeRate.objects.count() == 0


def test_the_command_imports_a_good_file(tmp_path, capsys):
    path = tmp_path / "dsa.csv"
    path.write_text(PER_DIEM_CSV, encoding="utf-8")

    call_command("import_per_diem_rates", str(path))

    assert PerDiemRate.objects.count() == 4
    assert "Imported: 4 rate(s) added, 0 changed, 0 already there." in capsys.readouterr().out


def test_the_command_dry_run_saves_nothing(tmp_path, capsys):
    path = tmp_path / "rates.csv"
    path.write_text(EXCHANGE_CSV, encoding="utf-8")

    call_command("import_exchange_rates", str(path), "--dry-run")

    assert ExchangeRate.objects.count() == 0
    assert "Dry run, nothing saved: 2 rate(s) would be added" in capsys.readouterr().out


def test_the_command_with_one_bad_row_imports_nothing_and_names_it(tmp_path, capsys):
    ExchangeRateFactory(from_currency="USD", to_currency="ZAR", rate=Decimal("18.0000"))
    path = tmp_path / "rates.csv"
    path.write_text(EXCHANGE_CSV + "USD,KES,abc,2028-07-01,Central Bank\n", encoding="utf-8")

    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import_exchange_rates", str(path))

    assert "Line 4: “abc” in rate is not a number." in capsys.readouterr().err
    assert list(ExchangeRate.objects.values_list("to_currency", "rate")) == [
        ("ZAR", Decimal("18.0000000000"))
    ]


def test_the_command_says_when_it_cannot_read_the_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_per_diem_rates", str(tmp_path / "missing.csv"))
