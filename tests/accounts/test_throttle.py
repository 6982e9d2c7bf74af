import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.audit import AuditEntry
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

THROTTLED = "Too many attempts. Please wait a few minutes and try again."


def attempt(client, email, password="wrong-password", ip="198.51.100.7"):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def visible_text(response):
    # The page without its per-request CSRF token.
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode())


def test_an_account_is_throttled_after_five_failures_even_with_the_right_password(client):
    UserFactory(email="amara@example.org")
    for _ in range(5):
        assert THROTTLED not in attempt(client, "amara@example.org").content.decode()

    response = attempt(client, "amara@example.org", password=PASSWORD)

    assert THROTTLED in response.content.decode()
    assert "_auth_user_id" not in client.session
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=16)):
        assert attempt(client, "amara@example.org", password=PASSWORD).status_code == 302


def test_known_and_unknown_addresses_get_the_same_answers(client):
    UserFactory(email="amara@example.org")

    for _ in range(5):
        known, unknown = attempt(client, "amara@example.org"), attempt(client, "nobody@example.org")
        assert visible_text(known).replace("amara", "X") == visible_text(unknown).replace(
            "nobody", "X"
        )
    known, unknown = attempt(client, "amara@example.org"), attempt(client, "nobody@example.org")

    assert THROTTLED in known.content.decode() and THROTTLED in unknown.content.decode()


def test_one_network_is_throttled_after_twenty_failures_across_accounts(client):
    for number in range(20):
        attempt(client, f"person{number}@example.org", ip="203.0.113.9")

    assert THROTTLED in attempt(client, "someone@example.org", ip="203.0.113.200").content.decode()
    assert THROTTLED not in attempt(client, "someone@example.org", ip="192.0.2.1").content.decode()


def test_a_successful_login_forgets_the_accounts_failures(client):
    UserFactory(email="amara@example.org")
    for _ in range(4):
        attempt(client, "amara@example.org")
    attempt(client, "amara@example.org", password=PASSWORD)
    client.logout()

    for _ in range(4):
        attempt(client, "amara@example.org")

    assert attempt(client, "amara@example.org", password=PASSWORD).status_code == 302


def test_password_resets_are_throttled_silently(client, django_capture_on_commit_callbacks):
    UserFactory(email="amara@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(reverse("accounts:password-reset"), {"email": "amara@example.org"})
            for _ in range(8)
        ]

    assert {response.status_code for response in answers} == {302}
    assert len(mail.outbox) == 5


def test_failed_logins_are_logged_without_the_address_tried(client):
    attempt(client, "secret-person@example.org")

    entry = AuditEntry.objects.get(action="login.failed")
    assert entry.actor is None
    assert entry.ip_network == "198.51.100.0"
    assert "secret-person" not in str(entry.data)


def test_old_records_and_finished_emails_are_pruned(client):
    from io import StringIO

    from django.core.management import call_command

    from accounts.throttle import AuthFailure
    from notifications.models import OutgoingEmail
    from tests.factories import queue_reset_email

    attempt(client, "someone@example.org")
    sent = queue_reset_email(UserFactory())
    OutgoingEmail.objects.filter(pk=sent.pk).update(status="sent")
    waiting = queue_reset_email(UserFactory())

    with time_machine.travel(timezone.now() + timezone.timedelta(days=31)):
        call_command("prune_records", stdout=StringIO())

    assert AuthFailure.objects.count() == 0
    assert list(OutgoingEmail.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_used_addresses_answer_the_same_and_count_against_the_network(client):
    UserFactory(email="amara@example.org")
    signup = {
        "email": "amara@example.org",
        "display_name": "X",
        "preferred_language": "en",
        "time_zone": "UTC",
        "password1": "purple-river-lantern-42",
        "password2": "purple-river-lantern-42",
    }
    for _ in range(20):
        response = client.post(reverse("accounts:signup"), signup, REMOTE_ADDR="198.51.100.9")
        assert "This address cannot be used." in response.content.decode()

    response = client.post(
        reverse("accounts:signup"),
        signup | {"email": "new@example.org"},
        REMOTE_ADDR="198.51.100.9",
    )

    assert THROTTLED in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_cannot_slip_under_the_limit():
    import threading

    from django.db import connection
    from django.test import RequestFactory

    from accounts.forms import ThrottledLoginForm

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database cannot hold concurrent writers")
    UserFactory(email="amara@example.org")
    barrier = threading.Barrier(12)
    answers = []

    def guess():
        try:
            request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.7")
            form = ThrottledLoginForm(
                request, data={"username": "amara@example.org", "password": "wrong"}
            )
            barrier.wait()
            form.is_valid()
            answers.append("throttled" if form.has_error("__all__", "throttled") else "checked")
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers.count("checked") <= 5
    assert len(answers) == 12
