import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.audit import AuditEntry
from accounts.backends import UserBackend
from accounts.models import User
from accounts.two_factor import RecoveryCode, RecoveryCodeDevice, TOTPDevice
from tests.factories import PASSWORD, UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def log_in(client, user):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})


def set_up(client, user):
    """Walk the set-up pages; return the device and the recovery codes shown."""
    client.post(reverse("accounts:two-factor-setup"), {"start": "1"})
    device = TOTPDevice.objects.get(user=user)
    page = client.post(
        reverse("accounts:two-factor-setup"), {"code": device.current_token()}
    ).content.decode()
    return TOTPDevice.objects.get(pk=device.pk), re.findall(
        r"<code>([0-9a-f]{4}-[0-9a-f]{4})</code>", page
    )


def test_a_coordinator_sets_up_an_app_and_reaches_staff_pages():
    from django.test import Client

    client = Client()
    user = UserFactory(coordinator=True)
    log_in(client, user)
    assert client.get(reverse("scholarships:call-manage-list"))["Location"].startswith(
        reverse("accounts:two-factor-setup")
    )
    intro = client.get(reverse("accounts:two-factor-setup"))
    assert intro.status_code == 200 and "<svg" not in intro.content.decode()
    assert not TOTPDevice.objects.exists()  # a GET creates nothing

    shown = client.post(reverse("accounts:two-factor-setup"), {"start": "1"}).content.decode()
    assert "<svg" in shown
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert device.secret_for_typing.replace(" ", "") in shown.replace(" ", "")
    wrong = client.post(reverse("accounts:two-factor-setup"), {"code": "000000"})
    assert "This code is not right." in wrong.content.decode()

    with time_machine.travel(timezone.now() + timedelta(seconds=2)):  # after the slow-down
        device, codes = set_up(client, user)

    assert device.confirmed and len(codes) == 10
    assert client.get(reverse("scholarships:call-manage-list")).status_code == 200
    assert AuditEntry.objects.filter(actor=user, action="two_factor.enabled").count() == 1


