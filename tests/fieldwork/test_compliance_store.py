"""The villages' stored compliance figures: read while fresh, computed again when a visit,
pairing, follow-up, household or policy changes, and always what computing them afresh
gives."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fupin.fieldwork import services
from fupin.fieldwork.compliance import compliance, overdue_households, refresh, village_figures
from fupin.fieldwork.models import ComplianceFigures, VisitPolicy
from fupin.registry.services import household_status_set
from tests.fieldwork import factories

VISITED = date(2019, 3, 1)
ON = date(2019, 3, 15)
COUNTY = "450101000000"


def _reads_visits(work) -> bool:
    """Whether `work` read any visit (that is: computed figures rather than read them)."""
    with CaptureQueriesContext(connection) as captured:
        work()
    return any('"fieldwork_visit"' in query["sql"] for query in captured.captured_queries)


def _afresh(code, on):
    """The figures computed from the households and visits, nothing stored used."""
    rows = village_figures(code, on, recompute=True)
    return {
        row.village_id: (row.households_due, row.overdue, row.follow_ups_overdue) for row in rows
    }


def _stored(code, on):
    return {
        row.village_id: (row.households_due, row.overdue, row.follow_ups_overdue)
        for row in village_figures(code, on)
    }


def test_figures_are_stored_per_village_and_read_back_without_reading_visits(world):
    home = factories.household(world.village)
    factories.visit(home, VISITED)
    factories.household(world.other_village)
    first = compliance(COUNTY, ON)
    villages = set(ComplianceFigures.objects.filter(on=ON).values_list("village", flat=True))
    assert {world.village.code, world.other_village.code} <= villages
    assert world.outside_village.code not in villages  # another county's: not computed
    assert not _reads_visits(lambda: compliance(COUNTY, ON))
    again = compliance(COUNTY, ON)
    assert again.as_json() == first.as_json()
    assert (again.households_due, again.overdue) == (2, 1)


def test_a_visit_recorded_makes_its_village_computed_again(world):
    home = factories.household(world.village)
    factories.household(world.other_village)
    assert compliance(COUNTY, ON).overdue == 2
    factories.visit(home, ON)
    assert compliance(COUNTY, ON).overdue == 1
    # ...and only its village's figures were dropped
    assert ComplianceFigures.objects.filter(village=world.other_village, on=ON).exists()


def test_a_status_changed_in_the_registry_is_seen(world):
    home = factories.household(world.village)
    assert compliance(COUNTY, ON).households_due == 1
    household_status_set(
        households=[home.pk], status="exited", user=None, reason="脱贫", year_exited=2019
    )
    assert compliance(COUNTY, ON).households_due == 0
    factories.household(world.village, status="monitored")  # a new household, too
    assert compliance(COUNTY, ON).households_due == 1


def test_a_policy_edited_is_seen(world):
    home = factories.household(world.village)
    factories.visit(home, VISITED)
    assert compliance(COUNTY, ON).overdue == 0
    VisitPolicy.objects.create(area=world.village, status="registered", interval_days=7)
    assert compliance(COUNTY, ON).overdue == 1


def test_each_village_is_counted_by_its_own_policy(world):
    near = factories.household(world.village)
    far = factories.household(world.other_village)
    for home in (near, far):
        factories.visit(home, VISITED)
    VisitPolicy.objects.create(area=world.village, status="registered", interval_days=7)
    figures = compliance(COUNTY, ON)  # the county's policy is 30 days, the village's 7
    assert {row["village"]: row["overdue"] for row in figures.by_village} == {
        world.village.code: 1,
        world.other_village.code: 0,
    }
    assert list(overdue_households(COUNTY, ON)) == [near]


def test_pairing_and_follow_ups_are_seen(world):
    wang = factories.cadre(world.village, "王队员")
    home = factories.household(world.village)
    assert [row["cadre"] for row in compliance(COUNTY, ON).by_cadre] == [None]
    services.household_pair(household=home, cadre=wang, on=VISITED)
    assert [row["cadre"] for row in compliance(COUNTY, ON).by_cadre] == [wang.pk]
    visit = factories.visit(
        home,
        VISITED,
        visitor=wang,
        follow_up={"action": "办医保", "owner": wang, "due_on": VISITED},
    )
    assert compliance(COUNTY, ON).follow_ups_overdue == 1
    services.follow_up_close(follow_up=visit.follow_ups.get(), status="done", on=ON)
    assert compliance(COUNTY, ON).follow_ups_overdue == 0
    meeting = factories.meeting(world.village, VISITED)
    services.meeting_decision_add(meeting=meeting, action="修水渠", owner=wang, due_on=VISITED)
    assert compliance(COUNTY, ON).follow_ups_overdue == 1


def test_the_stored_figures_are_the_computed_ones_after_every_change(world):
    """Whatever was stored, on any day: the same as computing every village afresh."""
    wang = factories.cadre(world.village)
    homes = [factories.household(v) for v in (world.village, world.other_village) for _ in "ab"]
    days = [VISITED + timedelta(days=n) for n in (0, 20, 35, 60)]
    steps = [
        lambda: factories.visit(homes[0], VISITED + timedelta(days=10)),
        lambda: services.household_pair(household=homes[1], cadre=wang, on=VISITED),
        lambda: factories.visit(homes[2], VISITED + timedelta(days=40)),
        lambda: household_status_set(
            households=[homes[3].pk], status="exited", user=None, reason="脱贫", year_exited=2019
        ),
    ]
    for step in steps:
        for day in days:
            _stored(COUNTY, day)  # read (and stored) before the change
        step()
        for day in days:
            assert _stored(COUNTY, day) == _afresh(COUNTY, day), (step, day)


def test_figures_a_reader_computed_before_a_visit_are_not_kept(world):
    """A reader computes a village, a writer records a visit and commits, then the reader
    stores what it saw: the next read computes the village again."""
    from fupin.fieldwork import compliance as store

    home = factories.household(world.village)
    villages = list(store._villages_changed(COUNTY))
    versions = store._versions(COUNTY, villages)  # the reader reads them first
    seen = store._compute(COUNTY, villages, ON, store.policies_for(villages), versions, True)
    factories.visit(home, ON)  # meanwhile
    store._store(COUNTY, seen, ON, True)
    assert compliance(COUNTY, ON).overdue == 0


def test_a_household_moved_by_the_registry_counts_in_its_new_village_only(world):
    from fupin.registry.services import household_save

    home = factories.household(world.village)
    factories.household(world.village)
    assert compliance(COUNTY, ON).households_due == 2
    home.village = world.other_village
    household_save(household=home, user=None)
    figures = compliance(COUNTY, ON)
    assert {row["village"]: row["households_due"] for row in figures.by_village} == {
        world.village.code: 1,
        world.other_village.code: 1,
    }
    assert figures.households_due == 2


def test_the_refresh_command_computes_every_village(world, capsys):
    factories.household(world.village)
    compliance(COUNTY, ON)
    before = ComplianceFigures.objects.get(village=world.village, on=ON).computed_at
    call_command("refresh-compliance", "--area", COUNTY, "--on", ON.isoformat())
    assert "villages computed for 2019-03-15" in capsys.readouterr().out
    assert ComplianceFigures.objects.get(village=world.village, on=ON).computed_at > before
    call_command("refresh-compliance", "--on", ON.isoformat())  # every area
    assert ComplianceFigures.objects.filter(village=world.outside_village, on=ON).exists()
    assert refresh(world.village.code, ON) == 1
    # a month and a day later, that day's figures are removed: the village's only
    later = ON + timedelta(days=32)
    assert refresh(world.village.code, later) == 1
    assert not ComplianceFigures.objects.filter(village=world.village, on=ON).exists()
    assert ComplianceFigures.objects.filter(village=world.other_village, on=ON).exists()


def test_the_refresh_command_refuses_an_unknown_area(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No area"):
        call_command("refresh-compliance", "--area", "459999999999")


def test_the_overdue_list_says_when_each_was_last_visited(world):
    seen = factories.household(world.village)
    factories.visit(seen, VISITED)
    never = factories.household(world.village)
    found = {h.pk: h.last_visit for h in overdue_households(COUNTY, VISITED + timedelta(days=30))}
    assert found == {seen.pk: VISITED, never.pk: None}
    # a visit after the day does not count for it
    factories.visit(never, VISITED + timedelta(days=31))
    assert (
        overdue_households(COUNTY, VISITED + timedelta(days=30)).get(pk=never.pk).last_visit is None
    )


def test_a_day_to_come_is_computed_but_not_stored(world):
    from django.utils import timezone

    factories.household(world.village)
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert compliance(COUNTY, tomorrow).overdue == 1
    assert not ComplianceFigures.objects.filter(on=tomorrow).exists()


def test_a_household_moved_by_an_import_leaves_its_old_villages_figures(world, tmp_path):
    from fupin.core.roles import Role
    from tests.registry.conftest import import_rows
    from tests.registry.factories import household_rows

    township = world.user(Role.TOWNSHIP_REVIEWER)
    moving = household_rows(world.village)
    staying = household_rows(world.village)
    import_rows(moving + staying, township, tmp_path, "first.csv")
    assert compliance(COUNTY, ON).households_due == 2
    for row in moving:
        row["village_code"] = world.other_village.code
    import_rows(moving, township, tmp_path, "moved.csv")
    figures = compliance(COUNTY, ON)
    assert {row["village"]: row["households_due"] for row in figures.by_village} == {
        world.village.code: 1,
        world.other_village.code: 1,
    }
