"""The household plan API (一户一策) and the compliance figures, the same as the command's."""

import json
from datetime import date

from django.core.management import call_command

from fupin.api.services import api_token_create
from fupin.core.roles import Role
from fupin.fieldwork import services
from fupin.fieldwork.models import Measure
from tests.fieldwork import factories

API = "/api/v1/fieldwork"


def _headers(user):
    _token, secret = api_token_create(user=user)
    return {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}


def test_a_plan_and_its_measures(world, client):
    clerk = world.user(Role.VILLAGE_CLERK)
    headers = _headers(clerk)
    home = factories.household(world.village)
    base = f"{API}/households/{home.pk}"
    goal = client.post(
        f"{base}/plans/",
        {"year": 2019, "goal": "发展养殖"},
        content_type="application/json",
        headers=headers,
    )
    assert goal.status_code == 200 and goal.json()["goal"] == "发展养殖"
    measure = {"year": 2019, "type": "industry", "description": "养牛", "amount": "5000.50"}
    made = client.post(
        f"{base}/measures/", measure, content_type="application/json", headers=headers
    )
    assert made.status_code == 201, made.content
    assert made.json()["type"] == "industry" and made.json()["amount"] == "5000.50"
    assert Measure.objects.get().history.latest().history_user == clerk
    unknown = client.post(
        f"{base}/measures/",
        measure | {"type": "teleport"},
        content_type="application/json",
        headers=headers,
    )
    assert unknown.status_code == 422 and "type" in unknown.json()["fields"]
    negative = client.post(
        f"{base}/measures/",
        measure | {"amount": "-1"},
        content_type="application/json",
        headers=headers,
    )
    assert negative.status_code == 422 and "amount" in negative.json()["fields"]
    plans = client.get(f"{base}/plans/", headers=headers).json()
    assert [(p["year"], p["goal"], [m["description"] for m in p["measures"]]) for p in plans] == [
        (2019, "发展养殖", ["养牛"])
    ]


def test_compliance_figures_are_the_commands(world, client, capsys):
    wang = factories.cadre(world.village, "王队员")
    paired = factories.household(world.village)
    services.household_pair(household=paired, cadre=wang, on=date(2019, 1, 1))
    factories.visit(paired, date(2019, 3, 1), visitor=wang)
    factories.household(world.other_village)
    factories.household(world.outside_village)
    county = _headers(world.user(Role.COUNTY_APPROVER))
    answer = client.get(f"{API}/compliance/", {"on": "2019-03-15"}, headers=county)
    assert answer.status_code == 200
    call_command("visit-compliance", "--area", "450101000000", "--on", "2019-03-15", "--json")
    assert answer.json() == json.loads(capsys.readouterr().out)
    assert (answer.json()["households_due"], answer.json()["overdue"]) == (2, 1)
    clerk = _headers(world.user(Role.VILLAGE_CLERK))
    mine = client.get(f"{API}/compliance/", {"on": "2019-03-15"}, headers=clerk).json()
    assert (mine["area"], mine["households_due"]) == (world.village.code, 1)
    other = {"area": world.other_village.code}
    assert client.get(f"{API}/compliance/", other, headers=clerk).status_code == 404


def test_a_compliance_day_before_2000_is_refused(world, client):
    headers = _headers(world.user(Role.VILLAGE_CLERK))
    answer = client.get(f"{API}/compliance/", {"on": "0001-01-01"}, headers=headers)
    assert answer.status_code == 422 and answer.json()["code"] == "invalid_request"
