"""Who may see which application: another person's application, draft or letter is 404."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from scholarships.enums import ApplicationStatus
from tests.factories import ApplicationFactory, CallFactory, UserFactory
from tests.helpers import drain, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter_application(db):
    application = ApplicationFactory()
    application.support_letter.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=True)
    return application


def urls_of(application, *, include_step=True):
    public_id = application.public_id
    urls = [
        reverse("scholarships:application-detail", kwargs={"public_id": public_id}),
        reverse("scholarships:application-withdraw", kwargs={"public_id": public_id}),
        reverse("scholarships:application-letter", kwargs={"public_id": public_id}),
    ]
    if include_step:
        urls.append(
            reverse(
                "scholarships:application-step", kwargs={"public_id": public_id, "step": "about"}
            )
        )
    return urls


@pytest.mark.parametrize("role", ["applicant", "reviewer", "finance", "coordinator"])
def test_another_persons_application_draft_and_letter_are_not_found(
    client, letter_application, role
):
    draft = ApplicationFactory(is_draft=True, call=CallFactory())
    sign_in(client, UserFactory(**({} if role == "applicant" else {role: True})))

    for url in urls_of(letter_application)[:2] + urls_of(draft):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    letter = urls_of(letter_application)[2]
    expected = 200 if role == "coordinator" else 404
    response = client.get(letter)
    drain(response)
    assert response.status_code == expected


def test_the_author_downloads_their_letter_as_a_private_attachment(client, letter_application):
    sign_in(client, letter_application.applicant)

    response = client.get(urls_of(letter_application)[2])

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="support-letter.pdf"'
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    content = drain(response)
    assert content == b"%PDF-1.4\n%%EOF"


def test_an_application_without_letter_has_no_letter_url(client):
    application = ApplicationFactory()
    sign_in(client, application.applicant)

    assert client.get(urls_of(application)[2]).status_code == 404


def test_uploads_are_not_served_from_any_public_path(client, letter_application):
    name = letter_application.support_letter.name
    sign_in(client, letter_application.applicant)

    for url in (f"/private/{name}", f"/media/{name}", f"/static/{name}", f"/{name}"):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["applicant", "reviewer", "finance"])
def test_only_coordinators_list_a_calls_applications(client, role):
    application = ApplicationFactory()
    sign_in(client, UserFactory(**({} if role == "applicant" else {role: True})))

    url = reverse("scholarships:call-applications", kwargs={"slug": application.call.slug})
    assert client.get(url).status_code == 403
    detail = reverse(
        "scholarships:application-manage-detail", kwargs={"public_id": application.public_id}
    )
    assert client.get(detail).status_code == 403


def test_coordinators_never_see_drafts(client):
    draft = ApplicationFactory(is_draft=True)
    sign_in(client, UserFactory(coordinator=True))

    detail = reverse(
        "scholarships:application-manage-detail", kwargs={"public_id": draft.public_id}
    )
    assert client.get(detail).status_code == 404
    listing = client.get(
        reverse("scholarships:call-applications", kwargs={"slug": draft.call.slug})
    )
    assert list(listing.context["page"]) == []


def test_coordinator_list_filters_by_status_region_and_gender(client):
    call = CallFactory()
    kept = ApplicationFactory(call=call, region="europe", gender="transgender")
    ApplicationFactory(call=call, region="europe", gender="woman")
    ApplicationFactory(call=call, region="africa", gender="transgender")
    ApplicationFactory(
        call=call, region="europe", gender="transgender", status=ApplicationStatus.WITHDRAWN
    )
    ApplicationFactory(region="europe", gender="transgender")  # another call
    sign_in(client, UserFactory(coordinator=True))

    response = client.get(
        reverse("scholarships:call-applications", kwargs={"slug": call.slug}),
        {"status": "submitted", "region": "europe", "gender": "transgender"},
    )

    assert list(response.context["page"]) == [kept]


def test_coordinator_list_ignores_unknown_filter_values(client):
    application = ApplicationFactory()
    sign_in(client, UserFactory(coordinator=True))

    response = client.get(
        reverse("scholarships:call-applications", kwargs={"slug": application.call.slug}),
        {"status": "<script>", "region": "mars", "page": "999"},
    )

    assert response.status_code == 200
    assert list(response.context["page"]) == [application]
    assert "<script>" not in response.content.decode()


def test_coordinator_list_is_paginated_by_25(client):
    call = CallFactory()
    ApplicationFactory.create_batch(30, call=call)
    sign_in(client, UserFactory(coordinator=True))
    url = reverse("scholarships:call-applications", kwargs={"slug": call.slug})

    first, second = client.get(url), client.get(url, {"page": 2})

    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 5
    assert "page=2" in first.content.decode()


@pytest.mark.parametrize("rows", [10, 200])
def test_coordinator_list_query_count_does_not_grow(client, django_assert_num_queries, rows):
    call = CallFactory()
    ApplicationFactory.create_batch(rows, call=call)
    sign_in(client, UserFactory(coordinator=True))
    url = reverse("scholarships:call-applications", kwargs={"slug": call.slug})
    client.get(url)  # the first request of a session records when it was last seen

    # session, user, second-factor device, call, count, page of applications
    with django_assert_num_queries(6):
        client.get(url)


def test_coordinator_reads_every_answer_of_an_application(client):
    application = ApplicationFactory(
        access_needs="Sign language", gender_self_description="Two-spirit"
    )
    sign_in(client, UserFactory(coordinator=True))

    page = client.get(
        reverse(
            "scholarships:application-manage-detail", kwargs={"public_id": application.public_id}
        )
    ).content.decode()

    assert (
        "Sign language" in page and "Two-spirit" in page and "Community Health Collective" in page
    )
