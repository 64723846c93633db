"""fupin backup / fupin restore: a database holding registry, assessment and work-plan data
(the demo) round-trips table for table, on SQLite and on PostgreSQL; a non-empty target is
refused unless --force; a file of the wrong kind is refused."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from fupin.assessment.models import AssessmentRun, RuleSet
from fupin.core.backup import BackupError, open_connection, restore
from fupin.registry.models import Household
from fupin.workplan.models import Project


def target_database(tmp_path) -> dict:
    database = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        database["NAME"] = f"{connection.settings_dict['NAME']}_restore"
    else:
        database["NAME"] = str(tmp_path / "restored.sqlite3")
    return database


@pytest.fixture
def empty_target(tmp_path):
    database = target_database(tmp_path)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{database["NAME"]}"')
    yield database
    if connection.vendor == "postgresql":
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')


def dump(wrapper) -> dict[str, list]:
    """Every table's every row, in a fixed order. Not SQLite's planner statistics
    (sqlite_stat1, which ANALYZE remakes): the test's in-memory shared-cache database shows
    this connection none of the rows that another connection's ANALYZE wrote and the backup
    copies."""
    tables = {}
    with wrapper.cursor() as cursor:
        for table in sorted(wrapper.introspection.table_names(cursor)):
            if table.startswith("sqlite_"):
                continue
            name = wrapper.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {name}")  # noqa: S608 - a table name from the schema
            tables[table] = sorted(cursor.fetchall(), key=repr)
    return tables


@pytest.fixture
def demo_data(transactional_db):
    if not RuleSet.objects.exists():
        # The seeded standards again: an earlier transactional test's flush removed them.
        import importlib

        from django.apps import apps

        importlib.import_module("fupin.assessment.migrations.0002_seed_standards").seed(apps, None)
    call_command("demo", verbosity=0)
    assert Household.objects.exists()
    assert AssessmentRun.objects.exists()
    assert Project.objects.exists()


def test_backup_restores_every_table_row_for_row(demo_data, empty_target, tmp_path, capsys):
    out = tmp_path / "nightly.backup"
    call_command("backup", out=out)
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert "Backup written to" in capsys.readouterr().out
    tables = restore(out, empty_target)
    restored = open_connection(empty_target)
    try:
        original, copy = dump(connection), dump(restored)
    finally:
        restored.close()
    assert tables >= len(original) > 30
    assert list(copy) == list(original)
    for table in original:
        assert copy[table] == original[table], table
    assert len(original["registry_household"]) == Household.objects.count() > 0
    assert len(original["workplan_project"]) > 0

    # (One demo load for both: transactional_db empties the standards the migrations seed.)
    # Now the target is not empty: refused, unchanged, unless --force replaces everything.
    target = open_connection(empty_target)
    try:
        with target.cursor() as cursor:
            # A table no other row references (members are named by meetings and cases).
            cursor.execute("DELETE FROM registry_yearlyincome")
            cursor.execute("CREATE TABLE stray (x integer)")
        if not target.get_autocommit():
            target.commit()
    finally:
        target.close()
    with pytest.raises(BackupError, match="is not empty"):
        restore(out, empty_target)
    target = open_connection(empty_target)
    try:
        with target.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM registry_yearlyincome")
            assert cursor.fetchone()[0] == 0  # the refusal changed nothing
    finally:
        target.close()
    restore(out, empty_target, force=True)
    target = open_connection(empty_target)
    try:
        with target.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM registry_yearlyincome")
            assert cursor.fetchone()[0] > 0
            assert "stray" not in target.introspection.table_names(cursor)
    finally:
        target.close()


def test_restore_command_refuses_what_is_not_a_backup(tmp_path, db):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup")
    with pytest.raises(CommandError, match="is not a Fupin backup"):
        call_command("restore", str(bogus))


def test_a_backup_of_the_other_kind_is_refused(tmp_path, db):
    other = tmp_path / "other.backup"
    if connection.vendor == "postgresql":
        import sqlite3

        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
        expected = "is a sqlite backup and the database is postgres"
    else:
        other.write_bytes(b"PGDMP" + b"\0" * 100)
        expected = "is a postgres backup and the database is sqlite"
    with pytest.raises(BackupError, match=expected):
        restore(other, target_database(tmp_path))
