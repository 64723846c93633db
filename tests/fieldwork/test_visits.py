"""Recording a visit with a follow-up through the page; pairing; scoping of what is shown."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fupin.core.roles import Role
from fupin.fieldwork import services
from fupin.fieldwork.models import FollowUp, Pairing, Visit
from tests.fieldwork import factories


def test_a_visit_with_a_follow_up_shows_on_the_household_and_compliance_pages(world, client):
    home = factories.household(world.village)
    wang = factories.cadre(world.village, "王队员")
    client.force_login(world.user(Role.RESIDENT_TEAM))
    response = client.post(
        reverse("visit-create", args=[home.pk]),
        {
            "date": "2019-03-01",
            "visitors": [wang.pk],
            "purpose": "了解春耕",
            "illness": "户主腰伤",
            "follow_up_action": "联系镇卫生院",
            "follow_up_owner": wang.pk,
            "follow_up_due": "2019-03-08",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get(household=home)
    assert visit.village_id == world.village.code and visit.illness == "户主腰伤"
    page = client.get(reverse("household-detail", args=[home.pk])).content.decode()
    assert "了解春耕" in page and "联系镇卫生院" in page
    compliance = client.get(reverse("fieldwork-compliance") + "?on=2019-03-20").content.decode()
    assert "联系镇卫生院" in compliance  # the follow-up is past due on the 20th


def test_a_half_given_follow_up_and_a_future_visit_are_refused(world, client):
    home = factories.household(world.village)
    wang = factories.cadre(world.village)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    url = reverse("visit-create", args=[home.pk])
    half = {"date": "2019-03-01", "visitors": [wang.pk], "purpose": "走访", "follow_up_action": "x"}
    assert client.post(url, half).status_code == 400
    future = {"date": "2999-01-01", "visitors": [wang.pk], "purpose": "走访"}
    assert client.post(url, future).status_code == 400
    assert not Visit.objects.exists() and not FollowUp.objects.exists()


def test_a_cadre_of_another_village_cannot_visit_or_be_paired(world):
    home = factories.household(world.village)
    stranger = factories.cadre(world.other_village)
    with pytest.raises(ValidationError):
        services.household_pair(household=home, cadre=stranger, on=date(2019, 1, 1))
    with pytest.raises(ValidationError):
        factories.visit(home, date(2019, 1, 1), visitor=stranger)
    township = factories.cadre(world.areas["450101001000"], "镇干部")  # serves every village below
    assert services.household_pair(household=home, cadre=township, on=date(2019, 1, 1))


def test_a_new_pairing_ends_the_current_one(world):
    home = factories.household(world.village)
    first, second = factories.cadre(world.village, "甲"), factories.cadre(world.village, "乙")
    services.household_pair(household=home, cadre=first, on=date(2019, 1, 1))
    services.household_pair(household=home, cadre=second, on=date(2019, 6, 1))
    assert Pairing.objects.current().get(household=home).cadre == second
    assert Pairing.objects.get(cadre=first).ended_on == date(2019, 6, 1)


def test_a_clerk_never_sees_another_villages_visits(world, client):
    mine = factories.household(world.village)
    theirs = factories.household(world.other_village)
    factories.visit(mine, date(2019, 3, 1), purpose="本村走访")
    factories.visit(theirs, date(2019, 3, 1), purpose="邻村走访")
    assert set(Visit.objects.for_user(world.user(Role.VILLAGE_CLERK))) == {mine.visits.get()}
    client.force_login(world.user(Role.VILLAGE_CLERK))
    other = reverse("fieldwork-compliance") + f"?area={world.other_village.code}"
    assert client.get(other).status_code == 404
    page = client.get(reverse("fieldwork-compliance")).content.decode()
    assert theirs.household_no not in page and mine.household_no in page
