import pytest

from tests.factories import (
    CallFactory,
    EligibilityQuestionFactory,
    MotivationQuestionFactory,
    UserFactory,
)
from tests.helpers import sign_in


@pytest.fixture
def call(db):
    call = CallFactory(support_offered=["registration", "airfare", "per_diem"])
    EligibilityQuestionFactory(call=call, text={"en": "Are you a member?"}, required_answer=True)
    EligibilityQuestionFactory(
        call=call,
        text={"en": "Do you already have full funding?"},
        required_answer=False,
        explanation={"en": "Scholarships go to people with no other funding."},
    )
    MotivationQuestionFactory(call=call, text={"en": "Why do you want to attend?"}, word_limit=20)
    MotivationQuestionFactory(call=call, text={"en": "What will you share?"}, word_limit=10)
    return call


@pytest.fixture
def applicant(client):
    user = UserFactory(preferred_language="en")
    sign_in(client, user)
    return user
