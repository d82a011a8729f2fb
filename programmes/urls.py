from __future__ import annotations

from django.urls import path

from programmes.views import participant, staff

app_name = "programmes"

urlpatterns = [
    path("", participant.offer, name="offer"),
    path("my-learning/", participant.my_learning, name="my_learning"),
    path("cohorts/<int:pk>/enrol/", participant.enrol, name="enrol"),
    path("cohorts/<int:pk>/apply/", participant.apply, name="apply"),
    path("enrolments/<int:pk>/cancel/", participant.enrolment_step, {"step": "cancel"}, name="cancel"),
    path("enrolments/<int:pk>/accept/", participant.enrolment_step, {"step": "accept"}, name="accept_offer"),
    path(
        "enrolments/<int:pk>/accept-invitation/",
        participant.enrolment_step,
        {"step": "invitation"},
        name="accept_invitation",
    ),
    path("enrolments/<int:pk>/feedback/", participant.feedback, name="feedback"),
    path("enrolments/<int:pk>/certificate.pdf", participant.certificate_pdf, name="certificate_pdf"),
    path("sessions/<int:pk>/calendar.ics", participant.session_calendar, name="session_calendar"),
    path("certificates/<str:code>/", participant.certificate_verify, name="certificate_verify"),
    # Programme staff
    path("manage/", staff.programme_list, name="staff_programmes"),
    path("manage/programmes/new/", staff.programme_create, name="staff_programme_create"),
    path("manage/programmes/<int:pk>/", staff.programme_detail, name="staff_programme"),
    path("manage/programmes/<int:pk>/edit/", staff.programme_edit, name="staff_programme_edit"),
    path("manage/programmes/<int:pk>/cohorts/new/", staff.cohort_create, name="staff_cohort_create"),
    path("manage/cohorts/<int:pk>/", staff.cohort_detail, name="staff_cohort"),
    path("manage/cohorts/<int:pk>/edit/", staff.cohort_edit, name="staff_cohort_edit"),
    path("manage/cohorts/<int:pk>/cancel/", staff.cohort_cancel, name="staff_cohort_cancel"),
    path("manage/cohorts/<int:pk>/status/<str:action>/", staff.cohort_status, name="staff_cohort_status"),
    path("manage/cohorts/<int:pk>/add/", staff.cohort_add_person, name="staff_cohort_add"),
    path(
        "manage/cohorts/<int:pk>/promote/<int:enrolment_pk>/",
        staff.waitlist_promote,
        name="staff_waitlist_promote",
    ),
    path(
        "manage/cohorts/<int:pk>/register.csv",
        staff.register_download,
        {"fmt": "csv"},
        name="staff_register_csv",
    ),
    path(
        "manage/cohorts/<int:pk>/register.xlsx",
        staff.register_download,
        {"fmt": "xlsx"},
        name="staff_register_xlsx",
    ),
    path("manage/cohorts/<int:pk>/import/", staff.cohort_import, name="staff_cohort_import"),
    path("manage/history/<slug:kind>/", staff.history_import, name="staff_history_import"),
    path(
        "manage/history/<slug:kind>/template.<str:fmt>",
        staff.history_template,
        name="staff_history_template",
    ),
    path(
        "manage/import-template.<str:fmt>",
        staff.cohort_import_template,
        name="staff_import_template",
    ),
    path("manage/cohorts/<int:pk>/sessions/new/", staff.session_create, name="staff_session_create"),
    path("manage/cohorts/<int:pk>/applications/", staff.applications, name="staff_applications"),
    path("manage/sessions/<int:pk>/edit/", staff.session_edit, name="staff_session_edit"),
    path("manage/sessions/<int:pk>/cancel/", staff.session_cancel, name="staff_session_cancel"),
    path("manage/sessions/<int:pk>/attendance/", staff.attendance, name="staff_attendance"),
    path("manage/applications/<int:pk>/decide/", staff.application_decide, name="staff_application_decide"),
    path(
        "manage/enrolments/<int:enrolment_pk>/offer/", staff.application_offer, name="staff_application_offer"
    ),
    # Last, so it cannot shadow the paths above.
    path("<slug:slug>/", participant.programme_detail, name="programme"),
]
