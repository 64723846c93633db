"""Schema-driven fuzzing of the API against a live server with data: no server error, and
every answer matches the schema. Bounded: a few examples per operation, no deadline."""

import datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from fupin.api.services import api_token_create
from fupin.core.roles import Role
from fupin.fieldwork import services
from fupin.fieldwork.defaults import ensure_defaults
from tests.fieldwork import factories
from tests.registry.factories import make_household


@pytest.fixture
def served(transactional_db, live_server, world, seeded_standards):
    from fupin.assessment.services import assessment_run
    from tests.workplan import factories as plans

    for _ in range(3):
        make_household(world.village, income=4000)
    make_household(world.outside_village)
    ensure_defaults()  # the measure types and visit policy, emptied by a transactional test
    home = factories.household(world.village)
    cadre = factories.cadre(world.village)
    follow_up = {"action": "联系医保", "owner": cadre, "due_on": datetime.date(2019, 5, 15)}
    factories.visit(home, datetime.date(2019, 5, 1), visitor=cadre, follow_up=follow_up)
    services.household_pair(household=home, cadre=cadre, on=datetime.date(2019, 1, 1))
    assessment_run(area=world.village, year=2019)
    plans.project(world.village)
    _token, secret = api_token_create(user=world.user(Role.VILLAGE_CLERK))
    return live_server.url, secret


def test_no_server_error_and_answers_match_the_schema(served):
    url, secret = served
    schema = schemathesis.openapi.from_url(f"{url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 35

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def fuzz(case):
            case.call_and_validate(
                base_url=url,
                headers={"Authorization": f"Bearer {secret}"},
                checks=[not_a_server_error, response_schema_conformance],
            )

        fuzz()
