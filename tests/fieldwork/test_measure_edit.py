"""Changing a measure of a household plan: its status and outcome as the work goes on, from
the household page and the API, through measure_update with its history."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fupin.api.services import api_token_create
from fupin.core.roles import Role
from fupin.fieldwork import services
from fupin.fieldwork.models import MeasureStatus, MeasureType
from tests.fieldwork import factories
from tests.workplan import factories as plans


def _measure(village, **fields):
    home = factories.household(village)
    kind = MeasureType.objects.get(code="industry")
    return services.measure_add(
        household=home, year=2019, type=kind, description="种植油茶5亩", **fields
    )


def test_the_rules_of_a_change_are_those_of_adding(world):
    measure = _measure(world.village, start_on=date(2019, 3, 1))
    elsewhere = plans.project(world.outside_village, name="外县项目")
    with pytest.raises(ValidationError) as error:
        services.measure_update(measure=measure, project=elsewhere)
    assert "project" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.measure_update(measure=measure, end_on=date(2019, 2, 1))
    with pytest.raises(TypeError):
        services.measure_update(measure=measure, plan=measure.plan)
    measure.refresh_from_db()
    assert measure.project is None and measure.end_on is None


def test_the_household_page_links_the_change_and_it_is_saved_with_history(world, client):
    team = world.user(Role.RESIDENT_TEAM)
    client.force_login(team)
    measure = _measure(world.village, start_on=date(2019, 3, 1))
    page = client.get(reverse("household-detail", args=[measure.plan.household_id]))
    assert reverse("measure-edit", args=[measure.pk]) in page.content.decode()
    url = reverse("measure-edit", args=[measure.pk])
    form = client.get(url)
    assert form.status_code == 200 and "year" not in form.context["form"].fields
    answer = client.post(
        url,
        {
            "type": measure.type_id,
            "description": "种植油茶5亩",
            "amount": "3200",
            "start_on": "2019-03-01",
            "end_on": "2019-11-30",
            "status": "done",
            "outcome": "年增收3000元",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:500]
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DONE and measure.outcome == "年增收3000元"
    assert measure.amount == Decimal(3200) and measure.end_on == date(2019, 11, 30)
    assert measure.history.latest().history_user == team
    refused = client.post(url, {"type": measure.type_id, "description": "x", "status": "nope"})
    assert refused.status_code == 400


def test_the_api_changes_a_measure_through_the_form(world, client):
    clerk = world.user(Role.VILLAGE_CLERK)
    _token, secret = api_token_create(user=clerk)
    headers = {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}
    measure = _measure(world.village, amount=Decimal(3000))
    url = f"/api/v1/fieldwork/measures/{measure.pk}/"
    answer = client.patch(
        url,
        {"status": "ongoing", "outcome": "已栽种"},
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["status"], body["outcome"], body["amount"], body["plan_year"]) == (
        "ongoing",
        "已栽种",
        "3000.00",
        2019,
    )
    assert measure.history.latest().history_user == clerk
    bad = client.patch(url, {"status": "nope"}, content_type="application/json", headers=headers)
    assert bad.status_code == 422 and "status" in str(bad.json())
    other = _measure(world.outside_village)
    away = client.patch(
        f"/api/v1/fieldwork/measures/{other.pk}/",
        {"status": "done"},
        content_type="application/json",
        headers=headers,
    )
    assert away.status_code == 404
