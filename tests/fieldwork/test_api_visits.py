"""The visits API: a visit with its follow-ups in one request, sent twice and recorded once,
all or nothing, in the history with the token's user, filtered and paged, and scoped."""

import uuid
from datetime import date

import pytest

from fupin.api.services import api_token_create
from fupin.core.roles import Role
from fupin.fieldwork.models import FollowUp, Visit
from tests.fieldwork import factories

API = "/api/v1/fieldwork"


@pytest.fixture
def clerk(world):
    return world.user(Role.VILLAGE_CLERK)


@pytest.fixture
def call_as(client):
    def as_user(user):
        _token, secret = api_token_create(user=user)

        def request(method, path, data=None):
            headers = {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}
            if method == "get":
                return client.get(API + path, data or {}, headers=headers)
            return getattr(client, method)(
                API + path, data or {}, content_type="application/json", headers=headers
            )

        return request

    return as_user


@pytest.fixture
def call(call_as, clerk):
    return call_as(clerk)


def _visit_body(cadre, **more):
    return {
        "client_id": str(uuid.uuid4()),
        "date": "2019-05-01",
        "visitors": [cadre.pk],
        "purpose": "了解务工情况",
        "illness": "户主腰伤",
        "follow_ups": [
            {"action": "联系镇卫生院", "owner": cadre.pk, "due_on": "2019-05-10"},
            {"action": "申请公益岗位", "owner": cadre.pk, "due_on": "2019-06-01"},
        ],
        **more,
    }


def test_a_visit_with_follow_ups_is_recorded_once_however_often_it_is_sent(world, call, clerk):
    home = factories.household(world.village)
    wang = factories.cadre(world.village, "王队员")
    body = _visit_body(wang)
    first = call("post", f"/households/{home.pk}/visits/", body)
    assert first.status_code == 201, first.content
    made = first.json()
    assert made["client_id"] == body["client_id"] and made["illness"] == "户主腰伤"
    assert [f["action"] for f in made["follow_ups"]] == ["联系镇卫生院", "申请公益岗位"]
    assert made["visitors"] == [{"id": wang.pk, "name": "王队员"}]
    again = call("post", f"/households/{home.pk}/visits/", body)
    assert again.status_code == 200 and again.json() == made
    assert Visit.objects.count() == 1 and FollowUp.objects.count() == 2
    visit = Visit.objects.get()
    assert visit.recorded_by == clerk and visit.history.latest().history_user == clerk
    assert {row.history.latest().history_user for row in visit.follow_ups.all()} == {clerk}


def test_a_client_id_of_another_households_visit_is_a_conflict(world, call):
    home, other = factories.household(world.village), factories.household(world.village)
    cadre = factories.cadre(world.village)
    body = _visit_body(cadre)
    assert call("post", f"/households/{home.pk}/visits/", body).status_code == 201
    response = call("post", f"/households/{other.pk}/visits/", body)
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert Visit.objects.count() == 1


def test_a_refused_follow_up_refuses_the_whole_visit_at_its_field(world, call):
    home = factories.household(world.village)
    ours, theirs = factories.cadre(world.village), factories.cadre(world.other_village)
    body = _visit_body(ours)
    body["follow_ups"][1]["owner"] = theirs.pk  # of another village: not a choice here
    response = call("post", f"/households/{home.pk}/visits/", body)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == ["follow_ups.1.owner"]
    assert not Visit.objects.exists() and not FollowUp.objects.exists()


def test_the_page_rules_hold_no_future_visit_no_control_character(world, call):
    home = factories.household(world.village)
    cadre = factories.cadre(world.village)
    future = call("post", f"/households/{home.pk}/visits/", _visit_body(cadre, date="2999-01-01"))
    assert future.status_code == 422 and "date" in future.json()["fields"]
    bad = call("post", f"/households/{home.pk}/visits/", _visit_body(cadre, purpose="走\x07访"))
    assert bad.status_code == 422 and "purpose" in bad.json()["fields"]
    nobody = call("post", f"/households/{home.pk}/visits/", _visit_body(cadre, visitors=[]))
    assert nobody.status_code == 422 and "visitors" in nobody.json()["fields"]
    assert not Visit.objects.exists()


def test_visits_filter_by_household_village_cadre_and_dates_and_page_by_id(world, call_as):
    call = call_as(world.user(Role.TOWNSHIP_REVIEWER))
    home, neighbour = factories.household(world.village), factories.household(world.other_village)
    li, zhao = factories.cadre(world.village, "李"), factories.cadre(world.areas["450101001000"])
    made = [
        factories.visit(home, date(2019, month, 3), visitor=li if month % 2 else zhao)
        for month in range(1, 7)
    ]
    factories.visit(neighbour, date(2019, 3, 3), visitor=zhao)

    def ids(**filters):
        return [v["id"] for v in call("get", "/visits/", filters).json()["items"]]

    assert ids(household=home.pk) == [v.pk for v in made]
    assert ids(village=world.other_village.code) == [Visit.objects.get(household=neighbour).pk]
    assert ids(cadre=li.pk) == [v.pk for v in made[0::2]]
    assert ids(household=home.pk, date_from="2019-02-03", date_to="2019-04-03") == [
        v.pk for v in made[1:4]
    ]
    seen, cursor = [], None
    while True:
        page = call("get", "/visits/", {"limit": 3} | ({"cursor": cursor} if cursor else {}))
        seen += [v["id"] for v in page.json()["items"]]
        if not (cursor := page.json()["next_cursor"]):
            break
    assert seen == sorted(Visit.objects.values_list("pk", flat=True))
    assert call("get", "/visits/", {"cursor": "YWJj"}).json()["code"] == "bad_cursor"


