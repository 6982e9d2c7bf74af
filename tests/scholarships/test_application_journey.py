"""The applicant's journey through the wizard, over HTTP with Django's test client."""

import io
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from notifications.models import OutgoingEmail
from scholarships.enums import ApplicationStatus
from scholarships.models import Application
from scholarships.wizard import ApplicationDraftStorage
from tests.factories import CallFactory, UserFactory
from tests.helpers import sign_in
from tests.scholarships.journey import (
    PREFIX,
    STEPS,
    eligible_answers,
    fill_all,
    pdf_bytes,
    png_with_exif,
    post_step,
    start,
    step_url,
    valid_answers,
)

pytestmark = pytest.mark.django_db

# Eligibility


def test_an_ineligible_answer_ends_kindly_and_stores_nothing(client, call, applicant):
    first, second = call.eligibility_questions.all()

    response = client.post(
        reverse("scholarships:application-start", kwargs={"slug": call.slug}),
        {f"eligibility-q{first.pk}": "yes", f"eligibility-q{second.pk}": "yes"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "This call is not open to you" in page
    assert "Scholarships go to people with no other funding." in page
    assert Application.objects.count() == 0


def test_unanswered_eligibility_questions_are_asked_again(client, call, applicant):
    response = client.post(reverse("scholarships:application-start", kwargs={"slug": call.slug}))

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {
        f"q{question.pk}" for question in call.eligibility_questions.all()
    }
    assert Application.objects.count() == 0


def test_eligible_answers_open_a_draft_at_the_second_step(client, call, applicant):
    response = client.post(
        reverse("scholarships:application-start", kwargs={"slug": call.slug}),
        eligible_answers(call),
    )

    application = Application.objects.get()
    assert (application.applicant, application.status) == (applicant, ApplicationStatus.DRAFT)
    assert response["Location"] == step_url(application, "about")
    assert application.draft["step_data"]["eligibility"] == {
        key: [value] for key, value in eligible_answers(call).items()
    }


def test_starting_twice_resumes_the_same_draft(client, call, applicant):
    application = start(client, call)

    response = client.get(reverse("scholarships:application-start", kwargs={"slug": call.slug}))

    assert response["Location"] == step_url(application, "about")
    assert Application.objects.count() == 1


# The whole journey


def test_the_whole_journey_submits_once_and_emails_the_applicant(
    client, call, applicant, django_capture_on_commit_callbacks
):
    application = start(client, call)
    fill_all(client, call, application)
    letter = SimpleUploadedFile("my letter.pdf", pdf_bytes(), content_type="application/pdf")
    assert (
        post_step(
            client, application, "documents", {"documents-support_letter": letter}
        ).status_code
        == 302
    )

    review = client.get(step_url(application, "review"))
    page = review.content.decode()
    assert "Collectif Santé Dakar" in page
    assert "Senegal" in page
    assert "Airfare, Daily subsistence allowance (per diem)" in page
    assert "A file is attached." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(client, application, "review", {"review-consent": "on"})

    assert response["Location"] == application.get_absolute_url()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert (application.country_of_residence.code, application.region) == ("SN", "africa")
    assert (application.gender, application.languages) == ("woman", ["fr", "en"])
    assert application.access_needs == "Step-free access"
    assert application.first_time_attendee is True
    assert application.support_requested == ["airfare", "per_diem"]
    first, second = call.motivation_questions.all()
    assert application.motivation == {
        str(first.pk): "To learn from others and bring it home.",
        str(second.pk): "Our outreach model.",
    }
    assert application.consent_version == "2026-11"
    assert application.draft == {}
    assert application.support_letter.name.startswith("letters/")
    assert "my letter" not in application.support_letter.name
    with application.support_letter.open("rb") as letter_file:
        assert letter_file.read() == pdf_bytes()
    assert not default_storage.listdir(f"wizard/{application.public_id.hex}")[1]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "We received your application"
    assert str(application.public_id)[:8] in mail.outbox[0].body


def test_a_second_click_on_submit_creates_one_application_and_one_email(
    client, call, applicant, django_capture_on_commit_callbacks
):
    application = start(client, call)
    fill_all(client, call, application, until="review")
    post_step(client, application, "documents", {})

    with django_capture_on_commit_callbacks(execute=True):
        first = post_step(client, application, "review", {"review-consent": "on"})
        second = post_step(client, application, "review", {"review-consent": "on"})

    assert first.status_code == second.status_code == 302
    assert second["Location"] == application.get_absolute_url()
    assert Application.objects.filter(status=ApplicationStatus.SUBMITTED).count() == 1
    assert OutgoingEmail.objects.filter(template="application_submitted").count() == 1
    assert len(mail.outbox) == 1


def test_submit_without_consent_is_refused(client, call, applicant):
    application = start(client, call)
    fill_all(client, call, application)
    post_step(client, application, "documents", {})

    response = post_step(client, application, "review", {})

    assert response.status_code == 200
    assert "Please agree to how your data is used before you send." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


# Drafts


def test_each_step_is_saved_in_the_database_not_the_session(client, call, applicant):
    application = start(client, call)
    answers = valid_answers(call)
    post_step(client, application, "about", answers["about"])

    application.refresh_from_db()
    assert application.draft["step_data"]["about"]["about-access_needs"] == ["Step-free access"]
    session = client.session
    assert not any(key.startswith("wizard") for key in session.keys())  # noqa: SIM118 - not a dict
    assert "Step-free access" not in str(dict(session.items()))


def test_resuming_on_another_device_continues_where_it_stopped(client, call, applicant):
    application = start(client, call)
    answers = valid_answers(call)
    post_step(client, application, "about", answers["about"])
    post_step(client, application, "organisation", answers["organisation"])
    client.logout()

    sign_in(client, applicant)  # a fresh session, as from a phone after a crash
    response = client.get(reverse("scholarships:application-start", kwargs={"slug": call.slug}))
    assert response["Location"] == step_url(application, "motivation")

    about = client.get(step_url(application, "about"))
    assert about.context["form"]["country_of_residence"].value() == "SN"
    steps = {step["name"]: step["complete"] for step in about.context["step_list"]}
    assert steps == {
        "eligibility": True,
        "about": True,
        "organisation": True,
        "motivation": False,
        "travel": False,
        "documents": False,
        "review": False,
    }


def test_a_plain_get_wipes_nothing(client, call, applicant):
    application = start(client, call)
    post_step(client, application, "about", valid_answers(call)["about"])
    before = Application.objects.get().draft

    for url in (
        step_url(application, "eligibility"),
        step_url(application, "about") + "?reset=1",
        step_url(application, "done"),
        step_url(application, "review"),
    ):
        client.get(url)

    assert Application.objects.get().draft == before


def test_steps_ahead_of_the_first_unanswered_one_are_not_reachable(client, call, applicant):
    application = start(client, call)

    response = client.get(step_url(application, "travel"))
    assert response["Location"] == step_url(application, "about")

    response = post_step(client, application, "travel", valid_answers(call)["travel"])
    assert response["Location"] == step_url(application, "about")
    assert "travel" not in Application.objects.get().draft["step_data"]


def test_the_review_links_each_step_at_its_own_address(client, call, applicant):
    """The step list and the review's "Change" links (steps_url: one reverse() a page)."""
    application = start(client, call)
    fill_all(client, call, application)

    page = client.get(step_url(application, "review")).content.decode()

    # Each step in the step list; besides, each step with answers to show in the summary.
    assert page.count(f'href="{step_url(application, "eligibility")}"') == 1
    for step in STEPS[1:-1]:
        assert page.count(f'href="{step_url(application, step)}"') == 2, step
    assert page.count(f'href="{step_url(application, "review")}"') == 0


def test_each_step_page_says_which_step_it_saves(client, call, applicant):
    application = start(client, call)
    fill_all(client, call, application)

    for step in STEPS:
        page = client.get(step_url(application, step)).content.decode()
        assert page.count(f'name="{PREFIX}-current_step"') == 1
        assert f'<input type="hidden" name="{PREFIX}-current_step" value="{step}"' in page


def test_two_tabs_saving_different_steps_keep_both(client, call, applicant):
    application = start(client, call)
    answers = valid_answers(call)
    post_step(client, application, "about", answers["about"])
    # Another tab opened earlier still holds the old draft in its view; both save.
    other = Application.objects.get()
    post_step(client, application, "organisation", answers["organisation"])
    assert set(other.draft["step_data"]) == {"eligibility", "about"}

    post_step(client, application, "about", answers["about"] | {"about-access_needs": "Ramp"})

    saved = Application.objects.get().draft["step_data"]
    assert set(saved) == {"eligibility", "about", "organisation"}
    assert saved["about"]["about-access_needs"] == ["Ramp"]


@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_two_steps_at_the_same_moment_keep_both(call, monkeypatch):
    """Real concurrent connections, on PostgreSQL: the first tab has read the draft and
    waits (up to a second) before writing while the second tab asks for the same row.
    The second must wait for the first's commit, then keep both steps."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database cannot hold concurrent writers")
    person = UserFactory(preferred_language="en")
    tabs = {"about": Client(), "organisation": Client()}
    for tab in tabs.values():
        sign_in(tab, person)
    application = start(tabs["about"], call)
    answers = fill_all(tabs["about"], call, application)
    changes = {
        "about": answers["about"] | {"about-access_needs": "Ramp"},
        "organisation": answers["organisation"] | {"organisation-organisation_name": "Collective"},
    }
    read = {step: threading.Event() for step in tabs}
    real_init, real_save = ApplicationDraftStorage.__init__, ApplicationDraftStorage.save

    def init(storage, *args, **kwargs):
        real_init(storage, *args, **kwargs)  # right after the row is read
        read[threading.current_thread().name].set()

    def save(storage):
        if threading.current_thread().name == "about":
            read["organisation"].wait(timeout=1)
        real_save(storage)

    monkeypatch.setattr(ApplicationDraftStorage, "__init__", init)
    monkeypatch.setattr(ApplicationDraftStorage, "save", save)
    statuses = {}

    def post(step):
        try:
            if step == "organisation":
                read["about"].wait(timeout=5)
            statuses[step] = post_step(tabs[step], application, step, changes[step]).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(step,), name=step) for step in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    saved = Application.objects.get().draft["step_data"]
    assert statuses == {"about": 302, "organisation": 302}
    assert saved["about"]["about-access_needs"] == ["Ramp"]
    assert saved["organisation"]["organisation-organisation_name"] == ["Collective"]


def test_two_applications_to_two_calls_stay_separate(client, call, applicant):
    other_call = CallFactory()
    first = start(client, call)
    second = start(client, other_call)
    answers = valid_answers(call)

    post_step(client, first, "about", answers["about"])
    post_step(client, second, "about", answers["about"] | {"about-country_of_residence": "TH"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.draft["step_data"]["about"]["about-country_of_residence"] == ["SN"]
    assert second.draft["step_data"]["about"]["about-country_of_residence"] == ["TH"]


def test_only_the_forms_own_fields_are_kept(client, call, applicant):
    application = start(client, call)

    post_step(
        client,
        application,
        "about",
        valid_answers(call)["about"]
        | {"about-status": "awarded", "status": "awarded", "x": "\x00"},
    )

    application.refresh_from_db()
    assert set(application.draft["step_data"]["about"]) == set(valid_answers(call)["about"])
    assert application.status == ApplicationStatus.DRAFT


# Validation errors: a clear message, nothing saved


@pytest.mark.parametrize(
    ("step", "changes", "field", "message"),
    [
        (
            "about",
            {"about-country_of_residence": "XX"},
            "country_of_residence",
            "Select a valid choice. XX is not one of the available choices.",
        ),
        ("about", {"about-gender": ""}, "gender", "This field is required."),
        ("about", {"about-languages": []}, "languages", "This field is required."),
        (
            "organisation",
            {"organisation-organisation_name": ""},
            "organisation_name",
            "This field is required.",
        ),
        (
            "organisation",
            {"organisation-role": "x" * 201},
            "role",
            "Ensure this value has at most 200 characters (it has 201).",
        ),
        (
            "travel",
            {"travel-support_requested": ["insurance"]},
            "support_requested",
            "Select a valid choice. insurance is not one of the available choices.",
        ),
        (
            "travel",
            {"travel-departure_city": "Da\x00kar"},
            "departure_city",
            "Null characters are not allowed.",
        ),
    ],
)
def test_a_bad_answer_gets_a_message_and_changes_nothing(
    client, call, applicant, step, changes, field, message
):
    application = start(client, call)
    fill_all(client, call, application, until=step)
    before = Application.objects.get().draft

    response = post_step(client, application, step, valid_answers(call)[step] | changes)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Application.objects.get().draft == before


def test_an_empty_required_motivation_answer_is_refused(client, call, applicant):
    application = start(client, call)
    fill_all(client, call, application, until="motivation")
    first, second = call.motivation_questions.all()

    response = post_step(
        client,
        application,
        "motivation",
        {f"motivation-q{first.pk}": "   ", f"motivation-q{second.pk}": "Fine."},
    )

    assert response.context["form"].errors[f"q{first.pk}"] == ["This field is required."]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("one two three four five six seven eight nine ten", True),
        ("one two three four five six seven eight nine ten eleven", False),
        ("我们的外展工作模式很好", False),  # 11 characters: 11 words
        ("我们的外展工作模式好", True),  # 10
        ("Мы работаем с сообществом — и это важно для нас всех .", True),
    ],
)
def test_word_limits_count_as_the_applicant_sees_them(client, call, applicant, text, ok):
    application = start(client, call)
    fill_all(client, call, application, until="motivation")
    first, second = call.motivation_questions.all()  # limits 20 and 10

    response = post_step(
        client,
        application,
        "motivation",
        {f"motivation-q{first.pk}": "Fine.", f"motivation-q{second.pk}": text},
    )

    assert (response.status_code == 302) is ok
    if not ok:
        assert (
            "Please shorten this answer to 10 words or fewer (it has 11)."
            in response.content.decode()
        )


def test_word_limit_message_is_translated(client, call, applicant):
    applicant.preferred_language = "fr"
    applicant.save()
    application = start(client, call)
    fill_all(client, call, application, until="motivation")
    first, second = call.motivation_questions.all()

    response = post_step(
        client,
        application,
        "motivation",
        {f"motivation-q{first.pk}": "ok", f"motivation-q{second.pk}": "a " * 11},
    )

    errors = response.context["form"].errors[f"q{second.pk}"]
    assert errors and "10" in errors[0] and "Please shorten" not in errors[0]


# Uploads


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "letter.pdf",
            b"MZ\x90\x00 this is an executable",
            "Please upload a PDF, JPEG or PNG file.",
        ),
        ("letter.exe", pdf_bytes(), "Please upload a PDF, JPEG or PNG file."),
        ("letter.png", pdf_bytes(), "Please upload a PDF, JPEG or PNG file."),
        (
            "letter.pdf",
            b"%PDF-1.4 cut short",
            "This PDF file seems damaged. Please save it again and upload it.",
        ),
        (
            "photo.jpg",
            b"\xff\xd8\xff\xe0 not really a jpeg",
            "This image seems damaged. Please save it again and upload it.",
        ),
    ],
)
def test_a_bad_upload_is_refused_and_nothing_is_stored(
    client, call, applicant, name, content, message
):
    application = start(client, call)
    fill_all(client, call, application, until="documents")

    response = post_step(
        client,
        application,
        "documents",
        {"documents-support_letter": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["support_letter"] == [message]
    assert "documents" not in Application.objects.get().draft["step_files"]
    assert (
        not default_storage.exists(f"wizard/{application.public_id.hex}")
        or not default_storage.listdir(f"wizard/{application.public_id.hex}")[1]
    )


def test_an_oversize_upload_is_refused(client, call, applicant):
    application = start(client, call)
    fill_all(client, call, application, until="documents")
    big = pdf_bytes() + b"0" * (5 * 1024 * 1024)

    response = post_step(
        client,
        application,
        "documents",
        {"documents-support_letter": SimpleUploadedFile("big.pdf", big)},
    )

    assert response.context["form"].errors["support_letter"] == [
        "This file is too large (5.0\xa0MB). The limit is 5.0\xa0MB."
    ]


def test_an_uploaded_photo_loses_its_location_and_camera_data(client, call, applicant):
    application = start(client, call)
    fill_all(client, call, application, until="documents")
    original = png_with_exif()
    assert Image.open(io.BytesIO(original)).getexif()

    post_step(
        client,
        application,
        "documents",
        {"documents-support_letter": SimpleUploadedFile("me.png", original)},
    )

    stored = Application.objects.get().draft["step_files"]["documents"]["documents-support_letter"]
    with default_storage.open(stored["tmp_name"]) as handle:
        cleaned = Image.open(handle)
        cleaned.load()
        assert not cleaned.getexif()
        assert cleaned.size == (20, 10)


def test_replacing_or_removing_the_letter_deletes_the_old_file_once_saved(
    client, call, applicant, django_capture_on_commit_callbacks
):
    application = start(client, call)
    fill_all(client, call, application, until="documents")
    folder = f"wizard/{application.public_id.hex}"

    post_step(
        client,
        application,
        "documents",
        {"documents-support_letter": SimpleUploadedFile("a.pdf", pdf_bytes())},
    )
    first = default_storage.listdir(folder)[1]
    with django_capture_on_commit_callbacks(execute=True):
        post_step(
            client,
            application,
            "documents",
            {"documents-support_letter": SimpleUploadedFile("b.pdf", pdf_bytes())},
        )
    second = default_storage.listdir(folder)[1]
    assert len(first) == len(second) == 1 and first != second

    # Until the step's transaction commits, the row still names the old file: it stays.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_step(client, application, "documents", {"documents-remove_letter": "on"})
    assert default_storage.listdir(folder)[1] == second
    for callback in callbacks:
        callback()
    assert default_storage.listdir(folder)[1] == []
    assert Application.objects.get().draft["step_files"]["documents"] == {}


# Tampering


def test_a_forged_step_name_changes_nothing(client, call, applicant):
    application = start(client, call)
    before = Application.objects.get().draft

    response = client.post(
        step_url(application, "about"),
        {f"{PREFIX}-current_step": "payout", **valid_answers(call)["about"]},
        follow=True,
    )

    assert response.status_code == 200
    assert (
        "This page was out of date. Nothing was changed: please try again."
        in response.content.decode()
    )
    assert Application.objects.get().draft == before


def test_a_missing_management_form_changes_nothing(client, call, applicant):
    application = start(client, call)
    before = Application.objects.get().draft

    response = client.post(step_url(application, "about"), valid_answers(call)["about"])

    assert response.status_code == 302
    assert Application.objects.get().draft == before


def test_an_unknown_step_in_the_url_goes_to_the_right_step(client, call, applicant):
    application = start(client, call)

    assert client.get(step_url(application, "payout"))["Location"] == step_url(application, "about")
    assert post_step(client, application, "payout", {}).status_code == 302


def test_submitting_a_step_that_no_longer_validates_shows_that_step(client, call, applicant):
    application = start(client, call)
    fill_all(client, call, application)
    post_step(client, application, "documents", {})
    # The coordinator shortened a limit after the applicant answered.
    question = call.motivation_questions.last()
    question.word_limit = 2
    question.save()

    response = post_step(client, application, "review", {"review-consent": "on"})

    assert response["Location"] == step_url(application, "motivation")
    assert Application.objects.get().status == ApplicationStatus.DRAFT


# Deadline


def test_submission_after_the_deadline_is_refused_kindly_and_the_draft_stays_readable(
    client, call, applicant
):
    application = start(client, call)
    fill_all(client, call, application)
    post_step(client, application, "documents", {})

    with time_machine.travel(call.closes_at + timedelta(seconds=1)):
        sign_in(client, applicant)  # the session would have expired by then
        response = post_step(client, application, "review", {"review-consent": "on"}, follow=True)
        page = response.content.decode()

    assert "The call has closed, so this application can no longer be changed or sent." in page
    assert "Collectif Santé Dakar" in page
    assert Application.objects.get().status == ApplicationStatus.DRAFT


def test_the_deadline_is_decided_by_the_servers_clock_at_the_exact_second(
    client, call, applicant, django_capture_on_commit_callbacks
):
    application = start(client, call)
    fill_all(client, call, application)
    post_step(client, application, "documents", {})

    with time_machine.travel(call.closes_at - timedelta(seconds=1), tick=False):
        sign_in(client, applicant)
        post_step(client, application, "review", {"review-consent": "on"})

    assert Application.objects.get().status == ApplicationStatus.SUBMITTED


def test_a_closed_call_cannot_be_started(client, applicant):
    call = CallFactory(closed=True)

    response = client.post(
        reverse("scholarships:application-start", kwargs={"slug": call.slug}), follow=True
    )

    assert "This call is not taking applications." in response.content.decode()
    assert Application.objects.count() == 0


# Status and withdrawal


def test_my_applications_shows_status_and_draft_progress(client, call, applicant):
    application = start(client, call)
    post_step(client, application, "about", valid_answers(call)["about"])

    page = client.get(reverse("scholarships:my-applications")).content.decode()

    assert "2 of 7 steps saved." in page
    assert "Continue my application" in page
    assert "The call closes in" in page


def test_withdrawal_asks_for_confirmation_then_withdraws(
    client, call, applicant, django_capture_on_commit_callbacks
):
    application = start(client, call)
    fill_all(client, call, application)
    post_step(client, application, "documents", {})
    with django_capture_on_commit_callbacks(execute=True):
        post_step(client, application, "review", {"review-consent": "on"})
    url = reverse("scholarships:application-withdraw", kwargs={"public_id": application.public_id})

    confirm = client.get(url)
    assert "Do you really want to withdraw" in confirm.content.decode()
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED

    client.post(url)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.withdrawn_at is not None
    assert client.post(url, follow=True).status_code == 200  # again: a message, no change
    assert Application.objects.get().status == ApplicationStatus.WITHDRAWN


def test_a_draft_cannot_be_withdrawn(client, call, applicant):
    application = start(client, call)

    response = client.post(
        reverse("scholarships:application-withdraw", kwargs={"public_id": application.public_id}),
        follow=True,
    )

    assert "This application can no longer be withdrawn." in response.content.decode()
    assert Application.objects.get().status == ApplicationStatus.DRAFT


def test_abandoned_uploads_are_cleaned_and_named_ones_kept(client, call, applicant):
    from scholarships.services import clean_abandoned_uploads

    application = start(client, call)
    fill_all(client, call, application, until="documents")
    post_step(
        client,
        application,
        "documents",
        {"documents-support_letter": SimpleUploadedFile("a.pdf", pdf_bytes())},
    )
    folder = f"wizard/{application.public_id.hex}"
    kept = default_storage.listdir(folder)[1]
    orphan = default_storage.save(f"{folder}/orphan.pdf", io.BytesIO(pdf_bytes()))
    gone_folder = default_storage.save(
        "wizard/0123456789abcdef0123456789abcdef/x.pdf", io.BytesIO(b"x")
    )

    assert clean_abandoned_uploads() == 0  # everything is younger than a day
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert clean_abandoned_uploads() == 2

    assert default_storage.listdir(folder)[1] == kept
    assert not default_storage.exists(orphan) and not default_storage.exists(gone_folder)


def test_the_confirmation_email_is_in_the_applicants_language(
    client, call, applicant, django_capture_on_commit_callbacks
):
    from django.utils import translation

    applicant.preferred_language = "ru"
    applicant.save()
    application = start(client, call)
    fill_all(client, call, application)
    post_step(client, application, "documents", {})

    with django_capture_on_commit_callbacks(execute=True):
        post_step(client, application, "review", {"review-consent": "on"})

    with translation.override("ru"):
        expected = translation.gettext("We received your application")
    assert expected != "We received your application"
    assert mail.outbox[0].subject == expected
    assert OutgoingEmail.objects.get().language == "ru"


def test_a_second_send_after_the_uploads_were_cleared_is_no_error(client, call, applicant):
    """Two taps on "send" reach two servers: the first submits and clears the draft's
    uploads while the second is reading them. The second answers with the application's
    page, not a server error."""
    application = start(client, call)
    fill_all(client, call, application)
    letter = SimpleUploadedFile("my letter.pdf", pdf_bytes(), content_type="application/pdf")
    post_step(client, application, "documents", {"documents-support_letter": letter})
    folder = f"wizard/{application.public_id.hex}"
    for name in default_storage.listdir(folder)[1]:
        default_storage.delete(f"{folder}/{name}")

    response = post_step(client, application, "review", {"review-consent": "on"})

    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
