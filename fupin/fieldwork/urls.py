from django.urls import path

from fupin.fieldwork import views, views_meetings

urlpatterns = [
    path("compliance/", views.compliance_page, name="fieldwork-compliance"),
    path("cadres/", views.cadre_list, name="fieldwork-cadres"),
    path("cadres/new/", views.cadre_create, name="fieldwork-cadre-create"),
    path("households/<int:household_id>/visits/new/", views.visit_create, name="visit-create"),
    path("households/<int:household_id>/pairing/", views.pairing_edit, name="pairing-edit"),
    path("follow-ups/<int:follow_up_id>/done/", views.follow_up_done, name="follow-up-done"),
    path(
        "households/<int:household_id>/measures/new/", views.measure_create, name="measure-create"
    ),
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
