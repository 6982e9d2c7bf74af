import json
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse

from accounts.audit import AuditEntry
from accounts.models import User
from notifications.models import OutgoingEmail
from scholarships.models import Application
from scholarships.services import apply_retention
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    CallFactory,
    ConferenceFactory,
    UserFactory,
    queue_reset_email,
)
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

MINE = "MINE-sentinel-quiet-room"
THEIRS = "THEIRS-sentinel-other-person"


@pytest.fixture
def two_people():
    me = UserFactory(display_name="Amara", email="amara@example.org")
    other = UserFactory(display_name="Olena", email="olena@example.org")
    call = CallFactory()
    mine = ApplicationFactory(call=call, applicant=me, access_needs=MINE, organisation_name=MINE)
    ApplicationFactory(call=call, applicant=other, access_needs=THEIRS, organisation_name=THEIRS)
    mine.support_letter.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=True)
    queue_reset_email(me)
    queue_reset_email(other)
    return me, other, mine


def test_the_export_holds_everything_about_me_and_nothing_about_others(client, two_people):
    me, _other, mine = two_people
    sign_in(client, me)

    response = client.get(reverse("accounts:my-data"), {"format": "json"})

    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    text = response.content.decode()
    data = json.loads(text)
    assert data["account"]["email"] == "amara@example.org"
    assert [item["reference"] for item in data["applications"]] == [str(mine.public_id)]
    assert MINE in text and "Amara" in text
    assert len(data["emails"]) == 1
    assert THEIRS not in text and "olena" not in text.lower()
    assert AuditEntry.objects.filter(actor=me, action="personal_data.exported").count() == 1


def test_the_readable_page_shows_the_same(client, two_people):
    me, _other, _mine = two_people
    sign_in(client, me)

    page = client.get(reverse("accounts:my-data")).content.decode()

    assert MINE in page and THEIRS not in page


def test_erasing_my_account_needs_my_password(client, two_people):
    me, _other, _mine = two_people
    sign_in(client, me)

    response = client.post(reverse("accounts:delete-account"), {"password": "wrong"})

    assert "This password is not right." in response.content.decode()
    assert User.objects.filter(pk=me.pk).exists()


def test_erasing_my_account_leaves_nothing_personal_and_keeps_totals(
    client, two_people, django_capture_on_commit_callbacks
):
    me, other, mine = two_people
    draft = ApplicationFactory(
        applicant=me, is_draft=True, draft={"step_data": {"x": {"y": [MINE]}}}
    )
    letter = mine.support_letter.name
    sign_in(client, me)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:delete-account"), {"password": PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(pk=me.pk).exists()
    assert not Application.objects.filter(pk=draft.pk).exists()
    kept = Application.objects.get(pk=mine.pk)
    assert (kept.applicant, kept.access_needs, kept.organisation_name) == (None, "", "")
    assert (kept.region, kept.gender, kept.status) == ("africa", "woman", "submitted")
    assert not default_storage.exists(letter)
    assert not OutgoingEmail.objects.filter(recipient="amara@example.org").exists()
    assert OutgoingEmail.objects.filter(user=other).count() == 1
    assert Application.objects.get(applicant=other).access_needs == THEIRS
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM scholarships_application")
        rows = str(cursor.fetchall())
    assert "amara" not in rows.lower()
    assert AuditEntry.objects.filter(action="account.erased").count() == 1
    assert client.get(reverse("accounts:profile")).status_code == 302  # logged out


def test_retention_anonymises_calls_past_their_period_and_nothing_else(two_people):
    me, other, mine = two_people
    old = CallFactory(
        conference=ConferenceFactory(start_date=date(2024, 7, 1), end_date=date(2024, 7, 5)),
        retention_days=365,
    )
    expired = ApplicationFactory(call=old, access_needs=MINE, gender_self_description=MINE)
    old_draft = ApplicationFactory(call=old, is_draft=True)

    anonymised, deleted = apply_retention(today=date(2025, 7, 6))

    assert (anonymised, deleted) == (1, 1)
    expired.refresh_from_db()
    assert (expired.applicant, expired.access_needs, expired.gender_self_description) == (
        None,
        "",
        "",
    )
    assert expired.anonymised_at is not None
    assert not Application.objects.filter(pk=old_draft.pk).exists()
    assert Application.objects.get(pk=mine.pk).access_needs == MINE  # its call runs on
    assert apply_retention(today=date(2025, 7, 6)) == (0, 0)


