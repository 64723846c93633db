"""Dispute mediation: a case through the pages with its steps, closing, the township's
warning at the boundary day (time frozen), petitions per village and year, and scoping."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from fupin.core.attention import attention_for
from fupin.core.roles import Role
from fupin.fieldwork import selectors, services
from fupin.fieldwork.models import DisputeType, MediationCase, MediationStatus, closing_day
from tests.fieldwork import factories

RECEIVED = date(2019, 3, 1)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI), tick=False
    )


def _warning(user):
    return next(
        (item for item in attention_for(user) if "调解" in item.title or "ediation" in item.title),
        None,
    )


def test_closing_day_rule():
    today = date(2019, 5, 1)
    assert closing_day("open", date(2019, 4, 1), today) is None
    assert closing_day("mediating", None, today) is None
    assert closing_day("resolved", None, today) == today
    assert closing_day("referred", date(2019, 4, 1), today) == date(2019, 4, 1)


def test_a_case_opened_mediated_and_resolved_through_the_pages(world, client):
    home = factories.household(world.village)
    party = home.members.first()
    mediator = factories.cadre(world.village, "韦调解员")
    client.force_login(world.user(Role.VILLAGE_CLERK))
    with _at(date(2019, 3, 10)):
        response = client.post(
            reverse("mediation-create"),
            {
                "type": DisputeType.objects.get(code="land").pk,
                "petition": "on",
                "received_on": "2019-03-01",
                "parties": "那马屯甲户；六合屯乙户",
                "party_members": [party.pk],
                "summary": "山林边界争议",
                "mediator": mediator.pk,
                "status": "open",
            },
        )
        assert response.status_code == 302
        case = MediationCase.objects.get()
        assert case.petition and case.village_id == world.village.code
        assert list(case.party_members.all()) == [party]
        step = {"date": "2019-03-05", "description": "双方到场，实地查看边界", "by": mediator.pk}
        assert client.post(reverse("mediation-step-add", args=[case.pk]), step).status_code == 302
        case.refresh_from_db()
        assert case.status == MediationStatus.MEDIATING  # the first step starts mediation
        edit = {
            "type": case.type_id,
            "petition": "on",
            "received_on": "2019-03-01",
            "parties": case.parties,
            "party_members": [party.pk],
            "summary": case.summary,
            "mediator": mediator.pk,
            "status": "resolved",
            "outcome": "达成调解协议，重新确界",
        }
        assert client.post(reverse("mediation-edit", args=[case.pk]), edit).status_code == 302
    case.refresh_from_db()
    assert case.status == "resolved" and case.closed_on == date(2019, 3, 10)  # closed today
    page = client.get(reverse("mediation-detail", args=[case.pk])).content.decode()
    assert "实地查看边界" in page and "达成调解协议" in page and party.name in page
    assert case.history.count() >= 3  # opened, mediating, resolved: audited


def test_bad_dates_are_refused_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as error:
        factories.mediation_case(world.village, date(2019, 3, 2), today=date(2019, 3, 1))
    assert "received_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        factories.mediation_case(
            world.village, RECEIVED, status="resolved", closed_on=date(2019, 2, 1)
        )
    assert "closed_on" in error.value.message_dict
    assert not MediationCase.objects.exists()
    case = factories.mediation_case(world.village, RECEIVED)
    with pytest.raises(ValidationError):  # before it was received
        services.mediation_step_add(
            case=case, on=date(2019, 2, 28), description="x", today=date(2019, 3, 5)
        )
    stranger = factories.cadre(world.other_village)
    with pytest.raises(ValidationError):
        factories.mediation_case(world.village, mediator=stranger)


def test_the_database_refuses_a_closed_case_without_its_day(world):
    case = factories.mediation_case(world.village, RECEIVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        MediationCase.objects.filter(pk=case.pk).update(status="resolved")
    with pytest.raises(IntegrityError), transaction.atomic():
        MediationCase.objects.filter(pk=case.pk).update(closed_on=date(2019, 3, 5))


@pytest.mark.parametrize(
    ("days_open", "warned"), [(29, False), (30, False), (31, True)], ids=["29", "30", "31"]
)
def test_the_township_is_warned_of_a_case_open_over_30_days(days_open, warned, world, client):
    factories.mediation_case(world.village, RECEIVED)
    township = world.user(Role.TOWNSHIP_REVIEWER)
    with _at(RECEIVED + timedelta(days=days_open)):
        item = _warning(township)
        assert (item is not None and item.count == 1) is warned
        client.force_login(township)
        home = client.get(reverse("home")).content.decode()
        assert (reverse("mediation-list") + "?stale=on" in home) is warned


def test_the_home_page_shows_the_warning_and_it_leads_to_the_cases(world, client):
    factories.mediation_case(world.village, RECEIVED, parties="老纠纷双方")
    factories.mediation_case(world.village, RECEIVED + timedelta(days=20), parties="新纠纷双方")
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    with _at(RECEIVED + timedelta(days=40)):
        item = _warning(world.user(Role.TOWNSHIP_REVIEWER))
        assert item.count == 1
        home = client.get(reverse("home")).content.decode()
        assert item.url in home.replace("&amp;", "&")
        listed = client.get(item.url).content.decode()
    assert "老纠纷双方" in listed and "新纠纷双方" not in listed


def test_a_resolved_or_referred_case_is_not_warned(world):
    factories.mediation_case(world.village, RECEIVED, status="resolved", today=date(2019, 3, 2))
    factories.mediation_case(world.village, RECEIVED, status="referred", today=date(2019, 3, 2))
    with _at(RECEIVED + timedelta(days=90)):
        assert _warning(world.user(Role.TOWNSHIP_REVIEWER)) is None


def test_the_warning_days_are_a_setting(world, settings):
    settings.FUPIN_MEDIATION_WARN_DAYS = 10
    factories.mediation_case(world.village, RECEIVED)
    with _at(RECEIVED + timedelta(days=11)):
        assert _warning(world.user(Role.TOWNSHIP_REVIEWER)).count == 1


def test_petitions_counted_per_village_and_year(world, client):
    factories.mediation_case(world.village, date(2019, 2, 1), petition=True)
    factories.mediation_case(world.village, date(2019, 5, 1), petition=True)
    factories.mediation_case(world.village, date(2019, 6, 1))
    factories.mediation_case(world.village, date(2018, 6, 1), petition=True)  # another year
    factories.mediation_case(world.other_village, date(2019, 6, 1), petition=True)
    rows = {
        row["village"]: row
        for row in selectors.mediation_counts(
            "450101001000", 2019, on=date(2019, 12, 31), stale_days=30
        )
    }
    assert rows[world.village.code]["cases"] == 3 and rows[world.village.code]["petitions"] == 2
    assert rows[world.other_village.code]["petitions"] == 1
    assert rows[world.village.code]["unresolved"] == 4  # 2018's is still open
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    page = client.get(reverse("mediation-list"), {"year": 2019}).content.decode()
    assert f'data-village="{world.village.code}"' in page


def test_a_clerk_never_sees_another_villages_cases(world, client):
    factories.mediation_case(world.village, parties="本村当事人")
    theirs = factories.mediation_case(world.other_village, parties="邻村当事人")
    clerk = world.user(Role.VILLAGE_CLERK)
    assert list(MediationCase.objects.for_user(clerk).values_list("parties", flat=True)) == [
        "本村当事人"
    ]
    client.force_login(clerk)
    page = client.get(reverse("mediation-list")).content.decode()
    assert "本村当事人" in page and "邻村当事人" not in page
    assert world.other_village.name not in page
    for name in ("mediation-detail", "mediation-edit"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    step = {"date": "2019-03-02", "description": "x"}
    assert client.post(reverse("mediation-step-add", args=[theirs.pk]), step).status_code == 404
    with _at(date(2019, 6, 1)):
        assert _warning(clerk).count == 1  # their own stale case only


def test_the_api_opens_a_case_and_adds_a_step(world, client):
    from fupin.api.services import api_token_create

    mediator = factories.cadre(world.village, "韦调解员")
    _token, secret = api_token_create(user=world.user(Role.RESIDENT_TEAM))
    headers = {"Authorization": f"Bearer {secret}"}
    body = {
        "village": world.village.code,
        "type": "debt",
        "received_on": "2019-03-01",
        "parties": "甲与乙",
        "summary": "借款未还",
        "petition": True,
        "mediator": mediator.pk,
    }
    with _at(date(2019, 3, 10)):
        made = client.post(
            "/api/v1/fieldwork/mediation-cases/",
            body,
            content_type="application/json",
            headers=headers,
        )
        assert made.status_code == 201, made.content
        pk = made.json()["id"]
        step = {"date": "2019-03-05", "description": "约谈双方", "by": mediator.pk}
        url = f"/api/v1/fieldwork/mediation-cases/{pk}/steps/"
        added = client.post(url, step, content_type="application/json", headers=headers)
        assert added.status_code == 201
        late = {**step, "date": "2019-03-11"}  # after today
        refused = client.post(url, late, content_type="application/json", headers=headers)
        assert refused.status_code == 422 and "date" in refused.json()["fields"]
    detail = client.get(f"/api/v1/fieldwork/mediation-cases/{pk}/", headers=headers).json()
    assert detail["status"] == "mediating" and [s["description"] for s in detail["steps"]] == [
        "约谈双方"
    ]
    listed = client.get("/api/v1/fieldwork/mediation-cases/", {"petition": True}, headers=headers)
    assert [c["id"] for c in listed.json()["items"]] == [pk]


def test_the_demo_has_the_seed_plans_meetings_and_an_open_petition(db):
    from fupin.core.demo import load_demo
    from fupin.fieldwork import demo
    from fupin.fieldwork.models import FollowUp, Meeting

    context = load_demo()
    village = context.village.code
    meetings = Meeting.objects.in_area(village)
    kinds = set(meetings.values_list("type__code", flat=True))
    assert {"study", "two_committees", "group_symposium", "activist_training"} <= kinds
    assert {"publicity", "legal_education", "anti_cult"} <= kinds
    assert FollowUp.objects.filter(meeting__in=meetings, status="open").count() == 1
    cases = MediationCase.objects.in_area(village)
    assert cases.filter(status="resolved").count() == 1
    assert cases.unresolved().get().petition
    assert _warning(context.users["township"]).count == 1
    demo.load_meetings_and_cases(context)  # again: nothing added
    assert meetings.count() == len(demo.MEETINGS) and cases.count() == len(demo.CASES)


def test_the_case_page_says_mediation_steps_and_who_took_them(world, client):
    case = factories.mediation_case(world.village)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    page = client.get(reverse("mediation-detail", args=[case.pk])).content.decode()
    # Contexts of their own: the procedures' "Steps" is 步骤, the work plan's "by" a deadline.
    assert "<h2>调解经过</h2>" in page and "步骤" not in page
    assert "经办人" in page and "截止" not in page
