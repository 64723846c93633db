"""Run retention: recent runs stay, older ones thin to the latest of each month, runs that
something refers to stay; pruning removes a run's outcomes and area figures with it."""

import json
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.management import call_command

from fupin.assessment import retention
from fupin.assessment.models import AreaResult, AssessmentRun, HouseholdOutcome
from fupin.assessment.retention import RunStamp, runs_to_prune
from fupin.assessment.services import assessment_run
from tests.assessment import factories as f

NOW = datetime(2021, 6, 30, 12, tzinfo=UTC)


def stamp(id, month, day, area="450101001001", year=2020):
    return RunStamp(id, area, year, datetime(2021, month, day, 12, tzinfo=UTC))


def test_recent_runs_stay_and_older_ones_keep_the_latest_of_each_month():
    runs = [
        stamp(1, 1, 4),
        stamp(2, 1, 11),
        stamp(3, 1, 25),  # latest of January
        stamp(4, 2, 1),  # only one in February
        stamp(5, 6, 2),  # within the last 62 days
        stamp(6, 6, 9),
    ]
    assert runs_to_prune(runs, now=NOW, keep_days=62, referred=()) == {1, 2}


def test_series_are_kept_apart_by_area_and_year_and_referred_runs_stay():
    runs = [
        stamp(1, 1, 4),
        stamp(2, 1, 11),
        stamp(3, 1, 4, area="450101001002"),  # another village's only January run
        stamp(4, 1, 5, year=2021),  # another assessed year
        stamp(5, 1, 6, area=None),  # a run of every area
    ]
    assert runs_to_prune(runs, now=NOW, keep_days=62, referred=()) == {1}
    assert runs_to_prune(runs, now=NOW, keep_days=62, referred=[1]) == set()


@pytest.fixture
def weekly_runs(world, seeded_standards):
    for _ in range(3):
        household = f.household(world.village)
        f.member(household)
        f.income(household, 2019, "5200")
    made = []
    for day in (date(2020, 3, 2), date(2020, 3, 9), date(2020, 3, 16), date(2020, 4, 6)):
        with time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=UTC)):
            made.append(assessment_run(area=world.village, year=2019))
    return made


def test_the_command_removes_whole_runs_and_nothing_of_the_kept_ones(weekly_runs, capsys):
    march_2, march_9, march_16, april_6 = weekly_runs
    retention.keep_runs.append(lambda: [march_2.pk])  # as a procedure that cites it would
    try:
        with time_machine.travel(datetime(2021, 1, 1, tzinfo=UTC)):
            call_command("prune-runs", "--dry-run", "--json")
            assert json.loads(capsys.readouterr().out)["runs"] == 1
            assert AssessmentRun.objects.count() == 4
            call_command("prune-runs", "--json")
    finally:
        retention.keep_runs.pop()
    counts = json.loads(capsys.readouterr().out)
    assert counts == {"runs": 1, "outcomes": 3, "area_results": 1, "dry_run": False}
    kept = {march_2.pk, march_16.pk, april_6.pk}
    assert set(AssessmentRun.objects.values_list("pk", flat=True)) == kept
    assert not HouseholdOutcome.objects.filter(run=march_9).exists()
    assert not AreaResult.objects.filter(run=march_9).exists()
    assert HouseholdOutcome.objects.filter(run=march_16).count() == 3
