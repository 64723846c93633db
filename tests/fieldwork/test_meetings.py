"""Meetings and activities: recording one through the page with named members, its
decisions as follow-ups, the year's counts, and scoping."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from fupin.core.roles import Role
from fupin.fieldwork import selectors, services
from fupin.fieldwork.compliance import compliance
from fupin.fieldwork.models import FollowUp, Meeting, MeetingType
from tests.fieldwork import factories


def test_the_seed_plans_meeting_types_are_data():
    codes = set(MeetingType.objects.values_list("code", flat=True))
    assert {"study", "two_committees", "group_symposium", "activist_training"} <= codes
    assert {"publicity", "legal_education", "anti_cult"} <= codes
    assert str(MeetingType.objects.get(code="anti_cult")) == "反邪教警示教育"


def test_a_meeting_with_named_members_recorded_through_the_page(world, client):
    home = factories.household(world.village)
    first, second = home.members.order_by("pk")
    client.force_login(world.user(Role.RESIDENT_TEAM))
    study = MeetingType.objects.get(code="study")
    form = client.get(reverse("meeting-create")).content.decode()
    assert first.name in form and home.household_no in form  # the village's members to pick
    response = client.post(
        reverse("meeting-create"),
        {
            "type": study.pk,
            "date": "2019-03-05",
            "place": "村委会会议室",
            "topic": "学习十九大精神",
            "participant_count": 25,
            "members": [first.pk, second.pk],
            "minutes": "第一书记领学。\n讨论产业发展。",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.village_id == world.village.code and meeting.participant_count == 25
    assert set(meeting.members.all()) == {first, second}
    latest = meeting.history.latest()  # audited, with who changed it and whom it named
    assert latest.history_user == world.user(Role.RESIDENT_TEAM)
    assert {row.member_id for row in latest.members.all()} == {first.pk, second.pk}
    page = client.get(reverse("meeting-detail", args=[meeting.pk])).content.decode()
    assert "学习十九大精神" in page and first.name in page and "讨论产业发展" in page
    edit = client.get(reverse("meeting-edit", args=[meeting.pk])).content.decode()
    assert f'name="members" value="{first.pk}" checked>' in edit  # the named stay ticked
    assert 'data-filters="id_members-list"' in edit and 'id="id_members-list"' in edit


def test_fewer_participants_than_named_or_a_member_of_another_village_is_refused(world):
    home = factories.household(world.village)
    stranger = factories.household(world.other_village).members.first()
    with pytest.raises(ValidationError) as error:
        factories.meeting(world.village, participant_count=1, members=list(home.members.all()))
    assert "participant_count" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        factories.meeting(world.village, members=[stranger])
    assert "members" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_a_member_of_another_village_cannot_be_posted_either(world, client):
    stranger = factories.household(world.other_village).members.first()
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.post(
        reverse("meeting-create"),
        {
            "type": MeetingType.objects.get(code="publicity").pk,
            "date": "2019-03-05",
            "topic": "政策宣传",
            "participant_count": 30,
            "members": [stranger.pk],
        },
    )
    assert response.status_code == 400 and not Meeting.objects.exists()


def test_a_future_meeting_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.meeting_save(
            village=world.village,
            type=MeetingType.objects.get(code="study"),
            date=date(2019, 3, 2),
            topic="x",
            today=date(2019, 3, 1),
        )
    assert "date" in error.value.message_dict


def test_decisions_become_follow_ups_counted_on_the_compliance_page(world, client):
    meeting = factories.meeting(world.village, kind="two_committees", topic="两委座谈会")
    owner = factories.cadre(world.village, "韦文书")
    client.force_login(world.user(Role.VILLAGE_CLERK))
    url = reverse("meeting-decision-add", args=[meeting.pk])
    response = client.post(
        url, {"action": "修缮那马屯饮水管", "owner": owner.pk, "due_on": "2019-03-20"}
    )
    assert response.status_code == 302
    decision = FollowUp.objects.get()
    assert decision.meeting == meeting and decision.visit is None and decision.household is None
    assert decision.village_id == world.village.code
    assert compliance(world.village.code, date(2019, 3, 21)).follow_ups_overdue == 1
    late = client.get(reverse("fieldwork-compliance") + "?on=2019-03-21").content.decode()
    assert "修缮那马屯饮水管" in late and reverse("meeting-detail", args=[meeting.pk]) in late
    done = client.post(reverse("follow-up-done", args=[decision.pk]))
    assert done.url == reverse("meeting-detail", args=[meeting.pk])
    decision.refresh_from_db()
    assert decision.status == "done"


def test_a_decision_owner_from_another_village_is_refused(world):
    meeting = factories.meeting(world.village)
    stranger = factories.cadre(world.other_village)
    with pytest.raises(ValidationError):
        services.meeting_decision_add(
            meeting=meeting, action="x", owner=stranger, due_on=date(2019, 4, 1)
        )


def test_a_follow_up_has_exactly_one_source_in_the_database(world):
    meeting = factories.meeting(world.village)
    home = factories.household(world.village)
    owner = factories.cadre(world.village)
    visit = factories.visit(home, date(2019, 3, 1), visitor=owner)
    common = {"village": world.village, "action": "x", "owner": owner, "due_on": date(2019, 4, 1)}
    for sources in ({}, {"visit": visit, "household": home, "meeting": meeting}, {"visit": visit}):
        with pytest.raises(IntegrityError), transaction.atomic():
            FollowUp.objects.create(**common, **sources)


def test_counts_by_village_and_type_for_a_year(world):
    factories.meeting(world.village, date(2019, 3, 1), kind="study")
    factories.meeting(world.village, date(2019, 5, 1), kind="study")
    factories.meeting(world.village, date(2019, 6, 1), kind="legal_education")
    factories.meeting(world.other_village, date(2019, 6, 1), kind="study")
    factories.meeting(world.village, date(2018, 6, 1), kind="study")  # another year
    counts = selectors.meeting_counts("450101001000", 2019)
    types = [t.code for t in counts["types"]]
    rows = {
        row["village"].code: dict(zip(types, row["counts"], strict=True))
        for row in counts["villages"]
    }
    assert rows[world.village.code]["study"] == 2
    assert rows[world.village.code]["legal_education"] == 1
    assert rows[world.other_village.code]["study"] == 1
    assert counts["total"] == 4


def test_the_list_filters_by_type_village_and_year(world, client):
    factories.meeting(world.village, date(2019, 3, 1), kind="study", topic="学习会一")
    factories.meeting(world.village, date(2019, 4, 1), kind="publicity", topic="宣传一")
    factories.meeting(world.village, date(2018, 4, 1), kind="study", topic="旧学习会")
    factories.meeting(world.other_village, date(2019, 4, 1), kind="study", topic="邻村学习")
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    url = reverse("meeting-list")
    page = client.get(url).content.decode()  # the latest year with meetings: 2019
    assert "学习会一" in page and "宣传一" in page and "邻村学习" in page and "旧学习会" not in page
    study = MeetingType.objects.get(code="study").pk
    page = client.get(url, {"type": study, "village": world.village.code, "year": 2019})
    page = page.content.decode()
    assert "学习会一" in page and "宣传一" not in page and "邻村学习" not in page
    assert "旧学习会" in client.get(url, {"year": 2018}).content.decode()


def test_a_clerk_never_sees_another_villages_meetings(world, client):
    factories.meeting(world.village, topic="本村学习会")
    theirs = factories.meeting(world.other_village, topic="邻村学习会")
    clerk = world.user(Role.VILLAGE_CLERK)
    assert list(Meeting.objects.for_user(clerk).values_list("topic", flat=True)) == ["本村学习会"]
    client.force_login(clerk)
    page = client.get(reverse("meeting-list")).content.decode()
    assert "本村学习会" in page and "邻村学习会" not in page
    assert world.other_village.name not in page  # nor in the counts
    assert client.get(reverse("meeting-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("meeting-edit", args=[theirs.pk])).status_code == 404
    other = reverse("meeting-create") + f"?village={world.other_village.code}"
    assert client.get(other).status_code == 404


def test_the_list_reads_in_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    for day in range(1, 8):
        factories.meeting(world.village, date(2019, 3, day))
    client.force_login(world.user(Role.VILLAGE_CLERK))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("meeting-list")).status_code == 200


def _api(client, user):
    from fupin.api.services import api_token_create

    _token, secret = api_token_create(user=user)
    return {"Authorization": f"Bearer {secret}"}


def test_the_api_records_a_meeting_and_its_decision(world, client):
    home = factories.household(world.village)
    member = home.members.first()
    owner = factories.cadre(world.village, "韦文书")
    headers = _api(client, world.user(Role.VILLAGE_CLERK))
    body = {
        "village": world.village.code,
        "type": "group_symposium",
        "date": "2019-04-02",
        "topic": "那马屯村民小组座谈会",
        "participant_count": 18,
        "members": [member.pk],
    }
    made = client.post(
        "/api/v1/fieldwork/meetings/", body, content_type="application/json", headers=headers
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["members"] == [{"id": member.pk, "name": member.name, "household": home.pk}]
    decision = {"action": "修缮屯道", "owner": owner.pk, "due_on": "2019-05-01"}
    url = f"/api/v1/fieldwork/meetings/{pk}/decisions/"
    added = client.post(url, decision, content_type="application/json", headers=headers)
    assert added.status_code == 201 and added.json()["status"] == "open"
    detail = client.get(f"/api/v1/fieldwork/meetings/{pk}/", headers=headers).json()
    assert [d["action"] for d in detail["decisions"]] == ["修缮屯道"]
    listed = client.get("/api/v1/fieldwork/meetings/", {"type": "group_symposium"}, headers=headers)
    assert [m["id"] for m in listed.json()["items"]] == [pk]


def test_the_api_refuses_a_member_it_may_not_see_and_another_villages_meeting(world, client):
    stranger = factories.household(world.outside_village).members.first()
    theirs = factories.meeting(world.other_village)
    headers = _api(client, world.user(Role.VILLAGE_CLERK))
    body = {
        "village": world.village.code,
        "type": "study",
        "date": "2019-04-02",
        "topic": "学习会",
        "participant_count": 5,
        "members": [stranger.pk],
    }
    refused = client.post(
        "/api/v1/fieldwork/meetings/", body, content_type="application/json", headers=headers
    )
    assert refused.status_code == 422 and "members" in refused.json()["fields"]
    other = {**body, "members": [], "village": world.other_village.code}
    assert (
        client.post(
            "/api/v1/fieldwork/meetings/", other, content_type="application/json", headers=headers
        ).status_code
        == 404
    )
    assert client.get("/api/v1/fieldwork/meetings/", headers=headers).json()["items"] == []
    url = f"/api/v1/fieldwork/meetings/{theirs.pk}/"
    assert client.get(url, headers=headers).status_code == 404
    assert not Meeting.objects.filter(village=world.village).exists()


def test_the_inspector_reads_a_meetings_change_history(world, client):
    meeting = factories.meeting(world.village, topic="两委座谈会")
    services.meeting_save(
        meeting=meeting,
        village=world.village,
        type=meeting.type,
        date=meeting.date,
        topic="两委扩大会议",
        participant_count=15,
        today=meeting.date,
    )
    client.force_login(world.user(Role.INSPECTOR))
    url = reverse("record-history", args=["fieldwork", "meeting", meeting.pk])
    page = client.get(url).content.decode()
    assert "两委座谈会" in page and "两委扩大会议" in page
    client.force_login(world.outsider)
    assert client.get(url).status_code in (403, 404)


def test_an_open_decision_reads_as_a_follow_up_not_as_a_procedure(world, client):
    # The procedures' "Open" is 办理中 under its own context; a follow-up's is 未办.
    meeting = factories.meeting(world.village, kind="two_committees", topic="两委座谈会")
    owner = factories.cadre(world.village, "韦文书")
    services.meeting_decision_add(
        meeting=meeting, action="修缮那马屯饮水管", owner=owner, due_on=date(2019, 3, 20)
    )
    client.force_login(world.user(Role.VILLAGE_CLERK))
    page = client.get(reverse("meeting-detail", args=[meeting.pk])).content.decode()
    assert "· 未办" in page and "办理中" not in page
    assert ">已办</button>" in page  # not the assessment's progress message 完成
