"""The meetings' and mediation cases' codes: a village, type or status that no record can
have (a NUL byte among them, which PostgreSQL refuses) is a 422, never sent to the database."""

from fupin.api.services import api_token_create
from fupin.core.roles import Role

API = "/api/v1/fieldwork"


def _headers(world, role=Role.VILLAGE_CLERK):
    _token, secret = api_token_create(user=world.user(role))
    return {"Authorization": f"Bearer {secret}"}


def test_codes_in_filters_and_bodies_are_checked_before_the_database(world, client):
    headers = _headers(world)
    for path in ("meetings", "mediation-cases"):
        for field in ("village", "type"):
            answer = client.get(f"{API}/{path}/", {field: "a\x00b"}, headers=headers)
            assert answer.status_code == 422, (path, field, answer.content)
            assert any(key.endswith(field) for key in answer.json()["fields"]), answer.json()
        body = {"village": "45\x00", "type": "study", "date": "2019-03-01", "topic": "学习"}
        body |= {"received_on": "2019-03-01", "parties": "甲与乙", "summary": "宅基地"}
        answer = client.post(
            f"{API}/{path}/", body, content_type="application/json", headers=headers
        )
        assert answer.status_code == 422 and "body.village" in answer.json()["fields"], path
    answer = client.get(f"{API}/mediation-cases/", {"status": "open\x00"}, headers=headers)
    assert answer.status_code == 422


# --- changes of meetings and cases; the Spring Festival list's entries -----------------------


def _json(client, method, path, body, headers):
    return getattr(client, method)(path, body, content_type="application/json", headers=headers)


def test_a_meeting_changed_keeps_what_was_left_out(world, client):
    from tests.fieldwork import factories

    meeting = factories.meeting(world.village, place="村委会", minutes="")
    headers = _headers(world)
    path = f"{API}/meetings/{meeting.pk}/"
    answer = _json(client, "patch", path, {"topic": "村民代表会议", "minutes": "议定修路"}, headers)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["topic"], body["minutes"], body["place"]) == ("村民代表会议", "议定修路", "村委会")
    assert body["type"] == "study" and body["participant_count"] == 20
    meeting.refresh_from_db()
    assert meeting.topic == "村民代表会议" and meeting.history.count() == 2
    # The service's rule (no meeting in the future) and the form's (a type that exists).
    for bad in ({"date": "2999-01-01"}, {"type": "no-such-type"}, {"participant_count": -1}):
        answer = _json(client, "patch", path, bad, headers)
        assert answer.status_code == 422, (bad, answer.content)
    meeting.refresh_from_db()
    assert meeting.topic == "村民代表会议"


def test_a_meeting_outside_the_area_or_by_a_reader_is_refused(world, client):
    from tests.fieldwork import factories

    outside = factories.meeting(world.outside_village)
    inside = factories.meeting(world.village)
    headers = _headers(world)
    answer = _json(client, "patch", f"{API}/meetings/{outside.pk}/", {"topic": "改"}, headers)
    assert answer.status_code == 404
    reader = _headers(world, Role.INSPECTOR)
    answer = _json(client, "patch", f"{API}/meetings/{inside.pk}/", {"topic": "改"}, reader)
    assert answer.status_code == 403
    inside.refresh_from_db()
    assert inside.topic == "学习扶贫政策"


def test_a_case_resolved_and_reopened(world, client):
    from django.utils import timezone

    from tests.fieldwork import factories

    case = factories.mediation_case(world.village)
    headers = _headers(world)
    path = f"{API}/mediation-cases/{case.pk}/"
    answer = _json(client, "patch", path, {"status": "resolved", "outcome": "双方和解"}, headers)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["status"], body["outcome"]) == ("resolved", "双方和解")
    assert body["closed_on"] == timezone.localdate().isoformat()  # closed today, as the page
    assert body["parties"] == "甲户与乙户" and body["summary"] == "宅基地边界"
    answer = _json(client, "patch", path, {"status": "open"}, headers)
    assert answer.status_code == 200 and answer.json()["closed_on"] is None
    for bad in ({"status": "resolved", "closed_on": "2018-01-01"}, {"status": "lost"}):
        answer = _json(client, "patch", path, bad, headers)
        assert answer.status_code == 422, (bad, answer.content)
    case.refresh_from_db()
    assert case.status == "open" and case.closed_on is None


