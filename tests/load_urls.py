"""The portal's URLs plus a bare view, for `make load` only (tests/load_settings.py)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns


@login_not_required
def bare(request):
    """The cheapest Django page: every middleware, no session, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("load/bare/", bare, name="load-bare"), *portal_urlpatterns]
