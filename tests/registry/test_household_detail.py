"""The household page: the user's area only (404 outside it), ID numbers masked."""

import re

import pytest
from django.urls import reverse

from fupin.core.roles import Role
from fupin.registry import hooks
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
        assert f"{member.id_number[:2]}**************{member.id_number[-2:]}" in page
    assert len(re.findall(r"\d{2}\*{14}\d[\dX]", page)) == 3
    assert "户主" in page and "3000.00" in page  # relation in Chinese; per-capita income


def test_the_page_shows_the_household_s_changes_to_whoever_may_see_it(world, client, households):
    """Who changed what, when and why: the household's own changes and its members'."""
    from fupin.registry.services import household_save, member_save
    from tests.registry.factories import person_id

    household = households[0]
    clerk = world.user(Role.VILLAGE_CLERK)
    household.status = "monitored"
    household.year_registered = 2016
    household_save(household=household, user=clerk, reason="收入骤减，纳入监测")
    member = household.members.get(relation="child")
    old_number, member.id_number = member.id_number, person_id()
    member_save(member=member, user=clerk, reason="身份证号码录错")
    for role in (Role.VILLAGE_CLERK, Role.TOWNSHIP_REVIEWER, Role.INSPECTOR):
        client.force_login(world.user(role))
        page = client.get(reverse("household-detail", args=[household.pk])).content.decode()
        assert "收入骤减，纳入监测" in page and "身份证号码录错" in page, role
        assert "监测对象" in page  # the new status as the forms name it, not its code
        assert clerk.username in page
        # An ID number's change is shown masked, to every reader: no page but the
        # audited reveal shows a full number.
        assert old_number not in page and member.id_number not in page
        assert f"{old_number[:2]}**************{old_number[-2:]}" in page
    # who may read every record's history has the link to the household's full history
    assert reverse("record-history", args=["registry", "household", household.pk]) in page


def test_the_page_offers_only_what_the_role_may_do(world, client, households):
    page = {}
    for role in (Role.VILLAGE_CLERK, Role.TOWNSHIP_REVIEWER):
        client.force_login(world.user(role))
        page[role] = client.get(reverse("household-detail", args=[households[0].pk])).content
    member = households[0].members.first()
    for url in (
        reverse("household-edit", args=[households[0].pk]),
        reverse("member-edit", args=[member.pk]),
        reverse("member-reveal", args=[member.pk]),
    ):
        assert url.encode() in page[Role.VILLAGE_CLERK]
        assert url.encode() not in page[Role.TOWNSHIP_REVIEWER]  # it would answer 403
    assert (
        reverse("record-history", args=["registry", "household", households[0].pk]).encode()
        not in page[Role.VILLAGE_CLERK]
    )


def test_opening_a_member_s_form_records_the_reveal_of_the_full_number(world, client, households):
    from fupin.core.models import AccessEvent

    member = households[0].members.first()
    client.force_login(world.user(Role.VILLAGE_CLERK))
    page = client.get(reverse("member-edit", args=[member.pk])).content.decode()
    assert member.id_number in page
    event = AccessEvent.objects.get()
    assert (event.action, event.object_pk) == (AccessEvent.Action.REVEAL_ID_NUMBER, str(member.pk))


# Session, user, the household, its members, its incomes and their years' poverty lines, the
# assessment's outcome (the covering runs, the outcome), the fieldwork panel (pairing, open
# follow-ups, plans, their measures, visits, their visitors), the trainings panel (enrolments,
# referrals, the members it may refer), the procedures panel (who may start one, the
# procedures), the history (the household's, its members', its incomes' versions) and the
# user's area in the page's header: 23 (22 before any assessment run), whatever the household
# holds. It was 32 with two years of income, and grew by one a year of income.
MAX_QUERIES = 23


def _more_of_everything(household, n: int) -> None:
    """n more members, years of income, visits (two visitors, a follow-up each), measures,
    referrals and changes."""
    import datetime

    from fupin.fieldwork.models import AssistancePlan, Measure, MeasureType
    from fupin.registry.models import YearlyIncome
    from tests.fieldwork import factories, factories_trainings
    from tests.workplan import factories as workplan

    village = household.village
    plan, _ = AssistancePlan.objects.get_or_create(household=household, village=village, year=2019)
    kinds = list(MeasureType.objects.all())
    first_year = 2019 - YearlyIncome.objects.filter(household=household).count()
    done = plan.measures.count()
    for i in range(done, done + n):
        young = factories_trainings.young(household, datetime.date(2002, 1, 1 + i))
        factories_trainings.referral(young)
        YearlyIncome.objects.create(
            household=household, year=first_year - (i - done), members=2, wage=4000
        )
        wang, li = factories.cadre(village, name=f"王{i}"), factories.cadre(village, name=f"李{i}")
        factories.visit(household, datetime.date(2019, 3, 1 + i), visitor=wang)
        visit = household.visits.order_by("-id").first()
        visit.visitors.add(li)
        visit.follow_ups.create(
            household=household,
            village=village,
            action=f"跟进{i}",
            owner=wang,
            due_on=datetime.date(2019, 4, 1 + i),
        )
        Measure.objects.create(
            plan=plan,
            village=village,
            type=kinds[i % len(kinds)],
            description=f"措施{i}",
            project=workplan.project(village, name=f"项目{i}"),
        )


def test_the_page_s_queries_do_not_grow_with_what_the_household_holds(
    world, client, django_assert_max_num_queries, django_assert_num_queries
):
    """Members, incomes, visits, follow-ups, measures, referrals and their history: each
    panel reads its rows set-based, so five times as many cost no query more."""
    household = make_household(world.village, status="registered", income=3000, members=2)
    _more_of_everything(household, 1)
    url = reverse("household-detail", args=[household.pk])
    client.force_login(world.user(Role.VILLAGE_CLERK))  # who may edit: every link, every list
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        assert client.get(url).status_code == 200
    _more_of_everything(household, 5)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    page = response.content.decode()
    assert all(f"措施{i}" in page and f"项目{i}" in page for i in range(6))  # plan, projects
    assert all(f"跟进{i}" in page for i in range(6))  # the open follow-ups
    assert "王5、李5" in page or "李5、王5" in page  # a visit's two visitors
    lines = {row["income"].year: row["line"] for row in response.context["incomes"]}
    assert len(lines) == 7  # 2019 and the six years before it, each with its own line:
    assert lines == {year: hooks.poverty_line(year, world.village.code) for year in lines}
    assert lines[2019] == 3218
