from django.urls import path

from fupin.fieldwork import views, views_meetings

urlpatterns = [
    path("compliance/", views.compliance_page, name="fieldwork-compliance"),
    path("cadres/", views.cadre_list, name="fieldwork-cadres"),
    path("cadres/new/", views.cadre_create, name="fieldwork-cadre-create"),
    path("cadres/<int:cadre_id>/edit/", views.cadre_edit, name="fieldwork-cadre-edit"),
    path("households/<int:household_id>/visits/new/", views.visit_create, name="visit-create"),
    path("visits/<int:visit_id>/edit/", views.visit_edit, name="visit-edit"),
    path("visits/<int:visit_id>/delete/", views.visit_delete, name="visit-delete"),
    path("households/<int:household_id>/pairing/", views.pairing_edit, name="pairing-edit"),
    path("follow-ups/<int:follow_up_id>/done/", views.follow_up_done, name="follow-up-done"),
    path("follow-ups/<int:follow_up_id>/cancel/", views.follow_up_cancel, name="follow-up-cancel"),
    path(
        "households/<int:household_id>/measures/new/", views.measure_create, name="measure-create"
    ),
    path("measures/<int:measure_id>/edit/", views.measure_edit, name="measure-edit"),
    path("measures/", views.measure_summary, name="measure-summary"),
    # meetings and activities; dispute mediation
    path("meetings/", views_meetings.meeting_list, name="meeting-list"),
    path("meetings/new/", views_meetings.meeting_create, name="meeting-create"),
    path("meetings/<int:meeting_id>/", views_meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:meeting_id>/edit/", views_meetings.meeting_edit, name="meeting-edit"),
    path(
        "meetings/<int:meeting_id>/decisions/",
        views_meetings.meeting_decision_add,
        name="meeting-decision-add",
    ),
    path("mediation/", views_meetings.mediation_list, name="mediation-list"),
    path("mediation/new/", views_meetings.mediation_create, name="mediation-create"),
    path("mediation/<int:case_id>/", views_meetings.mediation_detail, name="mediation-detail"),
    path("mediation/<int:case_id>/edit/", views_meetings.mediation_edit, name="mediation-edit"),
    path(
        "mediation/<int:case_id>/steps/",
        views_meetings.mediation_step_add,
        name="mediation-step-add",
    ),
]

# Spring Festival visits and household handbooks (views_festival, views_handbook).
from fupin.fieldwork import views_festival, views_handbook  # noqa: E402

urlpatterns += [
    path("festival/", views_festival.festival_page, name="festival-list"),
    path("festival/generate/", views_festival.festival_generate, name="festival-generate"),
    path("festival/entries/<int:entry_id>/", views_festival.festival_gift, name="festival-gift"),
    path("festival/sheet/", views_festival.festival_download, name="festival-download"),
    path("festival/export/", views_festival.festival_export, name="festival-export"),
    path(
        "households/<int:household_id>/handbook/",
        views_handbook.household_handbook,
        name="household-handbook",
    ),
    path(
        "villages/<str:village_code>/handbooks/",
        views_handbook.village_handbooks,
        name="village-handbooks",
    ),
]

# Trainings and vocational referral (fupin/fieldwork/views_trainings.py).
from fupin.fieldwork import views_trainings as trainings  # noqa: E402

urlpatterns += [
    path("trainings/", trainings.programme_list, name="training-programmes"),
    path("trainings/new/", trainings.programme_create, name="training-programme-create"),
    path("trainings/<int:pk>/", trainings.programme_detail, name="training-programme"),
    path("trainings/<int:pk>/enrol/", trainings.enrolment_create, name="training-enrol"),
    path(
        "trainings/enrolments/<int:pk>/",
        trainings.enrolment_outcome,
        name="training-enrolment-outcome",
    ),
    path("trainings/candidates/", trainings.candidate_list, name="training-candidates"),
    path("trainings/referrals/", trainings.referral_list, name="training-referrals"),
    path(
        "trainings/members/<int:member_id>/refer/",
        trainings.referral_create,
        name="training-referral-create",
    ),
    path(
        "trainings/referrals/<int:pk>/",
        trainings.referral_outcome,
        name="training-referral-outcome",
    ),
]