def test_retention_waits_until_the_period_is_over():
    call = CallFactory(
        conference=ConferenceFactory(start_date=date(2024, 7, 1), end_date=date(2024, 7, 5)),
        retention_days=365,
    )
    ApplicationFactory(call=call)

    assert call.retention_ends_on == date(2025, 7, 5)
    assert apply_retention(today=date(2025, 7, 5)) == (0, 0)
    assert apply_retention(today=date(2025, 7, 5) + timedelta(days=1)) == (1, 0)


def test_the_admin_previews_what_retention_will_erase(client):
    call = CallFactory()
    ApplicationFactory.create_batch(3, call=call)
    sign_in(client, UserFactory(admin=True, coordinator=True))

    response = client.post(
        reverse("admin:scholarships_call_changelist"),
        {"action": "preview_retention", "_selected_action": [call.pk]},
        follow=True,
    )

    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 1 and "3 application(s) and 0 letter(s) will be erased." in messages[0]
    assert Application.objects.filter(call=call, anonymised_at__isnull=True).count() == 3


def test_anonymising_redacts_the_audit_entries_that_would_say_who_it_was(client):
    from accounts.audit import log_action
    from scholarships.services import anonymise_application

    application = ApplicationFactory()
    coordinator = UserFactory(coordinator=True)
    log_action(actor=application.applicant, action="application.submitted", obj=application)
    log_action(actor=coordinator, action="application.viewed", obj=application)

    anonymise_application(application)

    entries = AuditEntry.objects.filter(action__in=["application.submitted", "application.viewed"])
    assert [(e.actor, e.object_id, e.ip_network, e.redacted) for e in entries] == [
        (None, "", "", True),
        (None, "", "", True),
    ]
    assert not AuditEntry.objects.filter(object_id=str(application.public_id)).exists()


def test_one_failing_application_does_not_stop_retention(monkeypatch):
    from scholarships import services

    old = CallFactory(
        conference=ConferenceFactory(start_date=date(2024, 7, 1), end_date=date(2024, 7, 5)),
        retention_days=30,
    )
    first, second = ApplicationFactory(call=old), ApplicationFactory(call=old)
    real = services.anonymise_application

    def flaky(application):
        if application.pk == first.pk:
            raise OSError("storage unavailable")
        return real(application)

    monkeypatch.setattr(services, "anonymise_application", flaky)

    assert apply_retention(today=date(2025, 1, 1)) == (1, 0)
    assert Application.objects.get(pk=second.pk).anonymised_at is not None
    assert Application.objects.get(pk=first.pk).anonymised_at is None


def test_the_export_holds_a_drafts_saved_steps_too(client):
    me = UserFactory()
    ApplicationFactory(
        applicant=me,
        is_draft=True,
        draft={
            "step_data": {
                "eligibility": {"eligibility-q1": ["yes"]},
                "about": {"about-access_needs": [MINE]},
            }
        },
    )
    sign_in(client, me)

    data = json.loads(client.get(reverse("accounts:my-data"), {"format": "json"}).content)

    assert data["applications"][0]["draft_steps"]["eligibility"] == {"eligibility-q1": ["yes"]}
    assert MINE in json.dumps(data)


def test_the_readable_page_names_things_in_the_readers_language(client):
    from django.utils import translation

    me = UserFactory(preferred_language="fr")
    ApplicationFactory(applicant=me)
    sign_in(client, me)

    page = client.get(reverse("accounts:my-data")).content.decode()

    with translation.override("fr"):
        assert str(User._meta.get_field("display_name").verbose_name) in page
        assert translation.pgettext("application status", "Submitted") in page
    assert "display_name" not in page
