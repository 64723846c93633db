from django.urls import include, path

from fupin.api.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("fupin.core.urls")),
    path("registry/", include("fupin.registry.urls")),
    path("assessment/", include("fupin.assessment.urls")),
    path("plans/", include("fupin.workplan.urls")),
    path("fieldwork/", include("fupin.fieldwork.urls")),
    path("procedures/", include("fupin.procedures.urls")),
    path("api/v1/", api.urls),
    path("api/", include("fupin.api.urls")),
]
