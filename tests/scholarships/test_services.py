import itertools

import pytest

from scholarships.enums import CALL_TRANSITIONS, CallStatus
from scholarships.services import ScholarshipError, change_call_status
from tests.factories import CallFactory, UserFactory

pytestmark = pytest.mark.django_db

ALLOWED = {
    (CallStatus.DRAFT, CallStatus.PUBLISHED),
    (CallStatus.PUBLISHED, CallStatus.DRAFT),
    (CallStatus.PUBLISHED, CallStatus.ARCHIVED),
    (CallStatus.ARCHIVED, CallStatus.PUBLISHED),
}


def test_transitions_table_is_the_one_documented_here():
    table = {(a, b) for a, targets in CALL_TRANSITIONS.items() for b in targets}
    assert table == ALLOWED


@pytest.mark.parametrize(("current", "target"), list(itertools.product(CallStatus, CallStatus)))
def test_every_pair_of_call_statuses(current, target):
    call = CallFactory(status=current)
    coordinator = UserFactory(coordinator=True)

    if (current, target) in ALLOWED:
        change_call_status(call, to=target, by=coordinator)
        call.refresh_from_db()
        assert call.status == target
    else:
        with pytest.raises(ScholarshipError):
            change_call_status(call, to=target, by=coordinator)
        call.refresh_from_db()
        assert call.status == current