def test_a_clerk_never_sees_another_villages_visits(world, call):
    mine = factories.visit(factories.household(world.village), date(2019, 5, 1))
    owner = factories.cadre(world.other_village)
    theirs = factories.visit(
        factories.household(world.other_village),
        date(2019, 5, 1),
        visitor=owner,
        follow_up={"action": "送药", "owner": owner, "due_on": date(2019, 5, 2)},
    )
    listed = call("get", "/visits/").json()["items"]
    assert [v["id"] for v in listed] == [mine.pk]
    assert call("get", "/visits/", {"village": world.other_village.code}).json()["items"] == []
    assert call("get", f"/visits/{theirs.pk}/").status_code == 404
    assert call("get", "/follow-ups/").json()["items"] == []
    assert call("post", f"/follow-ups/{theirs.follow_ups.get().pk}/done/").status_code == 404
    assert call("get", "/pairings/", {"village": world.other_village.code}).json()["items"] == []


def test_no_answer_holds_a_full_id_number(world, call):
    home = factories.household(world.village)
    cadre = factories.cadre(world.village)
    call("post", f"/households/{home.pk}/pairing/", {"cadre": cadre.pk, "started_on": "2019-01-01"})
    made = call("post", f"/households/{home.pk}/visits/", _visit_body(cadre)).json()
    answers = b"".join(
        call("get", path).content
        for path in ("/visits/", f"/visits/{made['id']}/", "/pairings/", "/follow-ups/")
    )
    for member in home.members.all():
        assert member.id_number.encode() not in answers


# --- correcting and deleting a visit ---------------------------------------------------------


def test_a_patch_corrects_the_visit_as_its_page_does(world, call, clerk):
    home = factories.household(world.village)
    wang, li = factories.cadre(world.village, "王队员"), factories.cadre(world.village, "李队员")
    made = call("post", f"/households/{home.pk}/visits/", _visit_body(wang)).json()
    response = call(
        "patch",
        f"/visits/{made['id']}/",
        {"visitors": [wang.pk, li.pk], "illness": "", "notes": "已就医"},
    )
    assert response.status_code == 200, response.content
    changed = response.json()
    assert changed["illness"] == "" and changed["notes"] == "已就医"
    assert changed["purpose"] == "了解务工情况" and changed["date"] == "2019-05-01"  # kept
    assert [p["name"] for p in changed["visitors"]] == ["李队员", "王队员"]
    assert len(changed["follow_ups"]) == 2  # untouched
    visit = Visit.objects.get(pk=made["id"])
    assert visit.history.latest().history_user == clerk


def test_a_patch_is_refused_at_its_field(world, call):
    visit = factories.visit(factories.household(world.village), date(2019, 5, 1))
    stranger = factories.cadre(world.other_village)
    future = call("patch", f"/visits/{visit.pk}/", {"date": "2999-01-01"})
    assert future.status_code == 422 and list(future.json()["fields"]) == ["date"]
    outside = call("patch", f"/visits/{visit.pk}/", {"visitors": [stranger.pk]})
    assert outside.status_code == 422 and list(outside.json()["fields"]) == ["visitors"]
    visit.refresh_from_db()
    assert visit.date == date(2019, 5, 1) and visit.visitors.get() != stranger


def test_a_delete_needs_a_reason_and_takes_the_open_follow_ups(world, call, clerk):
    home = factories.household(world.village)
    cadre = factories.cadre(world.village)
    made = call("post", f"/households/{home.pk}/visits/", _visit_body(cadre)).json()
    path = f"/visits/{made['id']}/"
    unsaid = call("delete", path, {"reason": " "})
    assert unsaid.status_code == 422 and list(unsaid.json()["fields"]) == ["reason"]
    assert call("delete", path).status_code == 422  # no body at all
    gone = call("delete", path, {"reason": "录错了户"})
    assert gone.status_code == 204 and gone.content == b""
    assert not Visit.objects.exists() and not FollowUp.objects.exists()
    deleted = Visit.history.filter(id=made["id"], history_type="-").get()
    assert (deleted.history_user, deleted.history_change_reason) == (clerk, "录错了户")
    assert call("get", path).status_code == 404
    assert call("delete", path, {"reason": "again"}).status_code == 404


def test_a_visit_with_a_follow_up_done_is_not_deleted_409(world, call):
    home = factories.household(world.village)
    cadre = factories.cadre(world.village)
    made = call("post", f"/households/{home.pk}/visits/", _visit_body(cadre)).json()
    call("post", f"/follow-ups/{made['follow_ups'][0]['id']}/done/")
    response = call("delete", f"/visits/{made['id']}/", {"reason": "重复"})
    assert response.status_code == 409
    assert response.json()["code"] == "follow_ups_done"
    assert Visit.objects.filter(pk=made["id"]).exists() and FollowUp.objects.count() == 2


def test_another_villages_visit_cannot_be_corrected_or_deleted(world, call, call_as):
    theirs = factories.visit(factories.household(world.other_village), date(2019, 5, 1))
    assert call("patch", f"/visits/{theirs.pk}/", {"purpose": "x"}).status_code == 404
    assert call("delete", f"/visits/{theirs.pk}/", {"reason": "x"}).status_code == 404
    reader = call_as(world.user(Role.INSPECTOR))
    refused = reader("delete", f"/visits/{theirs.pk}/", {"reason": "x"})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    theirs.refresh_from_db()
    assert theirs.purpose == "走访"
