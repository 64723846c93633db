"""A role without the reveal right cannot recover a full ID number: the mask leaves no small
gap, no birth date stands beside it (an age does), and no search confirms a guess."""

import datetime
import re

import pytest
from django.urls import reverse

from fupin import idnumbers
from fupin.core.roles import Capability as C
from fupin.core.roles import Role, role_can
from tests.registry.factories import make_household, person_id

pytestmark = pytest.mark.django_db
BLIND = [Role.TOWNSHIP_REVIEWER, Role.INSPECTOR]


@pytest.fixture
def household(world):
    return make_household(world.village)


def test_the_roles_tried_may_not_reveal(world):
    assert not any(role_can(role, C.REVEAL_ID_NUMBERS) for role in BLIND)
    assert role_can(Role.VILLAGE_CLERK, C.REVEAL_ID_NUMBERS)


def test_the_mask_leaves_the_province_and_the_last_two_only():
    number = idnumbers.make("450122", datetime.date(1980, 5, 1), 123)
    masked = idnumbers.mask(number)
    assert masked == number[:2] + "*" * 14 + number[-2:]
    # Neither the county's digits, the birth date nor the first order digits are left.
    assert number[2:6] not in masked and "19800501" not in masked


@pytest.mark.parametrize("role", BLIND)
def test_a_household_page_shows_an_age_not_a_birth_date_beside_the_mask(
    world, client, household, role
):
    client.force_login(world.user(role))
    page = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    for member in household.members.all():
        assert member.id_number not in page
        assert idnumbers.mask(member.id_number) in page
        assert member.birth_date.strftime("%Y-%m-%d") not in page
        assert f"<td>{idnumbers.age(member.birth_date)}</td>" in page
    assert not re.search(r"\d{4}\*{10}\d{4}", page)  # the old mask is gone from the page


def test_who_may_reveal_still_sees_the_birth_date(world, client, household):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    page = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    for member in household.members.all():
        assert member.birth_date.strftime("%Y-%m-%d") in page
        assert idnumbers.mask(member.id_number) in page


@pytest.mark.parametrize("role", BLIND)
def test_an_exact_id_number_search_finds_nobody_for_a_role_that_may_not_reveal(
    world, client, household, role
):
    number = household.members.get(relation="head").id_number
    client.force_login(world.user(role))
    page = client.get(reverse("household-list"), {"q": number}).content.decode()
    assert household.household_no not in page
    # ... while the household is found by its number or a member's name.
    page = client.get(reverse("household-list"), {"q": household.household_no}).content.decode()
    assert household.household_no in page


def test_an_exact_id_number_search_finds_the_household_for_who_may_reveal(world, client, household):
    number = household.members.get(relation="head").id_number
    client.force_login(world.user(Role.VILLAGE_CLERK))
    page = client.get(reverse("household-list"), {"q": number}).content.decode()
    assert household.household_no in page


def test_a_member_s_history_does_not_give_the_birth_date_back(world, client, household):
    from fupin.registry.services import member_save

    member = household.members.get(relation="child")
    old_born = member.birth_date
    member.id_number = person_id(datetime.date(2011, 7, 9))
    member_save(member=member, user=world.user(Role.VILLAGE_CLERK), reason="身份证号码录错")
    client.force_login(world.user(Role.INSPECTOR))
    for url in (
        reverse("household-detail", args=[household.pk]),
        reverse("record-history", args=["registry", "member", member.pk]),
    ):
        page = client.get(url).content.decode()
        assert "2011-07-09" not in page and old_born.strftime("%Y-%m-%d") not in page, url
        assert idnumbers.mask(member.id_number) in page, url
