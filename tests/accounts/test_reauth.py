"""AU-8 and MO-7: what a stolen, still-open session must not do without the password."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp

from accounts.audit import AuditEntry
from tests.factories import ApplicationFactory, UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(minutes=6)


def code_for(device):
    return f"{totp(device.bin_key):06d}"


def test_an_export_long_after_login_asks_for_the_password_then_comes_back(client):
    user = UserFactory()
    ApplicationFactory(applicant=user)
    sign_in(client, user)
    url = reverse("accounts:my-data") + "?format=json"
    assert client.get(url)["Content-Type"].startswith("application/json")  # just logged in

    with time_machine.travel(LATER, tick=False):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:reauthenticate"))
        assert AuditEntry.objects.filter(action="personal_data.exported").count() == 1

        wrong = client.post(response.url, {"password": "not it", "next": url})
        assert wrong.status_code == 400
        right = client.post(response.url, {"password": "a-long-test-passphrase", "next": url})
        assert right.status_code == 302 and right.url == url
        assert client.get(url)["Content-Type"].startswith("application/json")
    assert AuditEntry.objects.filter(actor=user, action="account.reauthenticated").count() == 1


def test_staff_confirm_with_their_password_and_a_code(client):
    from accounts.two_factor import TOTPDevice

    coordinator = UserFactory(coordinator=True)
    sign_in(client, coordinator)
    device = TOTPDevice.objects.get(user=coordinator)
    page = reverse("accounts:reauthenticate") + "?next=/manage/calls/"

    with time_machine.travel(LATER, tick=False):
        no_code = client.post(page, {"password": "a-long-test-passphrase"})
        assert no_code.status_code == 400
        response = client.post(
            page, {"password": "a-long-test-passphrase", "code": code_for(device)}
        )
    assert response.status_code == 302 and response.url == "/manage/calls/"


def test_an_outside_next_address_is_not_followed(client):
    user = UserFactory()
    sign_in(client, user)

    response = client.post(
        reverse("accounts:reauthenticate"),
        {"password": "a-long-test-passphrase", "next": "https://evil.example/"},
    )

    assert response.status_code == 302 and response.url == "/"


def test_a_coordinators_csv_export_long_after_login_asks_first(client):
    coordinator = UserFactory(coordinator=True)
    sign_in(client, coordinator)
    call = ApplicationFactory().call
    export = reverse("scholarships:call-ranking", kwargs={"slug": call.slug}) + "?format=csv"

    with time_machine.travel(LATER, tick=False):
        response = client.get(export)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    assert not AuditEntry.objects.filter(action="ranking.exported").exists()
