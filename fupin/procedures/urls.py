from django.urls import path

from fupin.procedures import views

urlpatterns = [
    path("", views.procedure_list, name="procedure-list"),
    path("waiting/", views.waiting, name="procedure-waiting"),
    path("overview/", views.overview, name="procedure-overview"),
    path("batch/", views.batch, name="procedure-batch"),
    path("monitoring-proposals/", views.monitoring_proposals, name="monitoring-proposals"),
    path("<int:pk>/", views.procedure_detail, name="procedure-detail"),
    path("<int:pk>/step/", views.step_create, name="procedure-step"),
    path("<int:pk>/withdraw/", views.procedure_withdraw, name="procedure-withdraw"),
    path("<int:pk>/objections/new/", views.objection_raise, name="objection-raise"),
    path("<int:pk>/agreement.docx", views.agreement_docx, name="procedure-agreement"),
    path("households/<int:household_id>/start/", views.procedure_start, name="procedure-start"),
    path("records/<int:record_id>/reverse/", views.step_reverse, name="step-reverse"),
    path(
        "objections/<int:objection_id>/resolve/", views.objection_resolve, name="objection-resolve"
    ),
    path("notices/", views.notice_list, name="notice-list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice-detail"),
    path("notices/<int:pk>/notice.docx", views.notice_docx, name="notice-docx"),
    path("attachments/<int:pk>/", views.attachment_file, name="procedure-attachment"),
    path("batches/<int:pk>/document/", views.batch_document, name="batch-document"),
]
