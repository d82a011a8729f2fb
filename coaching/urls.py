from __future__ import annotations

from django.urls import path

from coaching import views

app_name = "coaching"

urlpatterns = [
    # The coach
    path("", views.mine, name="mine"),
    path("apply/", views.apply, name="apply"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("qualifications/new/", views.qualification_new, name="qualification_new"),
    path("qualifications/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("supervision/log/", views.supervision_log, name="supervision_log"),
    path("notes/", views.notes, name="notes"),
    path("notes/new/", views.note_new, name="note_new"),
    path("notes/<int:pk>/", views.note_detail, name="note"),
    # CPD
    path("cpd/", views.cpd, name="cpd"),
    path("cpd/log/", views.cpd_log, name="cpd_log"),
    path("cpd/new/", views.cpd_event_new, name="cpd_event_new"),
    path("cpd/<int:pk>/recording/", views.cpd_recording, name="cpd_recording"),
    path("cpd/<int:pk>/attend/", views.cpd_attend, name="cpd_attend"),
    # Participants and pairs
    path("find/", views.directory, name="directory"),
    path("find/request/", views.request_new, name="request_new"),
    path("find/requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("relationships/<int:pk>/", views.relationship_detail, name="relationship"),
    path(
        "relationships/<int:pk>/accept/",
        views.relationship_answer,
        {"answer": "accept"},
        name="relationship_accept",
    ),
    path(
        "relationships/<int:pk>/decline/",
        views.relationship_answer,
        {"answer": "decline"},
        name="relationship_decline",
    ),
    path("relationships/<int:pk>/sessions/new/", views.session_new, name="session_new"),
    path("relationships/<int:pk>/close/", views.relationship_close, name="relationship_close"),
    # Supervisors
    path("group-supervision/", views.supervision_sessions, name="supervision_sessions"),
    path("group-supervision/new/", views.supervision_new, name="supervision_new"),
    path("group-supervision/<int:pk>/", views.supervision_detail, name="supervision"),
    path("group-supervision/<int:pk>/confirm/", views.supervision_confirm, name="supervision_confirm"),
    path(
        "group-supervision/<int:pk>/coaches/<int:attendee_pk>/remove/",
        views.supervision_remove,
        name="supervision_remove",
    ),
    path("group-supervision/<int:pk>/cancel/", views.supervision_cancel, name="supervision_cancel"),
    # Programme staff
    path("register/", views.register, name="register"),
    path("register/applications/", views.applications, name="applications"),
    path("register/<int:pk>/", views.coach_detail, name="coach"),
    path("matching/", views.matching, name="matching"),
    path("matching/<int:pk>/", views.match_request, name="match_request"),
]
