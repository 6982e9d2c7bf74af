from django.contrib import admin
from django.urls import include, path

from accounts.views import audit_log

from .views import health

urlpatterns = [
    path("", include("scholarships.urls")),
    path("", include("meetings.urls")),
    path("", include("payments.urls")),
    path("accounts/", include("accounts.urls")),
    path("manage/audit/", audit_log, name="audit-log"),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
]
