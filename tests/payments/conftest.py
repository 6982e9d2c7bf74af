import pytest

from payments.ledger import check_ledger


@pytest.fixture(autouse=True)
def ledger_adds_up(request):
    """After every test that touches the database: the ledger, the budgets, their lines,
    the disbursements and the fund balances agree to the cent."""
    yield
    if request.node.get_closest_marker("django_db") is not None:
        assert check_ledger() == []
