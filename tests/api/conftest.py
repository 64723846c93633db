"""The assessment's seeded standards, for the API tests that run an assessment after a flush."""

from tests.assessment.conftest import seeded_standards  # noqa: F401
