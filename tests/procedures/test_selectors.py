"""The reads: each role's queue, counts by step, a procedure's detail in a fixed number of
queries, all scoped."""

from fupin.core.roles import Role
from fupin.procedures import selectors
from tests.procedures.factories import VOTES, household, record, start


def test_each_role_waits_for_its_own_steps(world):
    clerk = world.user(Role.VILLAGE_CLERK)
    township = world.user(Role.TOWNSHIP_REVIEWER)
    fresh = start(household(world.village), clerk)
    noticed = start(household(world.village), clerk)
    for code, extra in [
        ("application", {}),
        ("group_appraisal", {"votes": VOTES}),
        ("exclusion_check", {}),
        ("representatives_appraisal", {"votes": VOTES}),
        ("village_verification", {}),
        ("first_notice", {}),
    ]:
        record(noticed, code, clerk, **extra)
    start(household(world.outside_village), world.outsider)
    assert list(selectors.waiting_for(clerk)) == [fresh]
    queue = list(selectors.waiting_for(township))
    assert queue == [noticed] and queue[0].waiting_since is not None
    assert list(selectors.waiting_for(world.user(Role.COUNTY_APPROVER))) == []
    assert list(selectors.waiting_for(world.outsider))[0].village == world.outside_village


def test_counts_by_step(world, django_assert_num_queries):
    clerk = world.user(Role.VILLAGE_CLERK)
    for _ in range(3):
        start(household(world.village), clerk)
    record(start(household(world.village), clerk), "application", clerk)
    start(household(world.outside_village), world.outsider)
    county = world.user(Role.COUNTY_APPROVER)
    with django_assert_num_queries(2):
        rows = selectors.counts_by_step(county, year=2019)
    assert [(r["step__code"], r["n"]) for r in rows] == [(None, 3), ("application", 1)]


def test_the_detail_reads_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    clerk = world.user(Role.VILLAGE_CLERK)
    procedure = start(household(world.village), clerk)
    record(procedure, "application", clerk)
    record(procedure, "group_appraisal", clerk, votes=VOTES)
    with django_assert_num_queries(5):
        found = selectors.procedure_detail(clerk, procedure.pk)
        steps = [(r.step.code, r.actor.username) for r in found.records.all()]
        assert len(found.objections.all()) == 0 and len(found.risk_types.all()) == 0
    assert steps == [("application", clerk.username), ("group_appraisal", clerk.username)]
