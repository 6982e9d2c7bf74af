import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.audit import AuditEntry, AuditLogError, log_action, truncate_ip
from scholarships.enums import ApplicationStatus
from scholarships.services import change_application_status
from tests.factories import ApplicationFactory, CallFactory, UserFactory
from tests.helpers import drain, sign_in

pytestmark = pytest.mark.django_db


def actions_by(user):
    return list(
        AuditEntry.objects.filter(actor=user)
        .exclude(action__startswith="login.")
        .order_by("id")
        .values_list("action", "object_id")
    )


def test_coordinator_reads_and_downloads_are_logged_once_each(client):
    application = ApplicationFactory()
    application.support_letter.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=True)
    coordinator = UserFactory(coordinator=True)
    sign_in(client, coordinator)

    client.get(
        reverse(
            "scholarships:application-manage-detail", kwargs={"public_id": application.public_id}
        )
    )
    drain(
        client.get(
            reverse("scholarships:application-letter", kwargs={"public_id": application.public_id})
        )
    )

    reference = str(application.public_id)
    assert actions_by(coordinator) == [
        ("application.viewed", reference),
        ("application.letter_downloaded", reference),
    ]
    entry = AuditEntry.objects.get(action="application.viewed")
    assert entry.ip_network == "127.0.0.0"


def test_status_changes_and_withdrawals_are_logged_with_before_and_after(client):
    application = ApplicationFactory()
    coordinator = UserFactory(coordinator=True)

    change_application_status(application, to=ApplicationStatus.UNDER_REVIEW, by=coordinator)

    entry = AuditEntry.objects.get(action="application.status_changed")
    assert (entry.actor, entry.data) == (coordinator, {"from": "submitted", "to": "under_review"})
    sign_in(client, application.applicant)
    client.post(
        reverse("scholarships:application-withdraw", kwargs={"public_id": application.public_id})
    )
    assert actions_by(application.applicant) == [
        ("application.status_changed", str(application.public_id))
    ]


def test_call_status_changes_are_logged(client):
    call = CallFactory(draft=True)
    coordinator = UserFactory(coordinator=True)
    sign_in(client, coordinator)

    client.post(
        reverse("scholarships:call-change-status", kwargs={"slug": call.slug}),
        {"status": "published"},
    )

    assert actions_by(coordinator) == [("call.status_changed", str(call.pk))]


def test_entries_cannot_be_changed_or_deleted():
    entry = log_action(actor=None, action="test.action")

    entry.action = "changed"
    with pytest.raises(AuditLogError):
        entry.save()
    with pytest.raises(AuditLogError):
        entry.delete()
    with pytest.raises(AuditLogError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="changed")
    with pytest.raises(AuditLogError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


def test_the_admin_cannot_add_change_or_delete_entries(client):
    entry = log_action(actor=None, action="test.action")
    sign_in(client, UserFactory(admin=True))

    assert client.get(reverse("admin:accounts_auditentry_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:accounts_auditentry_change", args=[entry.pk]), {"action": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:accounts_auditentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


def test_an_erased_account_leaves_its_entries_without_identity():
    user = UserFactory()
    entry = log_action(actor=user, action="test.action")

    user.delete()

    entry.refresh_from_db()
    assert entry.actor is None and entry.action == "test.action"


def test_coordinators_filter_the_log_and_reading_it_is_logged(client):
    application = ApplicationFactory()
    log_action(actor=None, action="application.viewed", obj=application)
    log_action(actor=None, action="other.thing")
    coordinator = UserFactory(coordinator=True)
    sign_in(client, coordinator)

    response = client.get(reverse("audit-log"), {"action": "application.viewed"})

    assert [entry.action for entry in response.context["page"]] == ["application.viewed"]
    assert AuditEntry.objects.filter(actor=coordinator, action="audit.read").count() == 1


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.54", "203.0.113.0"),
        ("2001:db8:1234:5678::1", "2001:db8:1234::"),
        ("::ffff:203.0.113.54", "203.0.113.0"),
        ("bogus", ""),
    ],
)
def test_addresses_are_cut_to_their_network(address, network):
    assert truncate_ip(address) == network


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.1", "10.0.0.1"),  # no proxy: the header is the client's lie
        (1, "6.6.6.6, 203.0.113.5", "10.0.0.1", "203.0.113.5"),  # the proxy's own entry
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "10.0.0.1", "203.0.113.5"),
        (1, "", "10.0.0.1", "10.0.0.1"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    settings, rf, proxies, forwarded, remote, expected
):
    from accounts.audit import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)

    assert client_ip(request) == expected


def test_the_audit_page_lists_every_entry_including_its_own_reading(client):
    coordinator = UserFactory(coordinator=True)
    sign_in(client, coordinator)  # login.succeeded

    response = client.get(reverse("audit-log"))

    assert [entry.action for entry in response.context["page"]] == ["audit.read", "login.succeeded"]
