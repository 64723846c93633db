"""Set-based writes for large imports: upsert rows and record their history in plain SQL.

Django's bulk_create builds every statement through the ORM's compiler, which is most of the
time of a million-row import; here one parameterised statement is prepared and sent with
executemany — `INSERT … ON CONFLICT (…) DO UPDATE`, which SQLite (3.24+) and PostgreSQL both
speak. History rows are copied from the written rows with one INSERT … SELECT per batch, so
the audit trail is the same as django-simple-history writes for a form's save.
"""

from django.db import connection
from django.utils import timezone

BATCH = 5000


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def upsert(model, rows: list[dict], unique: list[str]) -> None:
    """Insert `rows` (dicts by column name), or update the row with the same `unique` key."""
    if not rows:
        return
    columns = list(rows[0])
    updates = [c for c in columns if c not in unique]
    # Only names from the model's metadata (quoted) go into the text; values are parameters.
    sql = (
        f"INSERT INTO {_quote(model._meta.db_table)} ({', '.join(map(_quote, columns))}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(map(_quote, unique))}) DO UPDATE SET "
        + ", ".join(f"{_quote(c)} = excluded.{_quote(c)}" for c in updates)
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                sql, [tuple(row[c] for c in columns) for row in rows[start : start + BATCH]]
            )


def history_columns(model) -> list[str]:
    """The columns a model's history table copies from the model's own table."""
    history = model.history.model
    own = {f.column for f in model._meta.concrete_fields if not f.generated}
    return [f.column for f in history._meta.concrete_fields if f.column in own]


def record_history(model, ids: list[int], *, history_type: str, user, reason: str) -> None:
    """One history row per id ('+' created, '~' changed), as simple-history would write."""
    if not ids:
        return
    columns = history_columns(model)
    column_list = ", ".join(map(_quote, columns))
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = getattr(user, "pk", None)
    history_table = _quote(model.history.model._meta.db_table)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        sql = (
            f"INSERT INTO {history_table} ({column_list}, history_date, history_change_reason,"
            f" history_type, history_user_id) SELECT {column_list}, %s, %s, %s, %s "
            f"FROM {_quote(model._meta.db_table)} WHERE id IN ({', '.join(['%s'] * len(chunk))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [when, reason, history_type, user_id, *chunk])
