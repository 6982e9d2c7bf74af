from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from djmoney.money import Money

from payments.errors import MissingExchangeRate, MissingPerDiemRate, PaymentError
from payments.money import round_money
from payments.rates import convert, per_diem_rate
from tests.payments.factories import ExchangeRateFactory, PerDiemRateFactory

pytestmark = pytest.mark.django_db


def test_conversion_uses_the_rate_valid_on_its_date():
    ExchangeRateFactory(rate=Decimal("0.9000"), valid_on=date(2028, 7, 1))
    ExchangeRateFactory(rate=Decimal("0.9500"), valid_on=date(2028, 7, 15))

    before = convert(Money("100.00", "USD"), "EUR", date(2028, 7, 14))
    on_the_day = convert(Money("100.00", "USD"), "EUR", date(2028, 7, 15))
    after = convert(Money("100.00", "USD"), "EUR", date(2028, 8, 30))

    assert before.money == Money("90.00", "EUR")
    assert before.valid_on == date(2028, 7, 1)
    assert on_the_day.money == Money("95.00", "EUR")
    assert after.money == Money("95.00", "EUR")
    assert after.valid_on == date(2028, 7, 15)


def test_a_conversion_names_its_rate_source_and_date():
    record = ExchangeRateFactory(rate=Decimal("18.2450"), to_currency="ZAR", source="SARB")

    conversion = convert(Money("10.00", "USD"), "ZAR", date(2028, 7, 23))

    assert conversion.money == Money("182.45", "ZAR")
    assert conversion.as_record() == {
        "from": {"amount": "10.00", "currency": "USD"},
        "to": {"amount": "182.45", "currency": "ZAR"},
        "rate": "18.2450000000",
        "inverted": False,
        "exchange_rate_id": record.pk,
        "stored_rate": "18.2450000000",
        "source": "SARB",
        "valid_on": "2028-07-01",
    }
    assert str(conversion) == "10.00 USD = 182.45 ZAR at 18.245 (SARB, July 1, 2028)"


def test_a_rate_entered_the_other_way_converts_back():
    ExchangeRateFactory(from_currency="EUR", to_currency="ZAR", rate=Decimal("19.8750"))

    conversion = convert(Money("1000.00", "ZAR"), "EUR", date(2028, 7, 23))

    # 1000 / 19.875 = 50.3144654… : divided in Decimal, rounded once.
    assert conversion.money == Money("50.31", "EUR")
    assert conversion.inverted is True
    assert conversion.exchange_rate.rate == Decimal("19.8750")


def test_the_newest_rate_wins_whichever_way_it_was_entered():
    ExchangeRateFactory(from_currency="USD", to_currency="EUR", rate=Decimal("0.9000"))
    ExchangeRateFactory(
        from_currency="EUR", to_currency="USD", rate=Decimal("1.2500"), valid_on=date(2028, 7, 10)
    )

    assert convert(Money("100.00", "EUR"), "USD", date(2028, 7, 5)).money == Money("111.11", "USD")
    assert convert(Money("100.00", "EUR"), "USD", date(2028, 7, 10)).money == Money("125.00", "USD")
    assert convert(Money("100.00", "USD"), "EUR", date(2028, 7, 10)).money == Money("80.00", "EUR")


def test_on_the_same_day_the_rate_in_the_direction_asked_for_wins():
    ExchangeRateFactory(from_currency="USD", to_currency="EUR", rate=Decimal("0.9000"))
    ExchangeRateFactory(from_currency="EUR", to_currency="USD", rate=Decimal("1.2000"))

    assert convert(Money("10.00", "USD"), "EUR", date(2028, 7, 1)).money == Money("9.00", "EUR")
    assert convert(Money("10.00", "EUR"), "USD", date(2028, 7, 1)).money == Money("12.00", "USD")


def test_a_missing_rate_is_an_error_never_one_to_one():
    ExchangeRateFactory(valid_on=date(2028, 7, 1))

    with pytest.raises(MissingExchangeRate) as before_any_rate:
        convert(Money("100.00", "USD"), "EUR", date(2028, 6, 30))
    with pytest.raises(MissingExchangeRate) as other_pair:
        convert(Money("100.00", "USD"), "ZAR", date(2028, 7, 23))

    assert str(before_any_rate.value) == (
        "There is no exchange rate between USD and EUR valid on June 30, 2028. "
        "Enter or import one dated on or before that day."
    )
    assert "USD and ZAR" in str(other_pair.value)
    assert isinstance(other_pair.value, PaymentError)


