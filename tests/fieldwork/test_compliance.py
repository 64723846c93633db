"""Visit compliance at the policy's boundary days, unpaired households, per-area policy,
follow-ups past due, and the command's JSON."""

import json
from datetime import date, timedelta

from django.core.management import call_command

from fupin.fieldwork import services
from fupin.fieldwork.compliance import compliance, policy_for
from fupin.fieldwork.models import VisitPolicy
from tests.fieldwork import factories

VISITED = date(2019, 3, 1)


def test_a_household_is_overdue_from_the_day_after_its_interval(world):
    home = factories.household(world.village)
    factories.visit(home, VISITED)
    # The seeded national policy: registered households every 30 days.
    assert policy_for(world.village.code)["registered"] == 30
    assert compliance(world.village.code, VISITED + timedelta(days=29)).overdue == 0
    last_day = compliance(world.village.code, VISITED + timedelta(days=29))
    assert last_day.households_due == 1
    # on day 30 the visit of day 0 is no longer within (on - 30, on]
    assert compliance(world.village.code, VISITED + timedelta(days=30)).overdue == 1
    # a visit dated after `on` does not count for it
    assert compliance(world.village.code, VISITED - timedelta(days=1)).overdue == 1


def test_only_the_statuses_the_policy_names_are_due(world):
    factories.household(world.village, status="not_registered")
    factories.household(world.village, status="exited")
    monitored = factories.household(world.village, status="monitored")
    figures = compliance(world.village.code, VISITED)
    assert (figures.households_due, figures.overdue) == (1, 1)
    factories.visit(monitored, VISITED)
    assert compliance(world.village.code, VISITED).overdue == 0


def test_a_nearer_areas_policy_wins(world):
    home = factories.household(world.village)
    factories.visit(home, VISITED)
    VisitPolicy.objects.create(
        area=world.areas["450101000000"], status="registered", interval_days=7
    )
    assert policy_for(world.village.code)["registered"] == 7
    assert compliance(world.village.code, VISITED + timedelta(days=7)).overdue == 1
    assert policy_for(world.outside_village.code)["registered"] == 30  # county B keeps 30


def test_figures_by_village_and_by_cadre_with_an_unpaired_household(world):
    wang = factories.cadre(world.village, "王队员")
    paired = factories.household(world.village)
    services.household_pair(household=paired, cadre=wang, on=date(2019, 1, 1))
    factories.household(world.village)  # paired to no cadre
    factories.household(world.other_village)
    factories.household(world.outside_village)  # another county: not counted
    figures = compliance("450101000000", VISITED)
    assert figures.households_due == 3 and figures.overdue == 3
    by_village = {row["village"]: row["overdue"] for row in figures.by_village}
    assert by_village == {world.village.code: 2, world.other_village.code: 1}
    by_cadre = {row["cadre"]: row["overdue"] for row in figures.by_cadre}
    assert by_cadre == {wang.pk: 1, None: 2}


def test_follow_ups_past_due_count_from_the_day_after_due(world):
    home = factories.household(world.village)
    owner = factories.cadre(world.village)
    due = date(2019, 3, 10)
    visit = factories.visit(
        home, VISITED, visitor=owner, follow_up={"action": "办医保", "owner": owner, "due_on": due}
    )
    assert compliance(world.village.code, due).follow_ups_overdue == 0
    assert compliance(world.village.code, due + timedelta(days=1)).follow_ups_overdue == 1
    services.follow_up_close(follow_up=visit.follow_ups.get(), status="done", on=due)
    assert compliance(world.village.code, due + timedelta(days=1)).follow_ups_overdue == 0


def test_the_command_prints_the_documented_keys(world, capsys):
    home = factories.household(world.village)
    factories.visit(home, VISITED)
    call_command("visit-compliance", "--area", "450101000000", "--on", "2019-03-15", "--json")
    out = json.loads(capsys.readouterr().out)
    assert {"households_due", "overdue", "follow_ups_overdue", "by_village", "by_cadre"} <= set(out)
    assert (out["households_due"], out["overdue"]) == (1, 0)
