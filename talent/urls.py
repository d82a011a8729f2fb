from __future__ import annotations

from django.urls import path

from talent import views

app_name = "talent"

urlpatterns = [
    # The member
    path("me/", views.mine, name="mine"),
    path("me/conversations/new/", views.conversation_new, name="conversation_new"),
    path("me/board-consent/", views.consent, name="consent"),
    path("me/opportunities/<int:pk>/interest/", views.interest_new, name="interest_new"),
    # The talent lead
    path("", views.dashboard, name="dashboard"),
    path("tables/<slug:table>.csv", views.table_download, name="table_download"),
    path("pool/", views.pool, name="pool"),
    path("pool/import/", views.import_file, name="import"),
    path("pool/<int:pk>/", views.member, name="member"),
    path("pool/<int:pk>/readiness/", views.readiness, name="readiness"),
    path("pool/<int:pk>/movements/new/", views.movement_new, name="movement_new"),
    path("pool/<int:pk>/leave/", views.exit_pool, name="exit"),
    path("opportunities/", views.opportunities, name="opportunities"),
    path("opportunities/new/", views.opportunity_new, name="opportunity_new"),
    path("opportunities/<int:pk>/", views.opportunity, name="opportunity"),
    path("interests/<int:pk>/<slug:move>/", views.interest_move, name="interest_move"),
    # The talent board member
    path("board/", views.board, name="board"),
]
