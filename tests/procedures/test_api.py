"""The procedures' API: the rules' refusals as 409 with a machine code in the request's
language, 403 for a role that does not act at the step, 404 outside the area."""

import base64
import datetime

import pytest

from fupin.api.services import api_token_create
from fupin.core.roles import Role
from fupin.procedures.models import Procedure
from tests.procedures.factories import VOTES, household, record, start

URL = "/api/v1/procedures/"
D = datetime.date


def caller(client, user, language="zh-hans"):
    _token, secret = api_token_create(user=user)
    headers = {"Authorization": f"Bearer {secret}", "Accept-Language": language}

    def call(method, path, data=None):
        if method == "get":
            return client.get(path, data or {}, headers=headers)
        return client.post(path, data or {}, content_type="application/json", headers=headers)

    return call


@pytest.fixture
def clerk(world):
    return world.user(Role.VILLAGE_CLERK)


def test_start_and_record_steps(world, client, clerk):
    call = caller(client, clerk)
    target = household(world.village)
    made = call("post", URL, {"household": target.pk, "kind": "identification", "year": 2019})
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["next_step"] == "application"
    step = call("post", f"{URL}{pk}/steps/", {"step": "application", "date": "2019-03-01"})
    assert step.status_code == 201, step.content
    voted = call(
        "post",
        f"{URL}{pk}/steps/",
        {
            "step": "group_appraisal",
            "date": "2019-03-02",
            "votes_for": 20,
            "votes_against": 2,
            "votes_abstain": 1,
            "attendance": 23,
            "eligible": 30,
        },
    )
    assert voted.status_code == 201 and voted.json()["votes_for"] == 20
    detail = call("get", f"{URL}{pk}/").json()
    assert [s["step"] for s in detail["steps"]] == ["application", "group_appraisal"]
    assert detail["next_step"] == "exclusion_check"
    again = call("post", URL, {"household": target.pk, "kind": "identification", "year": 2019})
    assert again.status_code == 409 and again.json()["code"] == "already_open"


def test_refusals_are_409_with_the_code_in_the_request_language(world, client, clerk):
    procedure = start(household(world.village), clerk)
    zh = caller(client, clerk)("post", f"{URL}{procedure.pk}/steps/", {"step": "group_appraisal"})
    en = caller(client, clerk, "en")(
        "post", f"{URL}{procedure.pk}/steps/", {"step": "group_appraisal"}
    )
    assert zh.status_code == en.status_code == 409
    assert zh.json()["code"] == en.json()["code"] == "step_out_of_order"
    assert "Application or proposal" in en.json()["message"]
    assert "农户申请" in zh.json()["message"]


def test_notice_period_and_objection_over_the_api(world, client, clerk):
    team = world.user(Role.RESIDENT_TEAM)
    township = world.user(Role.TOWNSHIP_REVIEWER)
    procedure = start(household(world.village), clerk)
    for code, day, extra in [
        ("application", D(2019, 3, 1), {}),
        ("group_appraisal", D(2019, 3, 2), {"votes": VOTES}),
        ("exclusion_check", D(2019, 3, 3), {}),
        ("representatives_appraisal", D(2019, 3, 4), {"votes": VOTES}),
        ("village_verification", D(2019, 3, 5), {}),
    ]:
        record(procedure, code, team, on=day, **extra)
    today = datetime.date.today()
    record(procedure, "first_notice", clerk, on=today, today=today)
    review = caller(client, township, "en")
    url = f"{URL}{procedure.pk}/steps/"
    running = review("post", url, {"step": "township_review"})
    assert running.status_code == 409 and running.json()["code"] == "notice_period_running"
    raised = caller(client, clerk)("post", f"{URL}{procedure.pk}/objections/", {"content": "有车"})
    assert raised.status_code == 201 and raised.json()["anonymous"] is True
    # The notice still runs and the objection holds: both reasons, the first as the code.
    both = review("post", url, {"step": "township_review"})
    assert both.json()["code"] == "notice_period_running"
    assert len(both.json()["fields"]["__all__"]) == 2
    resolve = review(
        "post",
        f"{URL}objections/{raised.json()['id']}/resolve/",
        {"handling": "核实为农用车", "resolution": "dismissed"},
    )
    assert resolve.status_code == 200 and resolve.json()["resolved_at"]


def test_wrong_role_is_403_and_out_of_area_404(world, client, clerk):
    procedure = start(household(world.village), clerk)
    township = caller(client, world.user(Role.TOWNSHIP_REVIEWER))
    wrong = township("post", f"{URL}{procedure.pk}/steps/", {"step": "application"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_role"
    outsider = caller(client, world.outsider)
    assert (
        outsider("post", f"{URL}{procedure.pk}/steps/", {"step": "application"}).status_code == 404
    )
    assert outsider("get", f"{URL}{procedure.pk}/").status_code == 404
    inspector = caller(client, world.user(Role.INSPECTOR))
    denied = inspector("post", f"{URL}{procedure.pk}/steps/", {"step": "application"})
    assert denied.status_code == 403 and denied.json()["code"] == "forbidden"


def test_the_signed_agreement_as_a_document(world, client, clerk):
    from tests.procedures.test_services import EXIT, SAFE, assess

    target = household(world.village, status="registered", income=6000, **SAFE)
    target.members.update(serious_illness_insurance=True)
    assess(world.village)
    procedure = start(target, clerk, kind="exit")
    team = world.user(Role.RESIDENT_TEAM)
    for code, _who, day, extra in EXIT[:2]:
        record(procedure, code, team, on=day, **extra)
    call = caller(client, clerk)
    url = f"{URL}{procedure.pk}/steps/"
    missing = call("post", url, {"step": "agreement", "date": "2019-10-03"})
    assert missing.status_code == 409 and missing.json()["code"] == "document_missing"
    signed = {"name": "同意书.pdf", "content_base64": base64.b64encode(b"%PDF-1.4").decode()}
    done = call("post", url, {"step": "agreement", "date": "2019-10-03", "documents": [signed]})
    assert done.status_code == 201 and done.json()["attachments"] == ["同意书.pdf"]


def test_list_filters(world, client, clerk):
    first = start(household(world.village), clerk)
    record(first, "application", clerk)
    start(household(world.village), clerk)
    start(household(world.village, status="registered"), clerk, kind="exit")
    start(household(world.outside_village), world.outsider)
    call = caller(client, world.user(Role.COUNTY_APPROVER))

    def ids(**filters):
        return {p["id"] for p in call("get", URL, filters).json()["items"]}

    assert len(ids()) == 3
    assert len(ids(kind="identification")) == 2
    assert ids(step="application") == {first.pk}
    assert len(ids(area=world.village.code, year=2019)) == 3
    assert ids(year=2020) == set()
    assert call("get", URL, {"area": world.outside_village.code}).status_code == 404
    assert call("get", URL, {"area": world.village.code + "x"}).status_code == 422  # no code
    admin = caller(client, world.user(Role.ADMIN))
    assert admin("get", URL, {"area": "not-a-code"}).status_code == 422
    assert admin("get", URL, {"area": "000000000000"}).status_code == 404
    page = call("get", URL, {"limit": 2}).json()
    rest = call("get", URL, {"limit": 2, "cursor": page["next_cursor"]}).json()
    assert len(page["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert call("get", URL, {"cursor": "YWJj"}).json()["code"] == "bad_cursor"
    assert Procedure.objects.count() == 4
