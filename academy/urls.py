from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from academy import errors, views

academy_patterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("profile/download/", views.profile_download, name="profile_download"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("audit/", views.audit_log, name="audit_log"),
    path("privacy/erasure/", views.erasure_find, name="erasure_find"),
    path("privacy/erasure/<int:pk>/", views.erasure_confirm, name="erasure_confirm"),
    path("privacy/erasure/<int:pk>/done/", views.erasure_done, name="erasure_done"),
    path("organisations/search/", views.organisation_search, name="organisation_search"),
    path("imports/<int:pk>/", views.import_run, name="import_run"),
    path("imports/<int:pk>/status/", views.import_run_status, name="import_run_status"),
    path("session/keep-alive/", views.session_keep_alive, name="session_keep_alive"),
    path("session/timed-out/", views.session_timed_out, name="session_timed_out"),
]

urlpatterns = [
    path("", include((academy_patterns, "academy"))),
    path("health/", views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("admin/login/", views.admin_login_redirect),
    path("admin/", admin.site.urls),
    path("programmes/", include("programmes.urls")),
    path("coaching/", include("coaching.urls")),
    path("gmts/", include("gmts.urls")),
    path("talent/", include("talent.urls")),
    path("reports/", include("reporting.urls")),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
