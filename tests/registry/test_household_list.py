"""The household list: filters, search, income band and sort, each in a fixed number of
queries however many households there are; only the user's area."""

import pytest
from django.urls import reverse

from fupin.api.services import api_token_create
from fupin.core.roles import Role
from fupin.registry import selectors
from fupin.registry.models import Household, YearlyIncome
from tests.registry.factories import make_household

pytestmark = pytest.mark.django_db

# Session, user, the choices of the filter form, the latest income year (income filters),
# a search's own lookups, the count and the page: however many households match.
MAX_QUERIES = 10


@pytest.fixture
def village(world):
    """Households of village A1, and one of A2 (same township) and one of B1."""
    made = {
        "poor": make_household(
            world.village, status="registered", group_id="450101001001001", dibao=True,
            attribute="dibao", poverty_cause="illness", income=2000,
        ),
        "exited": make_household(
            world.village, status="exited", group_id="450101001001002", five_guarantee=True,
            poverty_cause="lack_skills", income=5000,
        ),
        "other": make_household(world.village, military_family=True),
        "a2": make_household(world.other_village, status="registered", income=1000),
        "b1": make_household(world.outside_village, status="registered", income=1000),
    }  # fmt: skip
    for _ in range(20):  # more rows must not mean more queries
        make_household(world.village, status="monitored", income=3000)
    return made


def listed(client, user, django_assert_max_num_queries, **filters):
    client.force_login(user)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("household-list"), filters)
    assert response.status_code == 200
    return {household.pk for household in response.context["page_obj"]}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": "registered"}, {"poor"}),
        ({"status": "exited"}, {"exited"}),
        ({"group": "450101001001002"}, {"exited"}),
        ({"category": "dibao"}, {"poor"}),
        ({"category": "five_guarantee"}, {"exited"}),
        ({"category": "military_family"}, {"other"}),
        ({"attribute": "dibao"}, {"poor"}),
        ({"cause": "lack_skills"}, {"exited"}),
        ({"income_max": "2500"}, {"poor"}),
        ({"income_min": "4000"}, {"exited"}),
        ({"income_year": "2019", "income_min": "1500", "income_max": "2500"}, {"poor"}),
        ({"income_year": "2018", "income_max": "99999"}, set()),
        ({"status": "registered", "category": "five_guarantee"}, set()),
    ],
)
def test_filters(world, client, village, django_assert_max_num_queries, filters, expected):
    clerk = world.user(Role.VILLAGE_CLERK)
    found = listed(client, clerk, django_assert_max_num_queries, **filters)
    assert found == {village[name].pk for name in expected}


def test_search_by_name_id_number_or_household_number(
    world, client, village, django_assert_max_num_queries
):
    clerk = world.user(Role.VILLAGE_CLERK)
    spouse = village["exited"].members.get(relation="spouse")
    by_name = listed(client, clerk, django_assert_max_num_queries, q=spouse.name)
    by_id = listed(client, clerk, django_assert_max_num_queries, q=spouse.id_number)
    legacy = spouse.id_number[:6] + spouse.id_number[8:17]  # as on a first-generation card
    assert spouse.id_number[6:8] == "19"
    by_legacy_id = listed(client, clerk, django_assert_max_num_queries, q=legacy)
    number = village["poor"].household_no
    by_number = listed(client, clerk, django_assert_max_num_queries, q=number)
    assert by_name == by_id == by_legacy_id == {village["exited"].pk}
    assert by_number == {village["poor"].pk}
    # a household number's beginning finds all the households it begins
    by_prefix = listed(client, clerk, django_assert_max_num_queries, q=number[:12])
    assert by_prefix == set(
        Household.objects.filter(village=world.village).values_list("pk", flat=True)
    )


def test_an_id_number_from_another_village_finds_nothing(
    world, client, village, django_assert_max_num_queries
):
    stranger = village["a2"].members.first()
    clerk = world.user(Role.VILLAGE_CLERK)
    assert listed(client, clerk, django_assert_max_num_queries, q=stranger.id_number) == set()


@pytest.mark.parametrize(("sort", "first"), [("-per_capita", "exited"), ("per_capita", "poor")])
def test_sorted_by_per_capita_income_without_income_last(
    world, client, village, django_assert_max_num_queries, sort, first
):
    clerk = world.user(Role.VILLAGE_CLERK)
    client.force_login(clerk)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("household-list"), {"sort": sort})
    page = list(response.context["page_obj"])
    assert (page[0], page[-1]) == (village[first], village["other"])
    incomes = [household.per_capita for household in page[:-1]]
    assert incomes == sorted(incomes, reverse=sort.startswith("-"))
    assert "2019 年人均纯收入" in response.content.decode()


def test_listed_by_village_then_household_number_as_the_api_lists(
    world, client, village, django_assert_max_num_queries
):
    """The page's order is the API's (HOUSEHOLD_ORDER): a household of the township's second
    village comes after the first village's, however its number sorts."""
    Household.objects.filter(pk=village["a2"].pk).update(household_no="0-first-by-number")
    reviewer = world.user(Role.TOWNSHIP_REVIEWER)
    client.force_login(reviewer)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("household-list"))
    page = [household.pk for household in response.context["page_obj"]]
    visible = Household.objects.for_user(reviewer)
    assert page == list(visible.order_by("village_id", "household_no").values_list("pk", flat=True))
    assert page[-1] == village["a2"].pk
    assert page != list(visible.order_by("household_no").values_list("pk", flat=True))
    _token, secret = api_token_create(user=reviewer)
    api = client.get(
        "/api/v1/registry/households/", headers={"Authorization": f"Bearer {secret}"}
    ).json()
    assert [row["id"] for row in api["items"]] == page


