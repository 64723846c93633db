"""One plan per household: measures by type with money and a linked project; the household
page shows them; the summary counts by type and village, within the user's area."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fupin.core.roles import Role
from fupin.fieldwork import selectors, services
from fupin.fieldwork.models import Measure, MeasureType
from tests.fieldwork import factories
from tests.workplan import factories as plans


def test_the_types_are_data_and_in_the_issues_order(db):
    names = list(MeasureType.objects.values_list("name", flat=True))
    assert names[0] == "产业帮扶" and names[2] == "教育帮扶（雨露计划）" and names[-1] == "其他"
    assert len(names) == 11


def test_a_measure_shows_on_the_household_page_and_in_the_summary(world, client):
    home = factories.household(world.village)
    project = plans.project(world.village, name="油茶低改")
    client.force_login(world.user(Role.RESIDENT_TEAM))
    industry = MeasureType.objects.get(code="industry")
    response = client.post(
        reverse("measure-create", args=[home.pk]),
        {
            "year": 2019,
            "type": industry.pk,
            "description": "种植油茶5亩",
            "amount": "3000",
            "funding_source": "财政扶贫资金",
            "project": project.pk,
            "start_on": "2019-03-01",
            "status": "ongoing",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    measure = Measure.objects.get()
    assert measure.plan.year == 2019 and measure.village_id == world.village.code
    page = client.get(reverse("household-detail", args=[home.pk])).content.decode()
    assert "种植油茶5亩" in page and "油茶低改" in page
    summary = selectors.measure_summary("450101000000", 2019)
    row = next(r for r in summary["types"] if r["type"].code == "industry")
    assert (row["measures"], row["households"], row["yuan"]) == (1, 1, Decimal(3000))
    assert summary["villages"][0]["counts"][0] == 1
    assert selectors.measure_summary("450102000000", 2019)["villages"] == []


def test_a_project_of_another_area_and_an_end_before_start_are_refused(world):
    home = factories.household(world.village)
    elsewhere = plans.project(world.outside_village, name="外县项目")
    kind = MeasureType.objects.get(code="housing")
    with pytest.raises(ValidationError) as error:
        services.measure_add(
            household=home, year=2019, type=kind, description="危改", project=elsewhere
        )
    assert "project" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.measure_add(
            household=home,
            year=2019,
            type=kind,
            description="危改",
            start_on=date(2019, 5, 1),
            end_on=date(2019, 4, 1),
        )
    assert not Measure.objects.exists()
