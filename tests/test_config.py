import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.urls import reverse

from config.settings import BASE_DIR


@pytest.mark.django_db
def test_health_answers_ok_when_the_database_answers(client):
    response = client.get(reverse("health"))

    assert (response.status_code, response.content) == (200, b"ok")


@pytest.mark.django_db
def test_health_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    assert client.get(reverse("health")).status_code == 503


def test_languages_are_the_networks_five():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "fr", "es", "ru", "zh-hans"]


def test_sqlite_queues_writers_instead_of_failing():
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("this run uses PostgreSQL")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def production_environment(**extra):
    return {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "portal.example.org",
        "FIELD_ENCRYPTION_KEYS": "Uk1owYs2JUjz8wjmEkaYyPldWuT46QoewmNjDXkpZW0=",
        "MAILER_BACKEND": "anymail.backends.postmark.EmailBackend",
        "ANYMAIL": '{"POSTMARK_SERVER_TOKEN": "server-token"}',
        **extra,
    }


def test_production_settings_pass_the_deploy_check_without_a_warning():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_environment(),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=production_environment(SECRET_KEY=""),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment (DEBUG is off)." in result.stderr


def printed_in_production(code, **environment):
    """What `code` prints in a fresh Python process with the production settings."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=production_environment(**environment),
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def setting_in_production(expression, **environment):
    """What `expression` (of `settings`) prints with the production settings."""
    return printed_in_production(
        f"from django.conf import settings; print({expression})", **environment
    ).strip()


def test_the_wsgi_application_leaves_what_start_up_loaded_to_no_garbage_collection():
    frozen = printed_in_production("import gc, config.wsgi; print(gc.get_freeze_count())")

    assert int(frozen) > 10_000  # Django, the apps and the settings


@pytest.mark.parametrize(
    ("switch", "options"),
    [(None, "True 5"), ("1", "True 5"), ("0", "False None")],
)
def test_postgresql_binds_parameters_and_prepares_statements_unless_switched_off(switch, options):
    # Off for a pooler that cannot keep prepared statements (PgBouncer in transaction mode).
    # Django turns psycopg's preparing off unless prepare_threshold is given.
    extra = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/anything"}
    if switch is not None:
        extra["DATABASE_SERVER_SIDE_BINDING"] = switch
    printed = setting_in_production(
        "settings.DATABASES['default']['OPTIONS']['server_side_binding'], "
        "settings.DATABASES['default']['OPTIONS']['prepare_threshold']",
        **extra,
    )

    assert printed.strip() == options


@pytest.mark.django_db
def test_a_postgresql_connection_prepares_the_statement_it_repeats():
    if connection.vendor != "postgresql":
        pytest.skip("Prepared statements are PostgreSQL's.")
    from accounts.models import User

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ['%FROM "accounts_user"%'],
            )
            return cursor.fetchone()[0]

    before = prepared()
    for _ in range(10):  # psycopg prepares from the fifth run on
        list(User.objects.filter(email="nobody@example.org"))

    assert prepared() == before + 1


@pytest.mark.parametrize(
    ("cache_url", "engine"),
    [
        ("", "django.contrib.sessions.backends.db"),
        ("locmemcache://", "django.contrib.sessions.backends.db"),
        ("redis://127.0.0.1:6379/9", "django.contrib.sessions.backends.cached_db"),
    ],
)
def test_sessions_are_read_from_the_cache_only_when_every_server_shares_it(cache_url, engine):
    # A per-process cache would keep a session another server has ended.
    printed = setting_in_production(
        "settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND']", CACHE_URL=cache_url
    )

    session_engine, cache_backend = printed.split()
    assert session_engine == engine
    assert cache_backend.endswith("RedisCache" if cache_url.startswith("redis") else "LocMemCache")


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("scholarships:call-list"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_templates_reference_no_outside_host(client):
    page = client.get(reverse("scholarships:call-list")).content.decode()

    assert "http://" not in page and "https://" not in page


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_it_was_given():
    import os

    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"

    assert connection.vendor == expected


@pytest.mark.django_db
def test_https_responses_carry_hsts_and_cookies_are_secure_and_http_only(client):
    from tests.factories import PASSWORD, UserFactory

    user = UserFactory()
    response = client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": PASSWORD},
        secure=True,
    )

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    page = client.get(reverse("accounts:profile"), secure=True)
    assert "no-store" in page["Cache-Control"]
    assert page["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "'unsafe-inline'" not in page["Content-Security-Policy"]


def test_no_template_uses_inline_script_or_marks_user_data_safe():
    import pathlib

    for path in pathlib.Path(BASE_DIR).glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text()
        assert "<script>" not in text and "onclick=" not in text, path
        assert "|safe" not in text, path


@pytest.mark.parametrize(
    ("debug", "backend"),
    [
        ("0", "django.core.cache.backends.locmem.LocMemCache"),
        ("1", "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_the_header_is_kept_in_each_process_but_not_under_debug(debug, backend):
    printed = setting_in_production("settings.CACHES['templates']['BACKEND']", DEBUG=debug)

    assert printed == backend
