"""The follow-ups and pairing API: overdue at the due day's boundary, marking done once, and
setting a household's cadre as the pairing page does — each write in the history."""

from datetime import date

from fupin.api.services import api_token_create
from fupin.core.roles import Role
from fupin.fieldwork.models import FollowUpStatus, Pairing
from tests.fieldwork import factories

API = "/api/v1/fieldwork"


def _headers(user):
    _token, secret = api_token_create(user=user)
    return {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}


def _with_follow_up(village, due):
    home = factories.household(village)
    owner = factories.cadre(village)
    visit = factories.visit(
        home,
        date(2019, 5, 1),
        visitor=owner,
        follow_up={"action": "办医保", "owner": owner, "due_on": due},
    )
    return visit.follow_ups.get()


def test_overdue_follow_ups_from_the_day_after_due_and_done_once(world, client):
    clerk = world.user(Role.VILLAGE_CLERK)
    headers = _headers(clerk)
    row = _with_follow_up(world.village, date(2019, 5, 10))
    _with_follow_up(world.village, date(2019, 6, 10))

    def overdue(on):
        answer = client.get(f"{API}/follow-ups/", {"overdue": "true", "on": on}, headers=headers)
        return [f["id"] for f in answer.json()["items"]]

    assert overdue("2019-05-10") == []
    assert overdue("2019-05-11") == [row.pk]
    done = client.post(f"{API}/follow-ups/{row.pk}/done/", headers=headers)
    assert done.status_code == 200 and done.json()["status"] == "done"
    row.refresh_from_db()
    assert row.status == FollowUpStatus.DONE and row.history.latest().history_user == clerk
    versions = row.history.count()
    assert client.post(f"{API}/follow-ups/{row.pk}/done/", headers=headers).status_code == 200
    assert row.history.count() == versions  # sent twice: nothing changes
    assert overdue("2019-05-11") == []
    still_open = client.get(f"{API}/follow-ups/", {"status": "open"}, headers=headers).json()
    assert [f["id"] for f in still_open["items"]] != [row.pk] and len(still_open["items"]) == 1


def test_pairing_a_household_ends_the_current_pairing_with_history(world, client):
    team = world.user(Role.RESIDENT_TEAM)
    headers = _headers(team)
    home = factories.household(world.village)
    first, second = factories.cadre(world.village, "甲"), factories.cadre(world.village, "乙")
    url = f"{API}/households/{home.pk}/pairing/"
    for cadre, day in ((first, "2019-01-01"), (second, "2019-03-01")):
        answer = client.post(
            url,
            {"cadre": cadre.pk, "started_on": day},
            content_type="application/json",
            headers=headers,
        )
        assert answer.status_code == 200, answer.content
    assert answer.json()["cadre_name"] == "乙" and answer.json()["ended_on"] is None
    ended = Pairing.objects.get(cadre=first)
    assert ended.ended_on == date(2019, 3, 1) and ended.history.latest().history_user == team
    current = client.get(
        f"{API}/pairings/", {"household": home.pk, "current": "true"}, headers=headers
    )
    assert [p["cadre"] for p in current.json()["items"]] == [second.pk]
    earlier = client.post(
        url,
        {"cadre": first.pk, "started_on": "2019-02-01"},
        content_type="application/json",
        headers=headers,
    )
    assert earlier.status_code == 422 and "started_on" in earlier.json()["fields"]


def test_the_cadres_who_may_visit_a_household(world, client):
    headers = _headers(world.user(Role.VILLAGE_CLERK))
    home = factories.household(world.village)
    here = factories.cadre(world.village, "村干部")
    township = factories.cadre(world.areas["450101001000"], "镇干部")
    factories.cadre(world.other_village, "邻村干部")
    answer = client.get(f"{API}/cadres/", {"household": home.pk}, headers=headers).json()
    assert {c["id"] for c in answer["items"]} == {here.pk, township.pk}
    mine = client.get(f"{API}/cadres/", headers=headers).json()
    assert [c["id"] for c in mine["items"]] == [here.pk]  # the cadres page: the clerk's village
