from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def visit(client, at):
    with time_machine.travel(at, tick=False):
        return client.get(reverse("accounts:profile"))


@pytest.mark.parametrize(("traits", "idle"), [({}, 60), ({"coordinator": True}, 30)])
def test_idle_sessions_end(client, traits, idle):
    sign_in(client, UserFactory(**traits))
    start = timezone.now()
    assert visit(client, start).status_code == 200

    assert visit(client, start + timedelta(minutes=idle - 1)).status_code == 200
    response = visit(client, start + timedelta(minutes=2 * idle - 1))
    assert response.status_code == 200  # activity moved the idle clock on

    gone = visit(client, start + timedelta(minutes=3 * idle + 1))
    assert gone.status_code == 302
    assert gone["Location"].startswith(reverse("accounts:login"))
    assert visit(client, start + timedelta(minutes=3 * idle + 2)).status_code == 302


def test_sessions_end_twelve_hours_after_login_even_when_busy(client):
    sign_in(client, UserFactory())
    start = timezone.now()
    for minutes in range(0, 12 * 60, 50):
        assert visit(client, start + timedelta(minutes=minutes)).status_code == 200

    assert visit(client, start + timedelta(hours=12, minutes=5)).status_code == 302
