"""The benchmarks' databases: Django set up on a database of the bench's own, never one it
was not given — a throwaway SQLite file or a scratch PostgreSQL database made beside a server's
database and dropped afterwards.

Migrating an empty SQLite database takes Fupin ~18 s of Python (the migration states of the
big initial migrations), longer than most benches at a small size take to build and time.
`migrate()` therefore keeps one migrated SQLite file per set of migrations (their files' bytes
and Django's version are its name) in `$FUPIN_BENCH_CACHE` (default: the system's temporary
folder) and copies it into the next bench's empty database instead of migrating again.
"""

import contextlib
import hashlib
import os
import sqlite3
import sys
import tempfile
from pathlib import Path


def setup_django(url: str, **env: str) -> None:
    """Django on the database `url` (and `env`'s further settings), migrated."""
    os.environ["DATABASE_URL"] = url
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    migrate()
    import fupin.wsgi  # noqa: F401 — the server's own start-up, its gc.freeze() included


def migrations_key() -> str:
    """A digest of every migration Django would apply, by content: a changed migration is a
    new key even before its name changes."""
    import django
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256(django.__version__.encode())
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in sorted(loader.disk_migrations):
        module = sys.modules[type(loader.disk_migrations[key]).__module__]
        digest.update(repr(key).encode())
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def migrate() -> None:
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "sqlite":
        call_command("migrate", verbosity=0, interactive=False)
        return
    folder = Path(os.environ.get("FUPIN_BENCH_CACHE") or tempfile.gettempdir())
    template = folder / f"fupin-bench-migrated-{migrations_key()}.sqlite3"
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master")
        empty = cursor.fetchone()[0] == 0
    if empty and template.exists():
        with contextlib.closing(sqlite3.connect(template)) as source:
            source.backup(connection.connection)
        return
    call_command("migrate", verbosity=0, interactive=False)
    if empty:
        folder.mkdir(parents=True, exist_ok=True)
        # Written aside, then renamed: benches started together never read half a file.
        partial = folder / f"{template.name}.{os.getpid()}"
        with contextlib.closing(sqlite3.connect(partial)) as copy:
            connection.connection.backup(copy)
        os.replace(partial, template)


@contextlib.contextmanager
def scratch_database(url: str):
    """A new, empty PostgreSQL database beside the one `url` names; dropped afterwards."""
    import psycopg

    name = f"fupin_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
