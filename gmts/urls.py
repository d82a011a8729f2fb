from __future__ import annotations

from django.urls import path

from gmts import views

app_name = "gmts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("trainees/", views.trainee_list, name="trainees"),
    path("trainees/new/", views.trainee_create, name="trainee_create"),
    path("trainees/<int:pk>/", views.trainee_detail, name="trainee"),
    path("trainees/<int:pk>/placements/new/", views.placement_create, name="placement_create"),
    path("trainees/import/", views.import_file, name="import"),
    path("placements/import/", views.placement_import, name="placement_import"),
    path("import-template/<str:kind>.<str:fmt>", views.import_template, name="import_template"),
    path("trainees/<int:pk>/status/", views.trainee_status, name="trainee_status"),
    path("bids/", views.bid_list, name="bids"),
    path("bids/new/", views.bid_create, name="bid_create"),
    path("bids/<int:pk>/assure/", views.bid_assure, name="bid_assure"),
    path("specialisms/<int:pk>/framework/", views.framework_edit, name="framework"),
    path("placements/<int:pk>/confirm/", views.placement_confirm, name="placement_confirm"),
    path("placements/<int:pk>/send/", views.placement_notify, name="placement_notify"),
    path("placements/<int:pk>/withdraw/", views.placement_withdraw, name="placement_withdraw"),
    path("placements/<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("placements/<int:pk>/feedback/<str:stage>/", views.feedback, name="feedback"),
    path("quotes/", views.quotes, name="quotes"),
    path("quotes/<int:pk>/choose/", views.quote_choose, name="quote_choose"),
    path("managed/", views.managed, name="managed"),
    path("mine/", views.mine, name="mine"),
]
