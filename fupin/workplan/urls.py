from django.urls import path

from fupin.workplan import views

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("new/", views.plan_create, name="plan-create"),
    path("<int:plan_id>/", views.plan_detail, name="plan-detail"),
    path("<int:plan_id>/edit/", views.plan_edit, name="plan-edit"),
    path("<int:plan_id>/objectives/new/", views.objective_create, name="objective-create"),
    path("<int:plan_id>/work-items/new/", views.work_item_create, name="work-item-create"),
    path("<int:plan_id>/projects/new/", views.project_create, name="project-create"),
    path("objectives/<int:objective_id>/edit/", views.objective_edit, name="objective-edit"),
    path("work-items/<int:item_id>/edit/", views.work_item_edit, name="work-item-edit"),
    path("<int:plan_id>/documents/", views.plan_document, name="plan-document"),
    path("objectives/<int:objective_id>/", views.objective_actual, name="objective-actual"),
    path("ledger/", views.ledger_export, name="ledger-export"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/<int:project_id>/", views.project_detail, name="project-detail"),
    path("projects/<int:project_id>/edit/", views.project_edit, name="project-edit"),
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
    path("departments/manage/", views.department_list, name="department-list"),
    path("departments/new/", views.department_create, name="department-create"),
    path("departments/<int:department_id>/edit/", views.department_edit, name="department-edit"),
    path("rollup/", views.rollup, name="workplan-rollup"),
]
