"""Debian's Chromium through Playwright, headless and phone-sized, for the key journeys."""

import os
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
PASSWORD = "a-long-test-passphrase"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own
    # database calls are synchronous and safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: run `make test`"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        # Inside Playwright's context the test's database calls got connections of
        # their own (greenlet-local); close them, or PostgreSQL cannot drop the test
        # database at the end.
        connections.close_all()


def new_phone(browser, timezone_id="Africa/Dakar"):
    context = browser.new_context(viewport=PHONE, timezone_id=timezone_id)
    return context, context.new_page()


def log_in(page, base, email):
    page.goto(base + reverse("accounts:login"))
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def shoot(page, prefix, number, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{prefix}-{number:02d}-{name}.png", full_page=True)
