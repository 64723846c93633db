"""The REST API, /api/v1/: django-ninja, one error shape, token or session auth, throttled."""

from django.conf import settings
from ninja import NinjaAPI
from ninja.throttling import AuthRateThrottle

from fupin.api import errors
from fupin.api.auth import AUTH

api = NinjaAPI(
    title="Fupin API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    throttle=[AuthRateThrottle(settings.API_THROTTLE_RATE)],
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

from fupin.api import (  # noqa: E402
    assessment,
    fieldwork,
    jobs,
    meetings,
    procedures,
    registry,
    trainings,
    workplan,
)

api.add_router("", registry.router)
api.add_router("", fieldwork.router)
api.add_router("", trainings.router)
api.add_router("", assessment.router)
api.add_router("", workplan.router)
api.add_router("", jobs.router)
api.add_router("", meetings.router)
api.add_router("", procedures.router)
