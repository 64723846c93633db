"""Moving a member into another household (marriage, a household split, a return): one
record, its history kept, the user's area respected, the rules of heads kept."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from fupin.core.models import Area
from fupin.core.roles import Role
from fupin.registry.models import Member
from tests.conftest import make_user
from tests.registry.factories import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_client(client, world):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    return client


def move(client, member, household_no, relation="spouse", reason="婚入"):
    data = {"household_no": household_no, "relation": relation, "reason": reason}
    with translation.override("zh-hans"):
        return client.post(
            reverse("member-move", args=[member.pk]), data, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )


def child_of(household) -> Member:
    return household.members.get(relation="child")


def test_a_member_moves_with_the_reason_in_the_history(world, clerk_client):
    origin = make_household(world.village, members=3)
    target = make_household(world.village, members=1)
    member = child_of(origin)
    response = move(clerk_client, member, f" {target.household_no} ")
    assert response.status_code == 302
    assert response["Location"] == reverse("household-detail", args=[target.pk])
    member.refresh_from_db()
    assert (member.household, member.relation) == (target, "spouse")
    assert origin.members.count() == 2
    latest = member.history.latest()
    assert latest.history_change_reason == "婚入"
    assert latest.history_user == world.user(Role.VILLAGE_CLERK)
    assert latest.prev_record.household_id == origin.pk
    # The new household's history card tells where the person came from, by number.
    card = clerk_client.get(reverse("household-detail", args=[target.pk])).context["history"]
    moved = card[0]
    assert moved["subject"].endswith(member.name)
    with translation.override("en"):
        assert [(str(f), str(o), str(n)) for f, o, n in moved["changes"]] == [
            ("household", origin.household_no, target.household_no),
            ("relation to head", "Child", "Spouse"),
        ]
    # The household left tells of the departure too, with the reason.
    left = clerk_client.get(reverse("household-detail", args=[origin.pk])).context["history"]
    assert left[0]["record"] == latest
    assert left[0]["changes"] == moved["changes"]


def test_each_household_shows_a_moved_members_changes_while_they_belonged_there(
    world, clerk_client
):
    origin = make_household(world.village, members=3)
    target = make_household(world.village, members=1)
    member = child_of(origin)
    member.name, member._change_reason = "韦小丽", "更正姓名"
    member.save()
    move(clerk_client, member, target.household_no)
    member.refresh_from_db()
    member.schooling, member._change_reason = "finished", "毕业"
    member.save()

    def reasons(household):
        url = reverse("household-detail", args=[household.pk])
        card = clerk_client.get(url).context["history"]
        return [row["record"].history_change_reason for row in card if "韦小丽" in row["subject"]]

    assert reasons(origin) == ["婚入", "更正姓名"]  # the move, the correction (created: 成员…)
    assert reasons(target) == ["毕业", "婚入"]


def test_a_move_between_villages_tells_neither_village_the_others_household(world, client):
    origin = make_household(world.village, members=3)
    target = make_household(world.other_village, members=1)
    member = child_of(origin)
    client.force_login(world.user(Role.ADMIN))
    with translation.override("en"):
        response = client.post(
            reverse("member-move", args=[member.pk]),
            {"household_no": target.household_no, "relation": "spouse", "reason": "marriage"},
        )
    assert response.status_code == 302
    # The county sees both numbers.
    card = client.get(reverse("household-detail", args=[target.pk])).context["history"]
    assert card[0]["changes"][0][1:] == (origin.household_no, target.household_no)
    # The other village's clerk sees where the person went, not where from.
    outside = "（不在您的管辖范围内）"
    client.force_login(make_user("clerk_c", Role.VILLAGE_CLERK, world.other_village.code))
    page = client.get(reverse("household-detail", args=[target.pk]))
    assert page.context["history"][0]["changes"][0][1:] == (outside, target.household_no)
    assert origin.household_no not in page.content.decode()
    # The first village's clerk sees that the person left, not where to.
    client.force_login(world.user(Role.VILLAGE_CLERK))
    page = client.get(reverse("household-detail", args=[origin.pk]))
    assert page.context["history"][0]["changes"][0][1:] == (origin.household_no, outside)
    assert page.context["history"][0]["record"].history_change_reason == "marriage"
    assert target.household_no not in page.content.decode()


def test_history_names_what_it_refers_to_in_one_query_per_kind(world, clerk_client):
    household = make_household(world.village, members=2)
    groups = list(Area.objects.filter(parent=world.village).order_by("code"))  # 甲一屯, 甲二屯
    for step in range(20):  # twenty changes of group, on a page of thirty changes
        household.group = groups[step % 2]
        household.save()
    url = reverse("household-detail", args=[household.pk])
    with CaptureQueriesContext(connection) as queries:
        card = clerk_client.get(url).context["history"]
    with translation.override("en"):
        assert [(str(f), o, n) for f, o, n in card[0]["changes"]] == [
            ("villager group", "甲一屯", "甲二屯")
        ]
    area_queries = [q for q in queries if 'FROM "core_area"' in q["sql"]]
    assert len(area_queries) <= 3  # the user's area, the village, the groups named: not 20


def test_a_member_who_had_moved_out_is_present_again(world, clerk_client):
    origin = make_household(world.village, members=3)
    target = make_household(world.village, members=1)
    member = child_of(origin)
    member.status, member.departed_on = "moved_out", datetime.date(2019, 5, 1)
    member.save()
    assert move(clerk_client, member, target.household_no, "child", "回乡落户").status_code == 302
    member.refresh_from_db()
    assert (member.household, member.status, member.departed_on) == (target, "present", None)


def test_a_household_split_makes_the_member_head_of_the_new_household(world, clerk_client):
    origin = make_household(world.village, members=3)
    new = make_household(world.village, members=0)
    member = child_of(origin)
    assert move(clerk_client, member, new.household_no, "head", "分户").status_code == 302
    assert new.members.get().relation == "head"
    assert origin.members.filter(relation="head").count() == 1


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("unknown", "household_no", "本辖区内没有这个户编号的户。"),
        ("outside", "household_no", "本辖区内没有这个户编号的户。"),
        ("same", "household_no", "该成员已属于这一户。"),
        (
            "back home",
            "household_no",
            "该成员本来就属于这一户：如是返回原户，请修改该成员，把人员状态改回在册。",
        ),
        ("cancelled", "household_no", "这一户已注销。"),
        ("second head", "relation", "该户已有户主，请先修改原户主的与户主关系。"),
        ("head leaves", None, "户主不能在其他成员留下时迁出：请先指定另一位成员为户主。"),
        ("deceased", None, "已故成员不能迁入其他户。"),
        ("no reason", "reason", "这个字段是必填项。"),
    ],
)
def test_a_move_that_breaks_a_rule_is_refused_and_changes_nothing(
    world, clerk_client, case, field, message
):
    origin = make_household(world.village, members=3)
    member = child_of(origin)
    relation, reason = "spouse", "婚入"
    target = make_household(world.village, members=2)
    number = target.household_no
    if case == "unknown":
        number = "450101001001-X"
    elif case == "outside":  # in the township, not in the clerk's village
        number = make_household(world.other_village, members=1).household_no
    elif case == "same":
        number = origin.household_no
    elif case == "back home":
        number = origin.household_no
        member.status, member.departed_on = "moved_out", datetime.date(2019, 5, 1)
        member.save()
    elif case == "cancelled":
        target.status, target.cancel_reason = "cancelled", "merged"
        target.save()
    elif case == "second head":
        relation = "head"
    elif case == "head leaves":
        member = origin.members.get(relation="head")
    elif case == "deceased":
        member.status, member.departed_on = "deceased", datetime.date(2020, 1, 1)
        member.save()
    elif case == "no reason":
        reason = ""
    before = list(Member.objects.order_by("pk").values_list("household", "relation", "status"))
    histories = (Member.history.count(), origin.history.count())
    response = move(clerk_client, member, number, relation, reason)
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field) if field else form.non_field_errors()
    assert errors == [message]
    after = list(Member.objects.order_by("pk").values_list("household", "relation", "status"))
    assert after == before
    assert (Member.history.count(), origin.history.count()) == histories


def test_the_longest_household_number_can_be_the_target(world, clerk_client):
    origin = make_household(world.village, members=3)
    target = make_household(world.village, members=1)
    type(target).objects.filter(pk=target.pk).update(household_no="4" * 32)  # the model's most
    assert move(clerk_client, child_of(origin), "4" * 32).status_code == 302
    assert target.members.count() == 2


def test_a_county_user_moves_a_member_between_villages_of_the_county(world, client):
    client.force_login(world.user(Role.ADMIN))
    origin = make_household(world.village, members=3)
    target = make_household(world.other_village, members=1)
    member = child_of(origin)
    assert move(client, member, target.household_no).status_code == 302
    member.refresh_from_db()
    assert member.household == target


def test_the_household_page_offers_a_move_to_editors_only(world, client):
    household = make_household(world.village, members=2)
    move_url = reverse("member-move", args=[household.members.first().pk])
    client.force_login(world.user(Role.VILLAGE_CLERK))
    assert move_url in client.get(reverse("household-detail", args=[household.pk])).content.decode()
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    assert (
        move_url
        not in client.get(reverse("household-detail", args=[household.pk])).content.decode()
    )
