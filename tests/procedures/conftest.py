import pytest


@pytest.fixture(autouse=True)
def procedure_defaults(request):
    """The workflows and risk types the migrations seed: a transactional test elsewhere
    empties every table, so they are put back for each test here."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    if not marker and "procedures/test_rules" in str(request.node.fspath):
        return  # the pure rules need no database
    request.getfixturevalue("transactional_db" if transactional else "db")
    import importlib

    from django.apps import apps

    from fupin.procedures.defaults import ensure_defaults

    ensure_defaults()
    # The assessment's seeded standards too: exit verification assesses households.
    importlib.import_module("fupin.assessment.migrations.0002_seed_standards").seed(apps, None)
