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
