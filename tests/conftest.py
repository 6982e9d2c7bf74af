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
            sign_in(client, user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Uploads of each test go to a folder of its own, removed afterwards."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    # Django's setting_changed signal resets the storages and default_storage.
    return tmp_path / "private"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Hashing strength is not under test; thousands of users are made.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_to_start_with():
    # A request leaves its language active in the thread; each test starts in English.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: database ids repeat from test to test."""
    from django.core.cache import cache

    cache.clear()
