"""Backing the database up while Fupin runs, and restoring it into an empty database.

SQLite: the online backup API (a consistent copy of every page, WAL included, while the
server and the task worker go on). PostgreSQL: `pg_dump -Fc` (one consistent snapshot) and
`pg_restore` in a single transaction, so a failed restore leaves the database as it was.
The backup's own first bytes say which kind it is: a file of one kind is never restored into
a database of the other.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connections
from django.db.utils import load_backend

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be made, with the reason for the operator."""


def is_postgres(database: dict) -> bool:
    return database["ENGINE"] == "django.db.backends.postgresql"


def kind_of(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            start = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror}") from None
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    if start.startswith(PG_MAGIC):
        return "postgres"
    raise BackupError(f"{path} is not a Fupin backup (neither SQLite nor pg_dump -Fc).")


def backup(out: Path, using: str = "default") -> None:
    """Write a consistent backup of the database `using` to `out` (replaced only when the
    whole backup is written)."""
    connection = connections[using]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    os.close(handle)
    partial = Path(partial)
    try:
        if is_postgres(connection.settings_dict):
            _pg_dump(connection.settings_dict, partial)
        else:
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        partial.chmod(0o600)  # full ID numbers inside
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)


def _pg_env(database: dict) -> dict:
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return env


def _pg_args(database: dict) -> list[str]:
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            args += [flag, str(database[key])]
    return [*args, "--dbname", database["NAME"]]


def _run(tool: str, args: list[str], database: dict) -> None:
    if not shutil.which(tool):
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client).")
    result = subprocess.run(
        [tool, *args], env=_pg_env(database), capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise BackupError(f"{tool} failed: {result.stderr.strip()}")


def _pg_dump(database: dict, out: Path) -> None:
    _run(
        "pg_dump",
        ["--format=custom", "--no-owner", "--file", str(out), *_pg_args(database)],
        database,
    )


def table_names(database: dict) -> list[str]:
    """The tables of a database (Django's own and Fupin's), by a connection of its own."""
    wrapper = open_connection(database)
    try:
        return wrapper.introspection.table_names()
    finally:
        wrapper.close()


def open_connection(database: dict, alias: str = "backup-target"):
    return load_backend(database["ENGINE"]).DatabaseWrapper(dict(database), alias)


def restore(path: Path, database: dict, *, force: bool = False) -> int:
    """Restore the backup at `path` into `database` (a DATABASES entry); the number of
    tables restored. Refuses a database that holds any table unless `force`, which replaces
    everything in it."""
    path = Path(path)
    kind = kind_of(path)
    wanted = "postgres" if is_postgres(database) else "sqlite"
    if kind != wanted:
        raise BackupError(
            f"{path} is a {kind} backup and the database is {wanted}: restore it into a "
            f"{kind} database (DATABASE_URL)."
        )
    existing = _existing_tables(database)
    if existing and not force:
        raise BackupError(
            f"the database {database['NAME']} is not empty ({len(existing)} tables): restore "
            "into a new, empty database, or add --force to replace everything in it."
        )
    if kind == "sqlite":
        _restore_sqlite(path, database)
    else:
        _restore_pg(path, database, clean=bool(existing))
    return len(table_names(database))


def _existing_tables(database: dict) -> list[str]:
    if not is_postgres(database) and not Path(database["NAME"]).exists():
        return []
    return table_names(database)


def _restore_sqlite(path: Path, database: dict) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{path} is damaged (SQLite's quick_check fails).")
        target = sqlite3.connect(database["NAME"])
        try:
            # Copies every page over whatever the target held: all or nothing.
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _restore_pg(path: Path, database: dict, *, clean: bool) -> None:
    if clean:
        wrapper = open_connection(database)
        try:
            with wrapper.cursor() as cursor:
                # What pg_restore --clean would leave behind (tables the backup lacks) goes too.
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        finally:
            wrapper.close()
    _run(
        "pg_restore",
        [
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            *_pg_args(database),
            str(path),
        ],
        database,
    )
