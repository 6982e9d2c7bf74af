"""Arbitrary text in every free-text field: never a 500, never half-saved, always escaped."""

import pytest
from django.utils.html import escape
from django.utils.text import normalize_newlines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scholarships.models import Application
from tests.factories import UserFactory
from tests.helpers import sign_in
from tests.scholarships.journey import fill_all, post_step, start, step_url, valid_answers

pytestmark = pytest.mark.django_db

TEXT_FIELDS = [
    ("about", "gender_self_description"),
    ("about", "access_needs"),
    ("organisation", "organisation_name"),
    ("organisation", "role"),
    ("organisation", "previous_scholarships"),
    ("motivation", None),  # the call's first question
    ("travel", "departure_city"),
    ("travel", "other_funding"),
]

SPECIAL = [
    "\x00",
    "Da\x00kar",
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "مرحبا بالعالم",  # right to left
    "\u202eevil\u202c",
    "🏳️‍⚧️ 👩🏽‍⚕️",
    "我们的社区",
    "Ω & ≈ ç √ ∫",
    "   ",
    "x" * 5000,
]

texts = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=300))


@pytest.fixture
def journey(client, call):
    sign_in(client, UserFactory())
    application = start(client, call)
    fill_all(client, call, application)
    post_step(client, application, "documents", {})
    return application


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.sampled_from(TEXT_FIELDS), text=texts)
def test_any_text_in_any_field(client, call, journey, target, text):
    step, field = target
    if field is None:
        field = f"q{call.motivation_questions.first().pk}"
    before = Application.objects.get(pk=journey.pk).draft
    data = valid_answers(call)[step] | {f"{step}-{field}": text}

    response = post_step(client, journey, step, data)

    assert response.status_code in (200, 302)
    after = Application.objects.get(pk=journey.pk).draft
    if response.status_code == 200:
        assert response.context["form"].errors
        assert after == before  # refused: nothing changed
        page = response.content.decode()
    else:
        assert after["step_data"][step][f"{step}-{field}"] == [text]
        page = client.get(step_url(journey, "review")).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    stripped = text.strip()
    if stripped and set(stripped) & set("<>&\"'") and response.status_code == 302:
        assert escape(normalize_newlines(stripped)).replace("\n", "<br>") in page
