from datetime import UTC, datetime

import pytest
import time_machine


@pytest.fixture
def before_the_meetings():
    """1 March 2026, 09:00 UTC: every factory meeting is still ahead."""
    with time_machine.travel(datetime(2026, 3, 1, 9, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller
