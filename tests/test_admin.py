"""The admin site: every model of ours has a working list, add and change page."""

import pytest
from django.contrib import admin
from django.urls import reverse
from djmoney.money import Money

from notifications.enums import EmailStatus
from notifications.models import OutgoingEmail
from payments.models import AirfareEstimate, TravelPolicy
from scholarships.models import BalancePolicy, Decision, SelectionRun
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    ReviewAssignmentFactory,
    UserFactory,
    queue_reset_email,
)
from tests.helpers import sign_in
from tests.payments.factories import (
    ExchangeRateFactory,
    FundAllocationFactory,
    FundFactory,
    PerDiemRateFactory,
)

pytestmark = pytest.mark.django_db

OUR_APPS = {"accounts", "conferences", "scholarships", "notifications", "payments"}


@pytest.fixture
def admin_client(client):
    # Funds and rates are for finance administrators only, a superuser included.
    sign_in(client, UserFactory(admin=True, finance=True))
    return client


def our_models():
    return [model for model in admin.site._registry if model._meta.app_label in OUR_APPS]


def test_every_model_of_ours_is_in_the_admin():
    registered = {model._meta.label for model in our_models()}

    assert registered == {
        "accounts.User",
        "accounts.AuditEntry",
        "conferences.Conference",
        "conferences.CountryRegion",
        "scholarships.Call",
        "scholarships.Application",
        "scholarships.ReviewAssignment",
        "scholarships.BalancePolicy",
        "scholarships.SelectionRun",
        # Read-only: decisions change through the coordinator's pages. Passport
        # details (TravellerDetails) are not in the admin at all: reading them is logged.
        "scholarships.Decision",
        "notifications.OutgoingEmail",
        "payments.Fund",
        "payments.FundAllocation",
        "payments.ExchangeRate",
        "payments.PerDiemRate",
        "payments.TravelPolicy",
        "payments.AirfareEstimate",
    }


def test_every_admin_list_and_change_page_opens(admin_client):
    call = CallFactory()
    user = UserFactory()
    email = queue_reset_email(user)
    objects = {
        "accounts.User": user,
        "accounts.AuditEntry": None,
        "conferences.Conference": call.conference,
        "conferences.CountryRegion": None,
        "scholarships.Call": call,
        "scholarships.Application": ApplicationFactory(call=call),
        "scholarships.ReviewAssignment": ReviewAssignmentFactory(),
        "scholarships.BalancePolicy": BalancePolicy.objects.create(call=call),
        "scholarships.SelectionRun": SelectionRun.objects.create(
            call=call, objective="merit", inputs_hash="0" * 64, status="optimal"
        ),
        "scholarships.Decision": Decision.objects.create(
            application=ApplicationFactory(call=call, status="not_selected"), outcome="regret"
        ),
        "notifications.OutgoingEmail": email,
        "payments.Fund": FundFactory(),
        "payments.FundAllocation": FundAllocationFactory(call=call),
        "payments.ExchangeRate": ExchangeRateFactory(),
        "payments.PerDiemRate": PerDiemRateFactory(),
        "payments.TravelPolicy": TravelPolicy.objects.create(call=call),
        "payments.AirfareEstimate": AirfareEstimate.objects.create(
            call=call, region="africa", amount=Money("900.00", "USD")
        ),
    }

    for model in our_models():
        info = (model._meta.app_label, model._meta.model_name)
        assert admin_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
        instance = objects[model._meta.label] or model.objects.first()
        change = reverse("admin:{}_{}_change".format(*info), args=[instance.pk])
        assert admin_client.get(change).status_code == 200, model


def test_a_call_created_in_the_admin_is_read_in_the_conference_zone(admin_client):
    conference = CallFactory().conference  # Africa/Johannesburg, UTC+2
    data = {
        "conference": conference.pk,
        "slug": "new-call",
        "opens_at_0": "2027-03-01",
        "opens_at_1": "09:00",
        "closes_at_0": "2027-03-31",
        "closes_at_1": "23:59",
        "number_of_awards": "12",
        "reviewers_per_application": "3",
        "retention_days": "730",
        "support_offered": ["airfare"],
    }
    for inline in ("eligibility_questions", "motivation_questions", "criteria", "panel"):
        data |= {f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"}
    for name in ("title", "public_name", "summary", "description", "eligibility"):
        for index in range(5):
            data[f"{name}_{index}"] = f"{name} text" if index == 0 else ""

    response = admin_client.post(reverse("admin:scholarships_call_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    call = type(conference).objects.get(pk=conference.pk).calls.get(slug="new-call")
    assert call.closes_at.isoformat() == "2027-03-31T21:59:00+00:00"
    assert call.status == "draft"


def test_admin_resends_a_failed_email(admin_client, django_capture_on_commit_callbacks):
    email = queue_reset_email(UserFactory(preferred_language="fr"))
    OutgoingEmail.objects.filter(pk=email.pk).update(status=EmailStatus.FAILED, attempts=8)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:notifications_outgoingemail_changelist"),
            {"action": "resend", "_selected_action": [email.pk]},
        )

    assert response.status_code == 302
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)


def test_the_admin_site_is_closed_to_coordinators_without_staff_access(client):
    sign_in(client, UserFactory(coordinator=True))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_rubric_is_frozen_once_a_review_is_submitted(admin_client):
    from scholarships.admin import CriterionInline
    from scholarships.enums import ReviewStatus
    from tests.factories import CriterionFactory, ReviewAssignmentFactory

    criterion = CriterionFactory(weight=2)
    call = criterion.call
    inline = CriterionInline(type(call), admin.site)
    request = type("Request", (), {"user": UserFactory(admin=True)})()
    assert inline.has_change_permission(request, call)

    ReviewAssignmentFactory(
        application__call=call,
        member__call=call,
        status=ReviewStatus.SUBMITTED,
        submitted_at="2026-11-01T10:00Z",
    )

    assert not inline.has_change_permission(request, call)
    assert not inline.has_add_permission(request, call)
    assert not inline.has_delete_permission(request, call)
    page = admin_client.get(reverse("admin:scholarships_call_change", args=[call.pk]))
    assert page.status_code == 200
    assert 'name="criteria-0-weight"' not in page.content.decode()
