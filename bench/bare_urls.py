"""The benchmark's URLconf: the portal's own URLs plus the bare views under /bench-bare/. Used only as
ROOT_URLCONF inside the benchmark process (bench/pages.py overrides the setting); the portal never
includes it."""

from __future__ import annotations

from django.urls import include, path

from academy.urls import urlpatterns as portal_urlpatterns
from bench import bare

bare_patterns = [
    path("programmes/", bare.offer),
    path("programmes/my-learning/", bare.my_learning),
    path("programmes/manage/", bare.staff_programmes),
    path("programmes/manage/cohorts/<int:pk>/", bare.register),
    path("programmes/manage/sessions/<int:pk>/attendance/", bare.attendance),
    path("programmes/<slug:slug>/", bare.programme),
    path("coaching/", bare.my_coaching),
    path("coaching/register/", bare.coach_register),
    path("reports/", bare.dashboard),
]

urlpatterns = [path("bench-bare/", include(bare_patterns)), *portal_urlpatterns]
