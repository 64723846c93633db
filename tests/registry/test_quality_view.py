"""The data-quality page on a synthetic registry with planted problems: it counts exactly
what `fupin synth --dirty` planted (DIRTY_COUNTS), and lists those households."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from fupin.core.models import Area
from fupin.core.roles import Role
from fupin.registry.importer import check_file, write_plan
from fupin.registry.models import ExclusionEntry, Household
from fupin.registry.synth import DIRTY_COUNTS

pytestmark = pytest.mark.django_db

# The synthetic registry is of 2019; the checks that depend on age look from mid-2020.
LATER = datetime.datetime(2020, 6, 30, 12, tzinfo=datetime.UTC)


@pytest.fixture
def dirty(world, root, tmp_path):
    """A --dirty synthetic registry of three villages imported, its exclusion list loaded."""
    out = tmp_path / "dirty.csv"
    call_command("synth", "--households=120", "--villages=3", "--seed=11", "--dirty",
                 f"--out={out}", stdout=io.StringIO())  # fmt: skip
    with time_machine.travel(LATER, tick=False):
        plan = check_file(out, user=root)
    assert plan.errors == []
    write_plan(plan, user=root)
    with out.with_suffix(".exclusions.csv").open(encoding="utf-8-sig", newline="") as handle:
        entries = [ExclusionEntry(**row) for row in csv.DictReader(handle)]
    ExclusionEntry.objects.bulk_create(entries)
    return entries


@time_machine.travel(LATER, tick=False)
def test_the_page_counts_what_was_planted(client, root, dirty):
    client.force_login(root)
    response = client.get(reverse("registry-quality"))
    assert response.status_code == 200
    totals = {check.key: total for check, total in response.context["totals"]}
    assert totals == {**DIRTY_COUNTS, "no_head": 0}
    assert len(dirty) == DIRTY_COUNTS["exclusion_match"]
    villages = {name for _code, name, _counts in response.context["rows"]}
    assert villages <= {"合成1镇1村", "合成1镇2村", "合成1镇3村"}
    page = response.content.decode()
    assert "同村同名同出生日期" in page and "贫困户出现在比对排除清单中" in page


@time_machine.travel(LATER, tick=False)
@pytest.mark.parametrize("check", sorted(DIRTY_COUNTS))
def test_each_count_links_to_its_households(client, root, dirty, check):
    client.force_login(root)
    county = Area.objects.get(code="450199000000")
    response = client.get(reverse("registry-quality-records", args=[check, county.code]))
    listed = list(response.context["households"])
    assert len(listed) == DIRTY_COUNTS[check]
    assert all(household.village_id.startswith("450199") for household in listed)
    page = response.content.decode()
    assert all(household.household_no in page for household in listed)


@time_machine.travel(LATER, tick=False)
def test_a_clerk_elsewhere_sees_none_of_it(world, client, dirty):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.get(reverse("registry-quality"))
    assert response.context["rows"] == []
    assert "未发现问题。" in response.content.decode()
    assert Household.objects.count() == 120
    url = reverse("registry-quality-records", args=["implausible_age", "450199000000"])
    assert client.get(url).status_code == 404


def test_an_unknown_check_is_not_found(world, client):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    url = reverse("registry-quality-records", args=["nonsense", world.village.code])
    assert client.get(url).status_code == 404
