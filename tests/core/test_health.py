"""/healthz: 200 when the database and the task queue answer, 503 with the reason otherwise;
no sign-in, no data. (tests/core/test_serve.py asks it through the real server too.)"""

import socket

import pytest
from django.db import connection
from django.urls import reverse

from fupin.core.views import health


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stopped_database():
    """A PostgreSQL connection to a port nobody listens on: a database that is down."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    settings = {**connection.settings_dict}
    settings.update(
        ENGINE="django.db.backends.postgresql",
        HOST="127.0.0.1",
        PORT=closed_port(),
        NAME="fupin",
        USER="fupin",
        PASSWORD="",
        OPTIONS={"connect_timeout": 2},
        CONN_HEALTH_CHECKS=False,
    )
    return DatabaseWrapper(settings, alias="stopped")


@pytest.mark.django_db
def test_healthy_without_signing_in(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_a_stopped_database_answers_503_with_the_reason_and_nothing_else(client, monkeypatch):
    down = stopped_database()
    assert health.problems(down) == ["database unreachable"]
    real = health.problems
    monkeypatch.setattr(health, "problems", lambda: real(down))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "problems": ["database unreachable"]}
    # The error text (host, port, user, database name) stays in the log.
    assert b"127.0.0.1" not in response.content
    assert b"fupin" not in response.content


@pytest.mark.django_db
def test_a_missing_task_queue_answers_503(client, monkeypatch):
    monkeypatch.setattr(health.DBTaskResult._meta, "db_table", "no_such_queue_table")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["problems"] == ["task queue unreachable"]


@pytest.mark.django_db
def test_only_get_and_head(client):
    assert client.post(reverse("healthz")).status_code == 405
    assert client.options(reverse("healthz")).status_code == 405
