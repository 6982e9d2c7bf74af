import pytest

from tests.factories import CallFactory, UserFactory

ROLES = ["applicant", "reviewer", "coordinator", "finance", "admin"]


@pytest.fixture
def applicant(db):
    return UserFactory()


@pytest.fixture
def coordinator(db):
    return UserFactory(coordinator=True)


@pytest.fixture
def user_with_role(db):
    def make(role):
        if role == "applicant":
            return UserFactory()
        return UserFactory(**{role: True})

    return make


@pytest.fixture
def open_call(db):
    return CallFactory()


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user (or anonymous for None)."""

    def sign_in(user):
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
