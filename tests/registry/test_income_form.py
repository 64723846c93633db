"""A year's income on the household page: the per-capita net income counts what the rule
counts, over the household's present members unless the clerk says otherwise."""

from decimal import Decimal

import pytest
from django.urls import reverse

from fupin.core.roles import Role
from tests.registry.factories import make_household

pytestmark = pytest.mark.django_db

AMOUNTS = {
    "wage": "6000", "operating_income": "3000", "operating_costs": "1000", "property": "0",
    "transfer_pension": "1200", "transfer_dibao": "0", "transfer_subsidy": "0",
    "transfer_other": "0", "excluded_earmarked": "20000", "excluded_one_off": "500",
}  # fmt: skip


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    return client


def test_a_new_income_counts_the_present_members(world, signed_in):
    household = make_household(world.village, members=4)
    form = signed_in.get(reverse("income-add", args=[household.pk])).context["form"]
    assert form.initial["members"] == 4
    response = signed_in.post(
        reverse("income-add", args=[household.pk]), {"year": 2019, "members": 4, **AMOUNTS}
    )
    assert response["Location"] == reverse("household-detail", args=[household.pk])
    income = household.incomes.get()
    # earmarked grants and one-off aid are not counted: (6000 + 3000 − 1000 + 1200) ÷ 4
    assert (income.net_income, income.per_capita_net_income) == (Decimal("9200"), Decimal("2300"))
    page = signed_in.get(reverse("household-detail", args=[household.pk])).content.decode()
    assert "2300.00" in page


def test_negative_amounts_and_a_second_income_for_a_year_are_refused(world, signed_in):
    household = make_household(world.village, income=3000)
    url = reverse("income-add", args=[household.pk])
    negative = signed_in.post(url, {"year": 2020, "members": 3, **AMOUNTS, "wage": "-1"})
    assert negative.status_code == 200 and negative.context["form"].errors
    again = signed_in.post(url, {"year": 2019, "members": 3, **AMOUNTS})
    assert again.status_code == 200
    assert household.incomes.count() == 1


def test_an_income_is_edited_in_the_users_area_only(world, signed_in):
    inside = make_household(world.village, income=3000).incomes.get()
    outside = make_household(world.other_village, income=3000).incomes.get()
    url = reverse("income-edit", args=[inside.pk])
    response = signed_in.post(url, {"year": 2019, "members": 2, **AMOUNTS})
    assert response.status_code == 302
    inside.refresh_from_db()
    assert inside.per_capita_net_income == Decimal("4600")
    assert inside.history.count() == 2
    assert signed_in.get(reverse("income-edit", args=[outside.pk])).status_code == 404


def test_a_negative_amount_is_refused_at_its_field(world, signed_in):
    household = make_household(world.village)
    url = reverse("income-add", args=[household.pk])
    response = signed_in.post(url, {"year": 2020, "members": 3, **AMOUNTS, "wage": "-1"})
    assert "wage" in response.context["form"].errors


# The pages below are asked for in English: the messages are the catalogue's msgids.
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_an_income_of_no_members_is_refused_at_its_field_in_words(world, signed_in):
    household = make_household(world.village)
    url = reverse("income-add", args=[household.pk])
    response = signed_in.post(url, {"year": 2020, "members": 0, **AMOUNTS}, **ENGLISH)
    assert response.status_code == 200
    wanted = "The household must have at least one member in the income year."
    assert response.context["form"].errors["members"] == [wanted]
    page = response.content.decode()
    assert wanted in page and "income_members_positive" not in page
    assert not household.incomes.exists()


def test_a_second_income_for_a_year_is_refused_at_the_year_in_words(world, signed_in):
    household = make_household(world.village, income=3000)
    url = reverse("income-add", args=[household.pk])
    response = signed_in.post(url, {"year": 2019, "members": 3, **AMOUNTS}, **ENGLISH)
    assert response.status_code == 200
    wanted = "This household already has an income for that year: edit it instead."
    assert response.context["form"].errors["year"] == [wanted]
    assert wanted in response.content.decode()
    assert household.incomes.get().wage == Decimal("9000")  # the first, unchanged
