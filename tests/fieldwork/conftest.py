import pytest


@pytest.fixture(autouse=True)
def fieldwork_defaults(request):
    """The visit policy and measure types the migrations seed: a transactional test elsewhere
    empties every table, so they are put back for each test here."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from fupin.fieldwork.defaults import ensure_defaults

    ensure_defaults()
