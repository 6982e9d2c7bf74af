"""Nothing a border officer, an employer or a family member may see names sex work."""

import datetime
import re

import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation

from notifications.services import queue_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
BANNED = re.compile(
    r"sex[\s-]?work|prostitu|escort|travail(leur|leuse)?s? du sexe|trabaj\w* sexual"
    r"|секс[\s-]?работ|проститу|性工作|卖淫|性交易",
    re.IGNORECASE,
)
MEETING = {
    "name": "Amara",
    "title": "Getting ready for AIDS 2028",
    "when": "Tuesday 24 March 2026, 09:00–10:00 (America/New_York, UTC−04:00)",
    "online": True,
    "link": "https://meet.example.org/prep",
    "room": "",
    "address": "",
    "agenda": "Introductions. Travel. Questions.",
    "languages": "French, Spanish",
    "rsvp_url": "https://portal.example/meetings/answer/x/",
    "page_url": "https://portal.example/meetings/y/",
    "update": True,
}
EMAILS = {
    "password_reset": {
        "protocol": "https",
        "domain": "portal.example",
        "uid": "MQ",
        "token": "abc",
    },
    "application_submitted": {
        "name": "Amara",
        "call_title": "Scholarships for AIDS 2028",
        "reference": "1a2b3c4d",
        "url": "https://portal.example/applications/x/",
    },
    **dict.fromkeys(
        ("meeting_invitation", "meeting_cancelled", "meeting_reminder", "meeting_seat"), MEETING
    ),
}
DECISION = {
    "name": "Amara",
    "call_title": "Scholarships for AIDS 2028",
    "reference": "1a2b3c4d",
    "url": "https://portal.example/applications/x/",
    "reply_by": datetime.date(2028, 5, 1),
    "partial": True,
    "covers": ["Airfare"],
}
EMAILS |= {
    "decision_award": DECISION,
    "decision_waitlist": DECISION,
    "decision_regret": DECISION,
    "award_reminder": DECISION,
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", sorted(EMAILS))
def test_emails_in_every_language_say_nothing_revealing(language, template):
    user = UserFactory(preferred_language=language, display_name="Amara")
    context = EMAILS[template] | {"user": user}

    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        body = render_to_string(f"emails/{template}_body.txt", context)

    assert subject.strip() and body.strip()
    assert not BANNED.search(subject), subject
    assert not BANNED.search(body), body


def test_the_sender_name_is_neutral(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(
            to=user.email,
            template="password_reset",
            context=EMAILS["password_reset"] | {"user": user},
            language="en",
            user=user,
        )

    assert not BANNED.search(mail.outbox[0].from_email)
    assert mail.outbox[0].extra_headers == {}


def test_the_banned_words_are_found_when_present():
    # The check itself works: it catches the words in each language.
    for text in [
        "Sex work",
        "travailleuses du sexe",
        "trabajadoras sexuales",
        "секс-работники",
        "性工作者",
    ]:
        assert BANNED.search(text), text
