"""Bad configuration stops start-up with a clear message; production settings pass --deploy."""

import os
import subprocess
import sys

import pytest


def run_fupin(*args, **env):
    # A clean environment but for PATH and the like: no test-only or CI variables leak in.
    dropped = {"DATABASE_URL", "FUPIN_ENV", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "fupin", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "url", ["mysql://user@host/db", "not a url", "sqlite://", "postgres://host:5432/"]
)
def test_malformed_database_url_stops_start_up(url):
    result = run_fupin("check", DATABASE_URL=url)
    assert result.returncode == 2
    assert "fupin: configuration error: DATABASE_URL=" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_needs_a_secret_key():
    result = run_fupin("check", FUPIN_ENV="production", ALLOWED_HOSTS="fupin.example")
    assert result.returncode == 2
    assert "SECRET_KEY must be set when FUPIN_ENV=production" in result.stderr


def test_production_needs_allowed_hosts():
    result = run_fupin("check", FUPIN_ENV="production", SECRET_KEY="k" * 60)
    assert result.returncode == 2
    assert "ALLOWED_HOSTS must be set when FUPIN_ENV=production" in result.stderr


def test_production_refuses_debug():
    result = run_fupin(
        "check", FUPIN_ENV="production", SECRET_KEY="k" * 60, ALLOWED_HOSTS="a", DEBUG="1"
    )
    assert result.returncode == 2
    assert "DEBUG must be off when FUPIN_ENV=production" in result.stderr


def test_bad_boolean_is_refused():
    result = run_fupin("check", DEBUG="maybe")
    assert result.returncode == 2
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_production_settings_pass_the_deployment_check(tmp_path):
    result = run_fupin(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        FUPIN_ENV="production",
        SECRET_KEY="x" * 20 + "-production-secret-key-that-is-long-enough-1234567890",
        ALLOWED_HOSTS="fupin.example",
        DATABASE_URL=f"sqlite:///{tmp_path}/prod.sqlite3",
        FUPIN_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_sqlite_connections_are_set_up_for_a_county_s_rows():
    """The pragmas each SQLite connection runs (see config.database): WAL, a large page
    cache, and an ANALYZE bounded to about a thousand rows an index."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's pragmas: this run is on PostgreSQL")
    with connection.cursor() as cursor:
        found = {}
        for pragma in ("journal_mode", "cache_size", "temp_store", "analysis_limit"):
            cursor.execute(f"PRAGMA {pragma}")
            found[pragma] = cursor.fetchone()[0]
    # An in-memory test database has no WAL; a file database does.
    assert found["journal_mode"] in {"wal", "memory"}
    assert found == {**found, "cache_size": -65536, "temp_store": 2, "analysis_limit": 1000}


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit(tmp_path):
    """PostgreSQL's JIT compiled a county's grouped figures for longer than they ran
    (docs/performance.md): every connection turns it off, keeping options of the URL."""
    from fupin.config import database_from_url

    plain = database_from_url("postgres://fupin@db.example/fupin", tmp_path)
    assert plain["OPTIONS"]["options"] == "-c jit=off"
    given = database_from_url(
        "postgres://fupin@db.example/fupin?options=-c%20statement_timeout%3D5000", tmp_path
    )
    assert given["OPTIONS"]["options"] == "-c statement_timeout=5000 -c jit=off"
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
