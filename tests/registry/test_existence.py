"""A user is told only what their area shows: a household number or an ID number registered
in another area is said to be "outside your area", as the import says it, never where."""

import pytest
from django.urls import reverse

from fupin.core.roles import Role
from fupin.registry.errors import MESSAGES
from fupin.registry.models import Household, Member
from tests.registry.factories import make_household
from tests.registry.test_household_edit import _new_household
from tests.registry.test_member_form import english, member_data

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _errors(response, field):
    assert response.status_code == 200
    return response.context["form"].errors[field]


def test_a_household_number_of_another_village_is_only_said_to_be_outside(world, client):
    outside = make_household(world.outside_village)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.post(
        reverse("household-add"),
        _new_household(world, household_no=outside.household_no),
        **ENGLISH,
    )
    assert _errors(response, "household_no") == [english(MESSAGES["household_outside_area"])]
    assert Household.objects.count() == 1


def test_a_household_number_of_the_user_s_area_is_said_to_be_registered(world, client):
    own = make_household(world.village)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.post(
        reverse("household-add"), _new_household(world, household_no=own.household_no), **ENGLISH
    )
    assert _errors(response, "household_no") == ["This household number is already registered."]


def test_an_id_number_of_another_village_is_only_said_to_be_outside(world, client):
    own = make_household(world.village, members=2)
    stranger = make_household(world.outside_village).members.first()
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.post(
        reverse("member-add", args=[own.pk]),
        member_data(id_number=stranger.id_number),
        **ENGLISH,
    )
    errors = _errors(response, "id_number")
    assert errors == [english(MESSAGES["id_outside_area"])]
    assert stranger.household.household_no not in response.content.decode()
    assert Member.objects.filter(id_number=stranger.id_number).count() == 1


def test_an_id_number_of_the_user_s_area_names_its_household(world, client):
    own = make_household(world.village, members=2)
    neighbour = make_household(world.village).members.first()
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.post(
        reverse("member-add", args=[own.pk]),
        member_data(id_number=neighbour.id_number),
        **ENGLISH,
    )
    expected = english(MESSAGES["id_in_other_household"]) % {
        "other": neighbour.household.household_no
    }
    assert _errors(response, "id_number") == [expected]