def test_a_township_reviewer_sees_both_villages_of_the_township(
    world, client, village, django_assert_max_num_queries
):
    reviewer = world.user(Role.TOWNSHIP_REVIEWER)
    found = listed(client, reviewer, django_assert_max_num_queries, status="registered")
    assert found == {village["poor"].pk, village["a2"].pk}


def test_a_clerk_sees_the_own_village_only(world, client, village, django_assert_max_num_queries):
    found = listed(client, world.outsider, django_assert_max_num_queries)
    assert found == {village["b1"].pk}
    clerk = world.user(Role.VILLAGE_CLERK)
    client.force_login(clerk)
    response = client.get(reverse("household-list"))
    assert response.context["page_obj"].paginator.count == 23
    assert village["a2"].household_no not in response.content.decode()


def test_the_query_count_does_not_grow_with_the_households(
    world, client, village, django_assert_max_num_queries, django_assert_num_queries
):
    clerk = world.user(Role.VILLAGE_CLERK)
    client.force_login(clerk)
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        client.get(reverse("household-list"), {"income_min": "0"})
    for _ in range(30):
        household = make_household(world.village, status="registered")
        YearlyIncome.objects.create(household=household, year=2019, members=3, wage=900)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("household-list"), {"income_min": "0"})
    assert len(response.context["page_obj"]) == 50  # a full page


def test_a_household_number_with_letters_and_dashes_is_found(
    world, client, village, django_assert_max_num_queries
):
    Household.objects.filter(pk=village["poor"].pk).update(household_no="V2-0001")
    Household.objects.filter(pk=village["exited"].pk).update(household_no="V2-00011")
    clerk = world.user(Role.VILLAGE_CLERK)
    assert listed(client, clerk, django_assert_max_num_queries, q="V2-0001") == {village["poor"].pk}
    assert listed(client, clerk, django_assert_max_num_queries, q="V2-") == set()  # exactly


def rename(household, relation, name):
    household.members.filter(relation=relation).update(name=name)


@pytest.mark.parametrize("by_range", [True, False], ids=["name index range", "LIKE alone"])
def test_a_name_is_found_by_its_beginning_not_its_middle(
    world, client, village, django_assert_max_num_queries, monkeypatch, by_range
):
    """By a range on the name index where the database's order allows one; by LIKE alone
    where it does not (a libc collation such as zh_CN.UTF-8): the same households."""
    if not by_range:
        monkeypatch.setattr(selectors, "_prefix_end", lambda using: None)
    rename(village["poor"], "head", "李丽明")
    rename(village["exited"], "spouse", "王李丽")
    rename(village["other"], "head", "李丽𠮷")  # a character beyond the BMP (CJK Ext. B)
    rename(village["a2"], "head", "李丽华")  # another village's
    clerk = world.user(Role.VILLAGE_CLERK)
    found = listed(client, clerk, django_assert_max_num_queries, q="李丽")
    assert found == {village["poor"].pk, village["other"].pk}
    assert listed(client, clerk, django_assert_max_num_queries, q="李丽明") == {village["poor"].pk}
    assert listed(client, clerk, django_assert_max_num_queries, q="丽") == set()
    assert listed(client, clerk, django_assert_max_num_queries, q="李丽明华") == set()
    reviewer = world.user(Role.TOWNSHIP_REVIEWER)
    found = listed(client, reviewer, django_assert_max_num_queries, q="李丽")
    assert found == {village["poor"].pk, village["other"].pk, village["a2"].pk}


def test_a_name_prefix_is_matched_as_written(world, client, village, django_assert_max_num_queries):
    """Case, and LIKE's wildcards, are the name's own characters."""
    rename(village["poor"], "head", "Ayi Guli")
    rename(village["exited"], "head", "A_i%")
    clerk = world.user(Role.VILLAGE_CLERK)
    assert listed(client, clerk, django_assert_max_num_queries, q="Ayi") == {village["poor"].pk}
    assert listed(client, clerk, django_assert_max_num_queries, q="ayi") == set()
    assert listed(client, clerk, django_assert_max_num_queries, q="A_") == {village["exited"].pk}
    assert listed(client, clerk, django_assert_max_num_queries, q="A%") == set()


@pytest.mark.parametrize(
    ("provider", "collate", "end"),
    [
        ("c", "C", "\U0010ffff"),
        ("c", "POSIX", "\U0010ffff"),
        ("c", "C.UTF-8", "\U0010ffff"),
        ("c", "C.utf8", "\U0010ffff"),
        ("b", "C.UTF-8", "\U0010ffff"),  # PostgreSQL 17's builtin provider
        ("i", "en_US.UTF-8", "\uffff"),  # ICU: CLDR sorts U+FFFF above every character
        ("c", "en_US.UTF-8", None),  # glibc ignores both: LIKE alone
        ("c", "zh_CN.UTF-8", None),
    ],
)
def test_the_bound_above_a_prefix_follows_the_postgresql_collation(provider, collate, end):
    assert selectors.prefix_end_for(provider, collate) == end
