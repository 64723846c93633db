from django.urls import path

from fupin.assessment import views

urlpatterns = [
    path("", views.assessment_home, name="assessment-home"),
    path("areas/<str:code>/", views.assessment_area, name="assessment-area"),
    path("areas/<str:code>/run/", views.assessment_start, name="assessment-start"),
    path("areas/<str:code>/households/", views.assessment_households, name="assessment-households"),
    path("households/<int:pk>/", views.assessment_household, name="assessment-household"),
    path(
        "households/<int:pk>/events/",
        views.assessment_household_event,
        name="assessment-household-event",
    ),
    path(
        "villages/<str:code>/checklist/<int:year>/",
        views.assessment_checklist,
        name="assessment-checklist",
    ),
    path("inspection/", views.assessment_inspection, name="assessment-inspection"),
    path("standards/", views.assessment_standards, name="assessment-standards"),
    *(
        path(
            f"standards/{slug}/",
            views.assessment_standards_edit,
            {"table": slug},
            name=f"assessment-standards-{slug}",
        )
        for slug in views.STANDARD_TABLES
    ),
]
