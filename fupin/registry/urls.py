from django.urls import path

from fupin.registry.views import exclusions, households, members, quality, transfer

urlpatterns = [
    path("", households.household_list_view, name="household-list"),
    path("households/add/", households.household_add, name="household-add"),
    path("households/<int:pk>/", households.household_detail, name="household-detail"),
    path("households/<int:pk>/edit/", households.household_edit, name="household-edit"),
    path("households/<int:pk>/members/add/", members.member_add, name="member-add"),
    path("members/<int:pk>/edit/", members.member_edit, name="member-edit"),
    path("members/<int:pk>/move/", members.member_move_view, name="member-move"),
    path("members/<int:pk>/id-number/", members.member_reveal, name="member-reveal"),
    path("households/<int:pk>/incomes/add/", members.income_add, name="income-add"),
    path("incomes/<int:pk>/edit/", members.income_edit, name="income-edit"),
    path("import/", transfer.registry_import, name="registry-import"),
    path("template.xlsx", transfer.registry_template, name="registry-template"),
    path("export/", transfer.registry_export, name="registry-export"),
    path("quality/", quality.quality_overview, name="registry-quality"),
    path("quality/download.xlsx", quality.quality_download, name="registry-quality-download"),
    path(
        "quality/<str:check>/<str:code>/", quality.quality_records, name="registry-quality-records"
    ),
    path("exclusions/", exclusions.exclusion_lists, name="exclusion-lists"),
]