def test_next_login_asks_for_the_code_and_a_code_works_once(client):
    user = UserFactory(finance=True)
    sign_in(client, user)
    device = TOTPDevice.objects.get(user=user)
    client.logout()

    log_in(client, user)
    assert client.get(reverse("accounts:profile"))["Location"].startswith(
        reverse("accounts:two-factor-verify")
    )
    code = device.current_token()
    response = client.post(
        reverse("accounts:two-factor-verify"), {"code": code, "next": "/accounts/profile/"}
    )
    assert response["Location"] == "/accounts/profile/"
    assert client.get(reverse("accounts:profile")).status_code == 200

    client.logout()
    log_in(client, user)
    again = client.post(reverse("accounts:two-factor-verify"), {"code": code})
    assert again.status_code == 200  # the same code is refused the second time
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_wrong_codes_slow_down_further_tries(client):
    user = UserFactory(reviewer=True)
    sign_in(client, user)
    device = TOTPDevice.objects.get(user=user)
    client.logout()
    log_in(client, user)
    verify = reverse("accounts:two-factor-verify")
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        client.post(verify, {"code": "123456"})  # 1st failure: 1 s to wait
        assert client.post(verify, {"code": device.current_token()}).status_code == 200
    with time_machine.travel(start + timedelta(seconds=2), tick=False):
        client.post(verify, {"code": "123456"})  # 2nd failure: 2 s to wait
    with time_machine.travel(start + timedelta(seconds=3), tick=False):
        assert client.post(verify, {"code": device.current_token()}).status_code == 200
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        assert client.post(verify, {"code": device.current_token()}).status_code == 302

    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_recovery_code_works_once_and_is_stored_hashed(client):
    user = UserFactory(coordinator=True)
    log_in(client, user)
    _device, codes = set_up(client, user)
    client.logout()

    log_in(client, user)
    assert client.post(reverse("accounts:two-factor-verify"), {"code": codes[0]}).status_code == 302
    client.logout()
    log_in(client, user)
    assert client.post(reverse("accounts:two-factor-verify"), {"code": codes[0]}).status_code == 200
    assert RecoveryCodeDevice.objects.get(user=user).remaining() == 9
    stored = list(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not set(codes) & set(stored)
    assert all(code.replace("-", "") not in "".join(stored) for code in codes)


def test_the_authenticator_secret_is_encrypted_in_the_database(client):
    user = UserFactory(coordinator=True)
    log_in(client, user)
    device, _codes = set_up(client, user)

    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM accounts_totpdevice WHERE id = %s", [device.pk])
        (raw,) = cursor.fetchone()

    assert device.key not in raw and raw.startswith("gAAAAA")


def test_an_applicant_may_turn_it_on_and_off_but_staff_may_not_turn_it_off(client):
    applicant = UserFactory()
    log_in(client, applicant)
    set_up(client, applicant)
    client.post(reverse("accounts:two-factor-disable"), {"password": "wrong"})
    assert TOTPDevice.objects.filter(user=applicant).exists()
    client.post(reverse("accounts:two-factor-disable"), {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=applicant).exists()

    staff = UserFactory(coordinator=True)
    sign_in(client, staff)
    client.post(reverse("accounts:two-factor-disable"))
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_an_outside_next_address_is_ignored(client):
    user = UserFactory(coordinator=True)
    sign_in(client, user)
    device = TOTPDevice.objects.get(user=user)
    client.logout()
    log_in(client, user)

    response = client.post(
        reverse("accounts:two-factor-verify"),
        {"code": device.current_token(), "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("scholarships:call-list")


def test_a_failed_try_does_not_bring_back_a_used_code():
    user = UserFactory(coordinator=True)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    code = device.current_token()

    assert device.verify_token(code) is True
    assert TOTPDevice.objects.get(pk=device.pk).verify_token("000000") is False
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        assert TOTPDevice.objects.get(pk=device.pk).verify_token(code) is False
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 2


def test_after_setting_up_the_continue_link_is_an_address_not_a_url_name(client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("accounts:two-factor-setup"), {"start": "1"})
    device = TOTPDevice.objects.get(user=user)
    page = client.post(reverse("accounts:two-factor-setup"), {"code": device.current_token()})

    assert 'href="scholarships:' not in page.content.decode()
    assert f'href="{reverse("scholarships:call-list")}"' in page.content.decode()


def test_the_sign_in_backend_loads_whether_the_person_has_a_confirmed_app():
    person, other = UserFactory(), UserFactory()
    TOTPDevice.objects.create(user=other, name="app", confirmed=True)
    backend = UserBackend()
    assert backend.get_user(person.pk).confirmed_device_loaded is False
    device = TOTPDevice.objects.create(user=person, name="app", confirmed=False)
    assert backend.get_user(person.pk).confirmed_device_loaded is False
    device.confirmed = True
    device.save()
    assert backend.get_user(person.pk).confirmed_device_loaded is True
    assert backend.get_user(other.pk + person.pk + 1000) is None


def test_the_sign_in_backend_loads_every_field_of_the_person_in_one_query(
    django_assert_num_queries,
):
    person = UserFactory(display_name="Ana", preferred_language="fr", is_reviewer=True)

    with django_assert_num_queries(1):
        loaded = UserBackend().get_user(person.pk)
        values = {
            field.attname: (type(getattr(loaded, field.attname)), getattr(loaded, field.attname))
            for field in User._meta.fields
        }

    from_orm = User.objects.get(pk=person.pk)
    assert loaded.get_deferred_fields() == set()
    assert values == {
        field.attname: (type(getattr(from_orm, field.attname)), getattr(from_orm, field.attname))
        for field in User._meta.fields
    }
    assert type(loaded.confirmed_device_loaded) is bool
    assert UserBackend().get_user(str(person.pk)).email == person.email
    assert UserBackend().get_user("not a number") is None
    assert UserBackend().get_user(2**70) is None


def test_the_sign_in_backend_refuses_a_deactivated_person():
    person = UserFactory(is_active=False)

    assert UserBackend().get_user(person.pk) is None


def test_a_page_reads_the_person_loaded_with_their_second_factor_state(client):
    from django.contrib.auth.models import AnonymousUser

    visitor = client.get(reverse("scholarships:call-list")).wsgi_request.user
    assert type(visitor) is AnonymousUser and not visitor.is_verified()

    applicant = UserFactory()
    client.force_login(applicant)
    person = client.get(reverse("scholarships:call-list")).wsgi_request.user
    assert type(person) is User and person.pk == applicant.pk
    assert not person.is_verified() and person.otp_device is None

    client.logout()
    coordinator = UserFactory(coordinator=True)
    log_in(client, coordinator)
    set_up(client, coordinator)
    staff = client.get(reverse("scholarships:call-manage-list")).wsgi_request.user
    assert type(staff) is User and staff.pk == coordinator.pk
    assert staff.is_verified() and staff.otp_device.user_id == coordinator.pk
