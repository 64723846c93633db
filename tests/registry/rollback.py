"""Run a block in a transaction that is always rolled back: one database state per
Hypothesis example, or per variant of a file compared with the others."""

from contextlib import contextmanager

from django.db import transaction


class _RolledBack(Exception):
    pass


@contextmanager
def rolled_back():
    try:
        with transaction.atomic():
            yield
            raise _RolledBack
    except _RolledBack:
        pass
