from django.urls import path

from fupin.fieldwork import views

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
