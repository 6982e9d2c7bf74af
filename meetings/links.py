"""Signed answer links: an invitation's public id, signed with a timestamp."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

RSVP_SALT = "meetings.rsvp"


def rsvp_token(invitation):
    return signing.TimestampSigner(salt=RSVP_SALT).sign(str(invitation.public_id))


def rsvp_url(invitation):
    return reverse("meetings:rsvp-link", kwargs={"token": rsvp_token(invitation)})


def rsvp_link_max_age():
    return timedelta(days=getattr(settings, "MEETING_RSVP_LINK_DAYS", 21))
