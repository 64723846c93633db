from django.urls import path

from fupin.api import views

urlpatterns = [
    path("tokens/", views.token_list, name="api-tokens"),
    path("tokens/revoke/", views.token_revoke, name="api-token-revoke"),
]
