from django.contrib.auth import views as auth_views
from django.urls import path

from fupin.core.access import FORM, READ, answering
from fupin.core.views import areas, audit, health, home, jobs, users
from fupin.core.views.password import CountedPasswordChangeView

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        answering(FORM, CountedPasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        answering(READ, auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("areas/import/", areas.area_import, name="area-import"),
    path("areas/<str:code>/", areas.area_detail, name="area-detail"),
    path("areas/<str:code>/statistics/", areas.area_statistics_start, name="area-statistics"),
    path("tasks/", jobs.job_list, name="job-list"),
    path("tasks/<uuid:job_id>/", jobs.job_detail, name="job-detail"),
    path("tasks/<uuid:job_id>/progress/", jobs.job_progress, name="job-progress"),
    path("tasks/<uuid:job_id>/download/", jobs.job_download, name="job-download"),
    path("history/deleted/", audit.deleted_records, name="deleted-records"),
    path(
        "history/<str:app_label>/<str:model_name>/<str:pk>/",
        audit.record_history,
        name="record-history",
    ),
    path("users/", users.user_list, name="user-list"),
    path("users/new/", users.user_create, name="user-create"),
    path("users/import/", users.user_import, name="user-import"),
    path("users/<int:user_id>/", users.user_edit, name="user-edit"),
    path("users/<int:user_id>/password/", users.user_reset_password, name="user-reset-password"),
    path("users/<int:user_id>/unlock/", users.user_unlock, name="user-unlock"),
]
