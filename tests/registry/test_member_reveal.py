"""Revealing a full ID number: a POST, for roles that may, recorded as an access event."""

import pytest
from django.urls import reverse

from fupin.core.models import AccessEvent
from fupin.core.roles import Role
from tests.registry.factories import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(world):
    return make_household(world.village).members.get(relation="spouse")


def test_the_full_number_is_shown_and_the_reveal_recorded(world, client, member):
    clerk = world.user(Role.VILLAGE_CLERK)
    client.force_login(clerk)
    response = client.post(reverse("member-reveal", args=[member.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().strip() == member.id_number
    event = AccessEvent.objects.get()
    assert (event.user, event.action, event.area_id) == (
        clerk,
        AccessEvent.Action.REVEAL_ID_NUMBER,
        world.village.code,
    )
    assert (event.object_label, event.object_pk) == ("registry.member", str(member.pk))
    assert event.detail == member.household.household_no


def test_each_reveal_is_recorded(world, client, member):
    client.force_login(world.user(Role.COUNTY_APPROVER))
    for _ in range(2):
        client.post(reverse("member-reveal", args=[member.pk]))
    assert AccessEvent.objects.filter(object_pk=str(member.pk)).count() == 2


def test_a_get_reveals_nothing(world, client, member):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    assert client.get(reverse("member-reveal", args=[member.pk])).status_code == 405
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize("role", [Role.TOWNSHIP_REVIEWER, Role.INSPECTOR])
def test_roles_that_may_not_reveal_are_refused(world, client, member, role):
    client.force_login(world.user(role))
    assert client.post(reverse("member-reveal", args=[member.pk])).status_code == 403
    assert not AccessEvent.objects.exists()


def test_a_member_of_another_county_is_not_found(world, client):
    stranger = make_household(world.outside_village).members.first()
    client.force_login(world.user(Role.VILLAGE_CLERK))
    assert client.post(reverse("member-reveal", args=[stranger.pk])).status_code == 404
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize("method", ["OPTIONS", "PUT", "TRACE"])
def test_the_edit_form_answers_no_other_method(world, client, member, method):
    """The edit form shows the full number and records it on GET; no other method may show
    it unrecorded (an OPTIONS needs no CSRF token)."""
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.generic(method, reverse("member-edit", args=[member.pk]))
    assert response.status_code == 405
    assert member.id_number.encode() not in response.content
    assert not AccessEvent.objects.exists()
