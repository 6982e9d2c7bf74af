"""Funds and rates in the admin site: finance administrators only, every write through
the services, and CSV imports that name every bad row and import nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from djmoney.money import Money

from accounts.audit import AuditEntry
from payments.models import ExchangeRate, Fund, FundAllocation, PerDiemRate
from tests.factories import CallFactory, UserFactory
from tests.helpers import sign_in
from tests.payments.factories import (
    ExchangeRateFactory,
    FundAllocationFactory,
    FundFactory,
    PerDiemRateFactory,
)
from tests.payments.test_imports import PER_DIEM_CSV

pytestmark = pytest.mark.django_db

MODELS = ["fund", "fundallocation", "exchangerate", "perdiemrate"]


@pytest.fixture
def finance_client(client):
    sign_in(client, UserFactory(finance=True, is_staff=True))
    return client


def objects():
    return {
        "fund": FundFactory(),
        "fundallocation": FundAllocationFactory(),
        "exchangerate": ExchangeRateFactory(),
        "perdiemrate": PerDiemRateFactory(),
    }


def test_finance_administrators_open_every_page(finance_client):
    for name, instance in objects().items():
        for url in (
            reverse(f"admin:payments_{name}_changelist"),
            reverse(f"admin:payments_{name}_add"),
            reverse(f"admin:payments_{name}_change", args=[instance.pk]),
        ):
            assert finance_client.get(url).status_code == 200, url
    for name in ("exchangerate", "perdiemrate"):
        assert finance_client.get(reverse(f"admin:payments_{name}_import")).status_code == 200
    assert b"payments/fund/" in finance_client.get(reverse("admin:index")).content


@pytest.mark.parametrize("role", ["admin", "coordinator", "reviewer"])
def test_other_staff_see_no_fund_and_no_rate(client, role):
    # Admin-site access, and for "admin" every Django permission, but not the finance role.
    sign_in(client, UserFactory(**{role: True}, is_staff=True))
    instances = objects()

    for name, instance in instances.items():
        assert client.get(reverse(f"admin:payments_{name}_changelist")).status_code == 403
        change = reverse(f"admin:payments_{name}_change", args=[instance.pk])
        assert client.get(change).status_code == 403
    for name in ("exchangerate", "perdiemrate"):
        assert client.get(reverse(f"admin:payments_{name}_import")).status_code == 403
    assert b"payments/fund/" not in client.get(reverse("admin:index")).content


def test_finance_without_admin_site_access_is_sent_to_its_login(client):
    sign_in(client, UserFactory(finance=True))

    response = client.get(reverse("admin:payments_fund_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_fund_added_in_the_admin_is_logged(finance_client):
    response = finance_client.post(
        reverse("admin:payments_fund_add"),
        {
            "donor": "Nordic Rights Fund",
            "name": "Participation grant 2028",
            "amount_0": "95000.00",
            "amount_1": "EUR",
            "period_start": "2028-01-01",
            "period_end": "2028-12-31",
            "restrictions": "",
            "notes": "",
            "allocations-TOTAL_FORMS": "0",
            "allocations-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    fund = Fund.objects.get()
    assert fund.amount == Money("95000.00", "EUR")
    assert AuditEntry.objects.filter(action="fund.created", object_id=str(fund.pk)).exists()


def test_an_over_allocation_in_the_admin_is_refused_on_the_form(finance_client):
    fund = FundFactory(amount=Money("1000.00", "USD"))
    call = CallFactory()

    response = finance_client.post(
        reverse("admin:payments_fundallocation_add"),
        {"fund": fund.pk, "call": call.pk, "amount_0": "1000.01", "amount_1": "USD", "notes": ""},
    )

    assert response.status_code == 200
    assert "is more" in str(response.context["adminform"].form.non_field_errors())
    assert not FundAllocation.objects.exists()

    response = finance_client.post(
        reverse("admin:payments_fundallocation_add"),
        {"fund": fund.pk, "call": call.pk, "amount_0": "400.00", "amount_1": "USD", "notes": ""},
    )
    assert response.status_code == 302
    assert FundAllocation.objects.get().amount == Money("400.00", "USD")
    assert AuditEntry.objects.filter(action="fund.allocated").count() == 1


def test_a_per_diem_rate_with_a_negative_amount_is_refused_on_the_form(finance_client):
    response = finance_client.post(
        reverse("admin:payments_perdiemrate_add"),
        {
            "country": "ZA",
            "city": "",
            "daily_rate_0": "-1.00",
            "daily_rate_1": "USD",
            "valid_from": "2028-01-01",
        },
    )

    assert response.status_code == 200
    assert not PerDiemRate.objects.exists()


def upload(client, name, text, *, dry_run):
    data = {"file": SimpleUploadedFile("rates.csv", text.encode(), content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse(f"admin:payments_{name}_import"), data)


def test_an_uploaded_file_with_one_bad_row_imports_nothing_and_names_the_row(finance_client):
    text = PER_DIEM_CSV + "ZA,Durban,2028-01-01,abc,USD\n"

    response = upload(finance_client, "perdiemrate", text, dry_run=False)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was imported" in content
    assert "Line 6: “abc” in daily_rate is not a number." in content
    assert PerDiemRate.objects.count() == 0


def test_an_uploaded_file_is_checked_by_a_dry_run_then_imported(finance_client):
    response = upload(finance_client, "perdiemrate", PER_DIEM_CSV, dry_run=True)

    assert response.status_code == 200
    assert "Dry run, nothing saved: 4 rate(s) would be added" in response.content.decode()
    assert PerDiemRate.objects.count() == 0

    response = upload(finance_client, "perdiemrate", PER_DIEM_CSV, dry_run=False)

    assert response.status_code == 302
    assert PerDiemRate.objects.count() == 4
    assert AuditEntry.objects.get(action="rates.imported").data["file"] == "rates.csv"


def test_exchange_rates_are_uploaded_too(finance_client):
    text = "from_currency,to_currency,rate,valid_on,source\nUSD,KES,129.40,2028-07-01,CBK\n"

    response = upload(finance_client, "exchangerate", text, dry_run=False)

    assert response.status_code == 302
    assert str(ExchangeRate.objects.get()) == "1 USD = 129.4 KES (2028-07-01)"


def test_an_admin_without_the_finance_role_cannot_import(client):
    sign_in(client, UserFactory(admin=True))

    response = upload(client, "perdiemrate", PER_DIEM_CSV, dry_run=False)

    assert response.status_code == 403
    assert PerDiemRate.objects.count() == 0


def test_the_fund_list_takes_as_many_queries_for_six_funds_as_for_two(finance_client):
    def queries_for_the_list():
        with CaptureQueriesContext(connection) as queries:
            assert finance_client.get(reverse("admin:payments_fund_changelist")).status_code == 200
        return len(queries)

    for _ in range(2):
        FundAllocationFactory()
    queries_for_the_list()  # the first request also refreshes the session
    two = queries_for_the_list()
    for _ in range(4):
        FundAllocationFactory(fund=FundFactory(amount=Money("5000.00", "EUR")))

    assert queries_for_the_list() == two
