from __future__ import annotations

from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tables/<slug:table>.csv", views.table_download, name="table_download"),
    path("tables/<slug:table>.xlsx", views.table_download, {"fmt": "xlsx"}, name="table_download_xlsx"),
    path("year-in-review/", views.edition_list, name="edition_list"),
    path("year-in-review/new/", views.edition_create, name="edition_create"),
    path("year-in-review/<int:pk>/", views.edition_detail, name="edition_detail"),
    path("year-in-review/<int:pk>/narrative/", views.edition_narrative, name="edition_narrative"),
    path("year-in-review/<int:pk>/quotes/", views.edition_quotes, name="edition_quotes"),
    path("year-in-review/<int:pk>/generate/", views.edition_generate, name="edition_generate"),
    path("year-in-review/runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("year-in-review/runs/<int:pk>/status.json", views.run_status, name="run_status"),
    path("year-in-review/runs/<int:pk>/download/", views.run_download, name="run_download"),
    path("year-in-review/runs/<int:pk>/retry/", views.run_retry, name="run_retry"),
    path("year-in-review/hclm-360/", views.hclm_import, name="hclm_import"),
    path(
        "year-in-review/hclm-360/template.<str:fmt>", views.hclm_import_template, name="hclm_import_template"
    ),
]
