"""Helpers to walk the application wizard over HTTP."""

import io

from django.urls import reverse
from PIL import Image

from scholarships.models import Application

PREFIX = "application_wizard"
STEPS = ["eligibility", "about", "organisation", "motivation", "travel", "documents", "review"]


def eligible_answers(call):
    return {
        f"eligibility-q{question.pk}": "yes" if question.required_answer else "no"
        for question in call.eligibility_questions.all()
    }


def valid_answers(call):
    first, second = call.motivation_questions.all()
    return {
        "about": {
            "about-country_of_residence": "SN",
            "about-gender": "woman",
            "about-gender_self_description": "",
            "about-languages": ["fr", "en"],
            "about-access_needs": "Step-free access",
        },
        "organisation": {
            "organisation-organisation_name": "Collectif Santé Dakar",
            "organisation-organisation_is_sex_worker_led": "yes",
            "organisation-role": "Peer educator",
            "organisation-first_time_attendee": "yes",
            "organisation-previous_scholarships": "",
        },
        "motivation": {
            f"motivation-q{first.pk}": "To learn from others and bring it home.",
            f"motivation-q{second.pk}": "Our outreach model.",
        },
        "travel": {
            "travel-departure_city": "Dakar",
            "travel-departure_country": "SN",
            "travel-visa_needed": "yes",
            "travel-support_requested": ["airfare", "per_diem"],
            "travel-other_funding": "",
        },
        "documents": {},
        "review": {"review-consent": "on"},
    }


def step_url(application, step):
    return reverse(
        "scholarships:application-step",
        kwargs={"public_id": application.public_id, "step": step},
    )


def post_step(client, application, step, data, **extra):
    return client.post(
        step_url(application, step), {f"{PREFIX}-current_step": step, **data}, **extra
    )


def start(client, call):
    response = client.post(
        reverse("scholarships:application-start", kwargs={"slug": call.slug}),
        eligible_answers(call),
    )
    assert response.status_code == 302, response.content
    return Application.objects.get(call=call)


def fill_all(client, call, application, until="review"):
    answers = valid_answers(call)
    for step in STEPS[1 : STEPS.index(until)]:
        response = post_step(client, application, step, answers[step])
        assert response.status_code == 302, (
            step,
            response.context and response.context["form"].errors,
        )
    return answers


def pdf_bytes():
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_with_exif():
    image = Image.new("RGB", (20, 10), "purple")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0110] = "Model 7"  # camera model
    output = io.BytesIO()
    image.save(output, format="PNG", exif=exif)
    return output.getvalue()
