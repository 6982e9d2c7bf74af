"""What each wizard step costs: exact query counts, and the weight of the page."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import UserFactory
from tests.helpers import sign_in
from tests.scholarships.journey import STEPS, fill_all, post_step, start, step_url, valid_answers

pytestmark = pytest.mark.django_db

# session; user, with whether they have a second factor (accounts.backends); application,
# with its call and conference; then the call's questions the step shows.
GET_QUERIES = {
    "eligibility": 4,
    "about": 3,
    "organisation": 3,
    "motivation": 4,
    "travel": 3,
    "documents": 3,
    # the review shows every answer: both kinds of questions
    "review": 5,
}


@pytest.fixture
def filled(client, call):
    user = UserFactory()
    sign_in(client, user)
    application = start(client, call)
    fill_all(client, call, application)
    client.post(
        step_url(application, "documents"), {"application_wizard-current_step": "documents"}
    )
    return application


@pytest.mark.parametrize("step", STEPS)
def test_each_step_renders_within_its_query_budget(client, filled, step, django_assert_num_queries):
    with django_assert_num_queries(GET_QUERIES[step]):
        response = client.get(step_url(filled, step))

    assert response.status_code == 200
    assert GET_QUERIES[step] <= 12


def test_saving_a_step_stays_within_the_budget(client, filled, call, django_assert_num_queries):
    # the session and the user, the application read under its row lock, the draft
    # saved, and the savepoint around them
    answers = valid_answers(call)["about"]
    with django_assert_num_queries(6):
        response = post_step(client, filled, "about", answers)

    assert response.status_code == 302


def static_weight(page):
    total = 0
    for path in ("css/site.css", "js/time.js", "js/words.js"):
        if f"/static/{path}" in page:
            with open(finders.find(path), "rb") as handle:
                total += len(handle.read())
    return total


@pytest.mark.parametrize("step", STEPS)
def test_each_step_weighs_under_60_kb_with_its_css_and_js(client, filled, step):
    page = client.get(step_url(filled, step)).content

    weight = len(page) + static_weight(page.decode())

    assert weight < 60 * 1024, weight


def test_the_start_page_is_light_too(client, call):
    sign_in(client, UserFactory())
    page = client.get(reverse("scholarships:application-start", kwargs={"slug": call.slug})).content

    assert len(page) + static_weight(page.decode()) < 60 * 1024
