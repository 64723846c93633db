from django.urls import path

from fupin.workplan import views

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("<int:plan_id>/", views.plan_detail, name="plan-detail"),
    path("<int:plan_id>/documents/", views.plan_document, name="plan-document"),
    path("objectives/<int:objective_id>/", views.objective_actual, name="objective-actual"),
    path("ledger/", views.ledger_export, name="ledger-export"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/<int:project_id>/", views.project_detail, name="project-detail"),
    path("projects/<int:project_id>/progress/", views.progress_create, name="progress-create"),
    path(
        "projects/<int:project_id>/expenditures/",
        views.expenditure_create,
        name="expenditure-create",
    ),
    path("projects/<int:project_id>/status/", views.project_status, name="project-status"),
    path("progress/<int:update_id>/photo/", views.progress_photo, name="progress-photo"),
    path("gantt/", views.gantt, name="workplan-gantt"),
    path("budget/", views.budget, name="workplan-budget"),
    path("warnings/", views.warnings, name="workplan-warnings"),
    path("departments/", views.departments, name="workplan-departments"),
    path("rollup/", views.rollup, name="workplan-rollup"),
]
