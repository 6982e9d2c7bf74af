"""Loaded by pytest before Django (`-p tests.environment` in pyproject.toml).

Tests run with production-like settings (DEBUG off, secure cookies, HSTS) except
for the HTTPS redirect, which would turn every test request into a 301, and the
hashed static file names, which need `collectstatic` first.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Two keys, newest first, as after a rotation began.
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEYS",
    "Uk1owYs2JUjz8wjmEkaYyPldWuT46QoewmNjDXkpZW0=,dGVzdC1rZXktdGhhdC1pcy1vbGRlci0wMTIzNDU2Nzg=",
)
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("WHITENOISE_AUTOREFRESH", "1")
# Each request thread of the live server closes its PostgreSQL connection when done,
# or dropping the test database finds it still in use.
os.environ.setdefault("CONN_MAX_AGE", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ["TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
