"""The assessment's seeded standards, for the API tests that run an assessment after a flush."""

import pytest

from tests.assessment.conftest import seeded_standards  # noqa: F401


@pytest.fixture(autouse=True)
def fieldwork_types(request):
    """The meeting and dispute types the API's create cases name, as the migrations seed
    them: a transactional test elsewhere may have emptied the tables."""
    if "world" in request.fixturenames:
        request.getfixturevalue("db")
        from fupin.fieldwork.defaults import ensure_defaults

        ensure_defaults()
