"""Two reviewers approving the same step at the same moment: exactly one succeeds, the other
is told who recorded it. On PostgreSQL, with two connections (one per thread)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from fupin.core.roles import Role
from fupin.procedures import services
from fupin.procedures.models import StepRecord
from fupin.procedures.services import StepRefused
from tests.conftest import make_user
from tests.procedures.factories import VOTES, household, record, start

D = datetime.date


def _race(procedure, users, step, day):
    """Each user records `step` in a thread of its own, all released at once."""
    barrier = threading.Barrier(len(users))
    results = {}

    def approve(user):
        try:
            barrier.wait(timeout=10)
            services.step_record(procedure=procedure, step_code=step, user=user, on=day, today=day)
            results[user.username] = "recorded"
        except StepRefused as refusal:
            results[user.username] = refusal
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_the_same_step_at_once(world):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite has one writer at a time, so two connections never "
            "race (run with DATABASE_URL=postgres://…)"
        )
    clerk = world.user(Role.VILLAGE_CLERK)
    first = world.user(Role.TOWNSHIP_REVIEWER)
    second = make_user("township_2", Role.TOWNSHIP_REVIEWER, first.area_id)
    second.last_name, second.first_name = "覃", "审核员"
    second.save()
    for attempt in range(3):
        procedure = start(household(world.village), clerk)
        for code, day, extra in [
            ("application", D(2019, 3, 1), {}),
            ("group_appraisal", D(2019, 3, 2), {"votes": VOTES}),
            ("exclusion_check", D(2019, 3, 3), {}),
            ("representatives_appraisal", D(2019, 3, 4), {"votes": VOTES}),
            ("village_verification", D(2019, 3, 5), {}),
            ("first_notice", D(2019, 3, 6), {}),
        ]:
            record(procedure, code, clerk, on=day, **extra)
        results = _race(procedure, [first, second], "township_review", D(2019, 3, 13))
        outcomes = sorted(results.values(), key=lambda r: r != "recorded")
        assert outcomes[0] == "recorded", (attempt, results)
        loser = outcomes[1]
        assert isinstance(loser, StepRefused) and loser.code == "already_recorded", results
        winner = next(u for u in (first, second) if results[u.username] == "recorded")
        assert winner.get_full_name() in loser.message
        assert (
            StepRecord.objects.filter(procedure=procedure, step__code="township_review").count()
            == 1
        )
