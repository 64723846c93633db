import importlib

import pytest
from django.apps import apps


@pytest.fixture
def seeded_standards(db):
    """The seeded standards again: a transactional test's flush removes the data migration's
    rows for the tests that follow it."""
    migration = importlib.import_module("fupin.assessment.migrations.0002_seed_standards")
    migration.seed(apps, None)