def test_no_rate_is_needed_within_one_currency():
    conversion = convert(Money("12.345", "USD"), "USD", date(2028, 7, 1))

    assert conversion.money == Money("12.35", "USD")
    assert conversion.exchange_rate is None


@pytest.mark.parametrize(
    ("amount", "rate", "expected"),
    [
        ("1.00", "0.125", "0.13"),  # half a cent goes up (ROUND_HALF_UP)
        ("1.00", "0.135", "0.14"),
        ("3.00", "0.335", "1.01"),  # 1.005 → 1.01 (banker's rounding would give 1.00)
        ("0.01", "0.4", "0.00"),
        ("100.00", "0.918", "91.80"),
    ],
)
def test_a_conversion_is_rounded_to_the_cent_half_up(amount, rate, expected):
    ExchangeRateFactory(rate=Decimal(rate))

    converted = convert(Money(amount, "USD"), "EUR", date(2028, 7, 1)).money

    assert converted == Money(expected, "EUR")
    assert converted.amount.as_tuple().exponent == -2


def test_a_currency_without_cents_is_rounded_to_whole_units():
    ExchangeRateFactory(to_currency="XOF", rate=Decimal("602.15"))

    assert convert(Money("10.00", "USD"), "XOF", date(2028, 7, 1)).money == Money("6022", "XOF")


def test_money_is_never_a_float():
    with pytest.raises(TypeError):
        round_money(0.1, "USD")


def test_a_conversion_takes_a_day_not_a_moment_nor_a_bare_number():
    # A moment has a time zone, and its day depends on it: the caller decides the day.
    with pytest.raises(TypeError):
        convert(Money("1.00", "USD"), "EUR", datetime(2028, 7, 1, 12, tzinfo=UTC))
    with pytest.raises(TypeError):
        convert(Decimal("1.00"), "EUR", date(2028, 7, 1))


def test_the_city_rate_is_used_where_there_is_one():
    PerDiemRateFactory(country="ZA", city="", daily_rate=Money("190.00", "USD"))
    PerDiemRateFactory(country="ZA", city="Cape Town", daily_rate=Money("285.00", "USD"))

    assert per_diem_rate("ZA", "cape  town", date(2028, 7, 23)).daily_rate == Money("285", "USD")
    assert per_diem_rate("ZA", "Durban", date(2028, 7, 23)).daily_rate == Money("190", "USD")
    assert per_diem_rate("ZA", "", date(2028, 7, 23)).daily_rate == Money("190", "USD")


def test_a_city_rate_not_yet_valid_falls_back_to_the_country_rate():
    PerDiemRateFactory(country="ZA", city="", valid_from=date(2028, 1, 1))
    PerDiemRateFactory(
        country="ZA",
        city="Cape Town",
        daily_rate=Money("300.00", "USD"),
        valid_from=date(2028, 8, 1),
    )

    rate = per_diem_rate("ZA", "Cape Town", date(2028, 7, 23))

    assert (rate.city, rate.daily_rate) == ("", Money("190.00", "USD"))


def test_the_rate_valid_on_the_day_is_used():
    PerDiemRateFactory(daily_rate=Money("190.00", "USD"), valid_from=date(2028, 1, 1))
    PerDiemRateFactory(daily_rate=Money("210.00", "USD"), valid_from=date(2028, 7, 1))

    assert per_diem_rate("ZA", "", date(2028, 6, 30)).daily_rate == Money("190.00", "USD")
    assert per_diem_rate("ZA", "", date(2028, 7, 1)).daily_rate == Money("210.00", "USD")


def test_a_place_without_a_rate_is_an_error():
    PerDiemRateFactory(country="ZA", valid_from=date(2028, 1, 1))

    with pytest.raises(MissingPerDiemRate) as no_country:
        per_diem_rate("KE", "Nairobi", date(2028, 7, 23))
    with pytest.raises(MissingPerDiemRate) as too_early:
        per_diem_rate("ZA", "", date(2027, 12, 31))

    assert str(no_country.value) == (
        "There is no per-diem rate for Nairobi, Kenya valid on July 23, 2028."
    )
    assert str(too_early.value) == (
        "There is no per-diem rate for South Africa valid on Dec. 31, 2027."
    )
