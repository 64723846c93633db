"""`/healthz`: whether this server can do its work, for a load balancer or a monitor.

No sign-in and no data: the answer names only which part is unreachable (never the error
text, which may hold a host name or a user name), and is never cached.
"""

import logging

from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def problems(connection=None) -> list[str]:
    """What keeps Fupin from serving: [] when the database and the task queue answer."""
    connection = connection or connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("healthz: the database is unreachable")
        return ["database unreachable"]
    # The task queue is a table in the same database (django_tasks_db): reachable when the
    # table can be read; a worker takes tasks from it.
    table = connection.ops.quote_name(DBTaskResult._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608 - a model's table name
    except DatabaseError:
        logger.exception("healthz: the task queue is unreachable")
        return ["task queue unreachable"]
    return []


@never_cache
@require_http_methods(["GET", "HEAD"])
def healthz(request):
    found = problems()
    if found:
        return JsonResponse({"status": "unavailable", "problems": found}, status=503)
    return JsonResponse({"status": "ok"})
