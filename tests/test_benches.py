"""Every benchmark in bench/ still runs: each at a tiny size, in its own process, against a
throwaway database of its own, must exit 0 and print its figures.

The benches build their data in raw SQL, so a new NOT NULL column breaks them without any
other test noticing. Nothing here looks at a timing (docs/performance.md holds those). The
benches never see this session's database: their processes get no DATABASE_URL, and the
PostgreSQL ones make a scratch database beside the server's maintenance database, dropped
afterwards (bench.database.scratch_database).
"""

import os
import pkgutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

import bench

ROOT = Path(__file__).resolve().parent.parent

# module: (arguments for a tiny run, a line of its figures, needs PostgreSQL)
BENCHES = {
    "bench.import_registry": (
        ["--persons", "800", "--sample", "200", "--xlsx-persons", "200", "--repeat", "1"],
        "ratio fupin/floor",
        False,
    ),
    "bench.assess": (["--persons", "1000", "--sample", "50"], "loop / set-based:", False),
    "bench.import_areas": (
        ["--villages", "20", "--groups", "2"],
        "import-areas vs row by row:",
        False,
    ),
    "bench.fieldwork": (
        ["--scale", "0.002", "--repeat", "1", "--sample", "20", "--pages", "2"],
        "goals (compliance, after a visit",
        False,
    ),
    "bench.procedures": (
        ["--procedures", "600", "--village-households", "20", "--repeat", "1"],
        "goal (batch step",
        False,
    ),
    "bench.api_list": (["--households", "1500", "--repeat", "1"], "slowest API list", True),
}
# The benches that can also build in PostgreSQL: on a PostgreSQL session they run there.
POSTGRES_OPTION = {"bench.import_registry", "bench.fieldwork", "bench.procedures"}


def postgres_server() -> str | None:
    """The session's PostgreSQL server, by its maintenance database (never the test one)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    return urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()


def test_every_bench_module_is_smoke_tested():
    modules = {
        f"bench.{module.name}"
        for module in pkgutil.iter_modules(bench.__path__)
        if module.name not in {"__main__", "database"}
    }
    assert modules == set(BENCHES)


@pytest.fixture(scope="session")
def migrated_cache(tmp_path_factory):
    """One migrated SQLite template for all the benches of this session (bench.database)."""
    return tmp_path_factory.mktemp("bench-cache")


@pytest.mark.parametrize("module", list(BENCHES))
def test_bench_runs(module, tmp_path, migrated_cache):
    arguments, figures, needs_postgres = BENCHES[module]
    server = postgres_server()
    if needs_postgres and not server:
        pytest.skip(f"{module} builds its data in PostgreSQL's SQL; this session is on SQLite")
    if server and (needs_postgres or module in POSTGRES_OPTION):
        arguments = [*arguments, "--postgres", server]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        PYTHONPATH=str(ROOT),
        FUPIN_VAR_DIR=str(tmp_path),
        FUPIN_BENCH_CACHE=str(migrated_cache),
        TMPDIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert figures in result.stdout, result.stdout
