"""`make serve`'s production server answers: gunicorn with its config serves /healthz and a
static file (WhiteNoise, compressed manifest), and a stopped database answers 503."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(tmp_path: Path, port: int, database_url: str) -> dict:
    # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser fixture; check --deploy refuses it.
    dropped = {
        "DATABASE_URL",
        "FUPIN_ENV",
        "SECRET_KEY",
        "DEBUG",
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        FUPIN_ENV="production",
        SECRET_KEY="serve-test-" + "s" * 60,
        ALLOWED_HOSTS="127.0.0.1",
        FUPIN_HTTPS="0",
        DATABASE_URL=database_url,
        FUPIN_VAR_DIR=str(tmp_path / "var"),
        FUPIN_BIND=f"127.0.0.1:{port}",
        FUPIN_WEB_WORKERS="2",
        FUPIN_BIN=str(BIN),
    )
    return env


def get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(url: str, process, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {process.stdout.read()}")
        try:
            return get(url)
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"no answer from {url}")


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise


def start(command, env):
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def test_make_serve_serves_healthz_and_static_files(tmp_path):
    port = free_port()
    env = production_env(tmp_path, port, f"sqlite:///{tmp_path}/fupin.sqlite3")
    server = start(["scripts/serve-production.sh"], env)
    try:
        status, headers, body = wait_for(f"http://127.0.0.1:{port}/healthz", server)
        assert status == 200, body
        assert json.loads(body) == {"status": "ok"}
        assert headers["Server"].startswith("gunicorn")
        manifest = json.loads((tmp_path / "var/static/staticfiles.json").read_text())
        name = manifest["paths"]["vendor/htmx/htmx.min.js"]
        assert name != "vendor/htmx/htmx.min.js"  # fingerprinted
        status, headers, body = get(f"http://127.0.0.1:{port}/static/{name}")
        assert status == 200
        assert b"htmx" in body
        assert "immutable" in headers["Cache-Control"]
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert status == 200  # the sign-in page, through the redirect
        assert b"csrfmiddlewaretoken" in body
    finally:
        stop(server)
    output = server.stdout.read()
    assert "Booting worker" in output  # gunicorn's log, on the script's stdout/stderr
    assert '"GET /healthz HTTP/1.1" 200' in output  # the access log too


@pytest.mark.parametrize("scheme", ["postgres"])
def test_a_stopped_database_answers_503_through_the_server(tmp_path, scheme):
    port, db_port = free_port(), free_port()
    env = production_env(tmp_path, port, f"{scheme}://fupin@127.0.0.1:{db_port}/fupin")
    server = start([str(BIN / "gunicorn"), "-c", "python:fupin.gunicorn_conf"], env)
    try:
        status, _, body = wait_for(f"http://127.0.0.1:{port}/healthz", server)
    finally:
        stop(server)
    assert status == 503
    assert json.loads(body) == {"status": "unavailable", "problems": ["database unreachable"]}
