from __future__ import annotations

from django.urls import path

from talent import board_views, centre_views, views

app_name = "talent"

urlpatterns = [
    # The member
    path("me/", views.mine, name="mine"),
    path("me/conversations/new/", views.conversation_new, name="conversation_new"),
    path("me/board-consent/", views.consent, name="consent"),
    path("me/opportunities/<int:pk>/interest/", views.interest_new, name="interest_new"),
    path("me/centres/", centre_views.my_centres, name="my_centres"),
    path("me/centres/<int:pk>/feedback.pdf", centre_views.feedback_report, name="feedback_report"),
    # Assessors
    path("assessing/", centre_views.assessing, name="assessing"),
    path("bookings/<int:pk>/ratings/new/", centre_views.rating_new, name="rating_new"),
    # The talent lead
    path("", views.dashboard, name="dashboard"),
    path("tables/<slug:table>.csv", views.table_download, name="table_download"),
    path("charts/<slug:key>.svg", views.chart, name="chart"),
    path("pool/", views.pool, name="pool"),
    path("pool/import/", views.import_file, name="import"),
    path("pool/import/movements/", views.import_movements, name="import_movements"),
    path("pool/import/<slug:kind>-template.<str:fmt>", views.import_template, name="import_template"),
    path("pool/<int:pk>/", views.member, name="member"),
    path("pool/<int:pk>/readiness/", views.readiness, name="readiness"),
    path("pool/<int:pk>/movements/new/", views.movement_new, name="movement_new"),
    path("pool/<int:pk>/leave/", views.exit_pool, name="exit"),
    path("opportunities/", views.opportunities, name="opportunities"),
    path("opportunities/new/", views.opportunity_new, name="opportunity_new"),
    path("opportunities/<int:pk>/", views.opportunity, name="opportunity"),
    path("interests/<int:pk>/<slug:move>/", views.interest_move, name="interest_move"),
    path("centres/", centre_views.centres, name="centres"),
    path("centres/new/", centre_views.centre_new, name="centre_new"),
    path("centres/<int:pk>/", centre_views.centre, name="centre"),
    path("centres/<int:pk>/nominate/", centre_views.centre_nominate, name="centre_nominate"),
    path("bookings/<int:pk>/book/", centre_views.booking_book, name="booking_book"),
    path("bookings/<int:pk>/outcome/", centre_views.booking_outcome, name="booking_outcome"),
    path("boards/", board_views.boards, name="boards"),
    path("boards/critical-roles/new/", board_views.critical_role_new, name="critical_role_new"),
    path("boards/critical-roles/<int:pk>/", board_views.critical_role, name="critical_role"),
    path("boards/slate/<int:pk>/remove/", board_views.slate_remove, name="slate_remove"),
    path("boards/workforce/new/", board_views.workforce_new, name="workforce_new"),
    path("boards/workforce/import/", views.import_workforce, name="import_workforce"),
    path("boards/seats/new/", board_views.seat_new, name="seat_new"),
    # The talent board member
    path("board/", views.board, name="board"),
]