def test_a_case_outside_the_area_or_by_a_reader_is_refused(world, client):
    from tests.fieldwork import factories

    outside = factories.mediation_case(world.outside_village)
    inside = factories.mediation_case(world.village)
    change = {"status": "resolved"}
    answer = _json(client, "patch", f"{API}/mediation-cases/{outside.pk}/", change, _headers(world))
    assert answer.status_code == 404
    reader = _headers(world, Role.INSPECTOR)
    answer = _json(client, "patch", f"{API}/mediation-cases/{inside.pk}/", change, reader)
    assert answer.status_code == 403
    inside.refresh_from_db()
    assert inside.status == "open"


def test_festival_entries_are_listed_in_the_area_without_id_numbers(world, client):
    from tests.fieldwork import factories
    from tests.registry.factories import make_household

    mine = factories.festival_entry(make_household(world.village), category="dibao")
    factories.festival_entry(make_household(world.village), category="veteran")
    factories.festival_entry(make_household(world.village), year=2020)
    factories.festival_entry(make_household(world.outside_village))
    headers = _headers(world)
    answer = client.get(f"{API}/festival-entries/", {"year": 2019}, headers=headers)
    assert answer.status_code == 200
    assert len(answer.json()["items"]) == 2  # not 2020's, nor the other county's
    answer = client.get(
        f"{API}/festival-entries/",
        {"year": 2019, "village": world.village.code, "category": "dibao", "limit": 1},
        headers=headers,
    )
    (item,) = answer.json()["items"]
    assert item["id"] == mine.pk and item["household_no"] == mine.household.household_no
    assert "id_number" not in answer.content.decode()
    for bad in ({"year": 1900}, {"village": "45"}, {"category": "a\x00b"}, {"cursor": "x"}):
        answer = client.get(f"{API}/festival-entries/", bad, headers=headers)
        assert answer.status_code in (400, 422), (bad, answer.content)
    answer = client.get(f"{API}/festival-entries/", headers=_headers(world, Role.BUREAU))
    assert answer.status_code == 403


def test_a_gift_recorded_through_the_gift_forms_rules(world, client):
    from django.utils import timezone

    from tests.fieldwork import factories
    from tests.registry.factories import make_household

    entry = factories.festival_entry(make_household(world.village))
    giver = factories.cadre(world.village)
    stranger = factories.cadre(world.outside_village, name="外县干部")
    headers = _headers(world)
    path = f"{API}/festival-entries/{entry.pk}/visit/"
    for bad in (
        {"gift_kind": "money"},  # money without its value
        {"gift_kind": "", "value": "100"},  # a value of nothing given
        {"gift_kind": "goods", "value": "80", "given_by": stranger.pk},  # not of the village
        {"gift_kind": "goods", "value": "-1"},
        {"gift_kind": "cash", "value": "10"},
    ):
        answer = _json(client, "post", path, bad, headers)
        assert answer.status_code == 422, (bad, answer.content)
    entry.refresh_from_db()
    assert entry.gift_kind == "" and entry.value is None
    gift = {"gift_kind": "goods", "gift": "大米一袋", "value": "80.00", "given_by": giver.pk}
    answer = _json(client, "post", path, {**gift, "signed": True}, headers)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["gift_kind"], body["gift"], body["given_by"], body["signed"]) == (
        "goods",
        "大米一袋",
        giver.pk,
        True,
    )
    assert body["given_on"] == timezone.localdate().isoformat()
    entry.refresh_from_db()
    assert str(entry.value) == "80.00" and entry.recorded_by == world.user(Role.VILLAGE_CLERK)


def test_a_gift_outside_the_area_or_by_a_reader_is_refused(world, client):
    from tests.fieldwork import factories
    from tests.registry.factories import make_household

    outside = factories.festival_entry(make_household(world.outside_village))
    inside = factories.festival_entry(make_household(world.village))
    gift = {"gift_kind": "money", "value": "500"}
    answer = _json(
        client, "post", f"{API}/festival-entries/{outside.pk}/visit/", gift, _headers(world)
    )
    assert answer.status_code == 404
    reader = _headers(world, Role.INSPECTOR)
    answer = _json(client, "post", f"{API}/festival-entries/{inside.pk}/visit/", gift, reader)
    assert answer.status_code == 403
    inside.refresh_from_db()
    assert inside.gift_kind == ""
