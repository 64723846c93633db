"""The household page: the user's area only (404 outside it), ID numbers masked."""

import re

import pytest
from django.urls import reverse

from fupin.core.roles import Role
from tests.registry.factories import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(world):
    return make_household(world.village, income=3000), make_household(world.other_village)


def test_a_township_reviewer_sees_both_villages_of_the_township(world, client, households):
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    for household in households:
        response = client.get(reverse("household-detail", args=[household.pk]))
        assert response.status_code == 200
        assert household.village.name in response.content.decode()


def test_a_clerk_of_village_a1_does_not_find_a_household_of_a2(world, client, households):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    assert client.get(reverse("household-detail", args=[households[0].pk])).status_code == 200
    assert client.get(reverse("household-detail", args=[households[1].pk])).status_code == 404
    assert client.get(reverse("household-edit", args=[households[1].pk])).status_code == 404


def test_id_numbers_are_masked_until_revealed(world, client, households):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    page = client.get(reverse("household-detail", args=[households[0].pk])).content.decode()
    for member in households[0].members.all():
        assert member.id_number not in page
        assert f"{member.id_number[:4]}**********{member.id_number[-4:]}" in page
    assert len(re.findall(r"\d{4}\*{10}\d{3}[\dX]", page)) == 3
    assert "户主" in page and "3000.00" in page  # relation in Chinese; per-capita income
