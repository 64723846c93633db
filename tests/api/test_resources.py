"""The API's members, incomes, assessment results and work plan: what the pages show and
allow, with the pages' validation and history."""

import datetime
from decimal import Decimal

import pytest

from fupin import idnumbers
from fupin.api.services import api_token_create
from fupin.assessment.services import assessment_run
from fupin.core.roles import Role
from fupin.registry.models import Member, YearlyIncome
from fupin.workplan.models import Expenditure, FundingSource, ProgressUpdate, Project
from tests.registry.factories import make_household
from tests.workplan import factories as plans

API = "/api/v1"


@pytest.fixture
def as_user(world, client):
    """A client calling the API with a token of `role`'s user, in English."""

    def call(role):
        user = world.user(role)
        _token, secret = api_token_create(user=user)
        headers = {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}

        class Caller:
            def get(self, path, params=None):
                return client.get(f"{API}{path}", params or {}, headers=headers)

            def send(self, method, path, body):
                return getattr(client, method)(
                    f"{API}{path}", body, content_type="application/json", headers=headers
                )

        caller = Caller()
        caller.user = user
        return caller

    return call


def walk(caller, path, params=None):
    """Every item of a keyset list, page after page."""
    seen, params = [], dict(params or {}, limit=2)
    while True:
        body = caller.get(path, params).json()
        seen += body["items"]
        if not body["next_cursor"]:
            return seen
        params["cursor"] = body["next_cursor"]


# --- members and incomes ---------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_member_id_numbers_are_masked_for_every_role(role, world, as_user):
    made = make_household(world.village, income=3000)
    numbers = [m.id_number for m in made.members.all()]
    caller = as_user(role)
    listing = caller.get("/registry/members/", {"household": made.pk})
    one = caller.get(f"/registry/members/{made.members.first().pk}/")
    if listing.status_code == 403:
        assert one.status_code == 403
        return
    for response in (listing, one):
        assert response.status_code == 200
        assert not any(number in response.content.decode() for number in numbers)
    masked = [m["id_number_masked"] for m in listing.json()["items"]]
    assert masked == [idnumbers.mask(n) for n in numbers]


def test_members_and_incomes_page_through_the_users_area_only(world, as_user):
    inside = [make_household(world.village, income=3000) for _ in range(3)]
    make_household(world.outside_village, income=3000)
    caller = as_user(Role.TOWNSHIP_REVIEWER)
    members = walk(caller, "/registry/members/")
    assert sorted(m["id"] for m in members) == sorted(
        Member.objects.filter(household__in=inside).values_list("pk", flat=True)
    )
    incomes = walk(caller, "/registry/incomes/", {"year": 2019})
    assert sorted(i["household"] for i in incomes) == sorted(h.pk for h in inside)
    assert incomes[0]["per_capita_net_income"] == "3000.00"
    assert caller.get("/registry/members/", {"cursor": "eA"}).json()["code"] == "bad_cursor"


def test_a_member_added_and_changed_through_the_api_is_in_the_history(world, as_user):
    made = make_household(world.village, members=2)
    caller = as_user(Role.VILLAGE_CLERK)
    number = idnumbers.make("450122", datetime.date(2004, 6, 7), 321)
    body = {"relation": "child", "name": "新生", "id_number": number, "reason": "birth"}
    created = caller.send("post", f"/registry/households/{made.pk}/members/", body)
    assert created.status_code == 201, created.content
    assert number not in created.content.decode()
    member = Member.objects.get(pk=created.json()["id"])
    assert (member.sex, member.birth_date) == (idnumbers.sex_of(number), datetime.date(2004, 6, 7))
    latest = member.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (caller.user, "birth")

    changed = caller.send(
        "patch", f"/registry/members/{member.pk}/", {"labour": "skilled", "reason": "trained"}
    )
    assert changed.status_code == 200, changed.content
    member.refresh_from_db()
    assert member.id_number == number and member.labour == "skilled"  # the number kept
    assert member.history.latest().history_user == caller.user


def test_a_member_the_page_would_refuse_is_refused_with_its_fields(world, as_user):
    made = make_household(world.village)
    other = make_household(world.village).members.first()
    caller = as_user(Role.VILLAGE_CLERK)
    second_head = caller.send(
        "post",
        f"/registry/households/{made.pk}/members/",
        {"relation": "head", "name": "二号", "id_number": other.id_number},
    )
    assert second_head.status_code == 422
    assert second_head.json()["code"] == "invalid"
    assert "id_number" in second_head.json()["fields"]  # registered in another household
    head = made.members.get(relation="head")
    away = caller.send("patch", f"/registry/members/{head.pk}/", {"relation": "spouse"})
    assert away.status_code == 422 and "relation" in away.json()["fields"]
    assert made.members.count() == 3


def test_an_income_is_recorded_as_the_page_records_it(world, as_user):
    made = make_household(world.village, members=4)
    caller = as_user(Role.VILLAGE_CLERK)
    response = caller.send(
        "post", f"/registry/households/{made.pk}/incomes/", {"year": 2020, "wage": "20000"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["members"] == 4  # those present, as the page's default
    assert response.json()["per_capita_net_income"] == "5000.00"
    income = YearlyIncome.objects.get(pk=response.json()["id"])
    assert income.history.latest().history_user == caller.user
    again = caller.send(
        "post", f"/registry/households/{made.pk}/incomes/", {"year": 2020, "wage": "1"}
    )
    assert again.status_code == 422  # one row per household and year
    negative = caller.send("patch", f"/registry/incomes/{income.pk}/", {"wage": "-5"})
    assert negative.status_code == 422 and "wage" in negative.json()["fields"]
    income.refresh_from_db()
    assert income.wage == Decimal(20000)


# --- assessment ------------------------------------------------------------------------------


def test_results_page_through_a_run_and_filter_by_outcome(world, as_user):
    for income in (1000, 2000, 9000, 12000, 15000):
        make_household(world.village, status="registered", income=income)
    run = assessment_run(area=world.areas["450101000000"], year=2019)
    caller = as_user(Role.VILLAGE_CLERK)
    assert caller.get("/assessment/runs/").json()["items"] == []  # a county's run: not theirs
    rows = walk(caller, "/assessment/results/", {"run": run.pk})
    assert len(rows) == 5 and len({r["household"] for r in rows}) == 5
    outcomes = {r["outcome"] for r in rows}
    one = sorted(outcomes)[0]
    only = walk(caller, "/assessment/results/", {"run": run.pk, "outcome": one})
    assert only and {r["outcome"] for r in only} == {one}
    assert all(isinstance(r["reasons_text"], list) for r in rows)

    village = caller.get("/assessment/area-results/", {"area": world.village.code}).json()
    figures = village["items"][0]["figures"]
    assert village["items"][0]["run"] == run.pk and figures["households"] == 5
    assert "incidence" in figures
    county = as_user(Role.COUNTY_APPROVER)
    assert county.get(f"/assessment/runs/{run.pk}/").json()["households"] == 5
    assert caller.get(f"/assessment/runs/{run.pk}/").status_code == 404


# --- work plan -------------------------------------------------------------------------------


def test_progress_and_spending_through_the_api_are_the_pages(world, as_user):
    project = plans.project(world.village)
    caller = as_user(Role.VILLAGE_CLERK)
    url = f"/workplan/projects/{project.pk}"
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    refused = caller.send("post", f"{url}/progress/", {"date": future, "percent": 10})
    assert refused.status_code == 422 and "date" in refused.json()["fields"]
    reported = caller.send(
        "post", f"{url}/progress/", {"date": "2019-05-01", "percent": 40, "note": "动工"}
    )
    assert reported.status_code == 201, reported.content
    assert reported.json()["reported_by"] == caller.user.username
    project.refresh_from_db()
    assert (project.status, project.progress_percent) == ("started", 40)
    assert project.history.latest().history_user == caller.user

    wrong_source = caller.send(
        "post", f"{url}/expenditures/", {"amount": "100", "source": "poverty_fund"}
    )
    assert wrong_source.status_code == 422  # the project has no such funding source
    spent = caller.send(
        "post",
        f"{url}/expenditures/",
        {"date": "2019-05-02", "amount": "2500.50", "source": "department_budget"},
    )
    assert spent.status_code == 201, spent.content
    row = Expenditure.objects.get(pk=spent.json()["id"])
    assert (row.recorded_by, row.history.latest().history_user) == (caller.user, caller.user)
    detail = caller.get(f"{url}/").json()
    assert detail["spent"] == "2500.50" and detail["budget"] == "300000.00"
    assert [p["percent"] for p in detail["progress"]] == [40]

    caller.send("post", f"{url}/progress/", {"date": "2019-06-01", "percent": 100})
    closed = caller.send("post", f"{url}/progress/", {"date": "2019-06-02", "percent": 100})
    assert closed.status_code == 422  # completed: no more progress, as the page says
    assert ProgressUpdate.objects.filter(project=project).count() == 2


def test_a_project_is_saved_with_its_funding_or_not_at_all(world, as_user):
    the_plan = plans.plan(world.village)
    department = plans.department(world.village.code)
    caller = as_user(Role.RESIDENT_TEAM)
    body = {
        "name": "产业路",
        "category": "road",
        "lead_department": department.pk,
        "funding": [
            {"kind": "poverty_fund", "planned_amount": "80000"},
            {"kind": "in_kind"},  # in kind needs what is given: the row is refused
        ],
    }
    refused = caller.send("post", f"/workplan/plans/{the_plan.pk}/projects/", body)
    assert refused.status_code == 422
    assert "funding.1.in_kind" in refused.json()["fields"]
    assert not Project.objects.filter(name="产业路").exists()

    body["funding"][1]["in_kind"] = "水泥50吨"
    made = caller.send("post", f"/workplan/plans/{the_plan.pk}/projects/", body)
    assert made.status_code == 201, made.content
    assert [f["kind"] for f in made.json()["funding"]] == ["poverty_fund", "in_kind"]
    assert made.json()["budget"] == "80000.00"
    source = FundingSource.objects.get(project=made.json()["id"], kind="poverty_fund")
    changed = caller.send(
        "patch",
        f"/workplan/projects/{made.json()['id']}/",
        {"funding": [{"id": source.pk, "kind": "poverty_fund", "planned_amount": "90000"}]},
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["budget"] == "90000.00" and len(changed.json()["funding"]) == 2


def test_a_plan_and_its_objectives(world, as_user):
    caller = as_user(Role.RESIDENT_TEAM)
    made = caller.send(
        "post",
        "/workplan/plans/",
        {"area": world.village.code, "year": 2022, "title": "甲一村2022年度计划"},
    )
    assert made.status_code == 201, made.content
    plan_id = made.json()["id"]
    twice = caller.send(
        "post", "/workplan/plans/", {"area": world.village.code, "year": 2022, "title": "again"}
    )
    assert twice.status_code == 422
    outside = caller.send(
        "post",
        "/workplan/plans/",
        {"area": world.outside_village.code, "year": 2022, "title": "not theirs"},
    )
    assert outside.status_code == 422 and "area" in outside.json()["fields"]
    objective = caller.send(
        "post",
        f"/workplan/plans/{plan_id}/objectives/",
        {"description": "脱贫", "indicator": "贫困发生率", "target": "0%"},
    )
    assert objective.status_code == 201 and objective.json()["number"] == 1
    judged = caller.send("patch", f"/workplan/objectives/{objective.json()['id']}/", {"met": False})
    assert judged.json()["met"] is False and judged.json()["target"] == "0%"
    assert [o["id"] for o in caller.get(f"/workplan/plans/{plan_id}/").json()["objectives"]] == [
        objective.json()["id"]
    ]


def test_bureau_staff_see_only_their_departments_projects(world, as_user):
    caller = as_user(Role.BUREAU)
    theirs = plans.project(world.village, members=[caller.user])
    plans.project(world.village, name="别的", lead=plans.department(world.village.code, "交通局"))
    listed = walk(caller, "/workplan/projects/")
    assert [p["id"] for p in listed] == [theirs.pk]


def test_a_project_list_of_an_area_not_the_users_is_404(world, as_user):
    plans.project(world.village)
    caller = as_user(Role.VILLAGE_CLERK)
    assert len(caller.get("/workplan/projects/", {"area": world.village.code}).json()["items"]) == 1
    response = caller.get("/workplan/projects/", {"area": world.outside_village.code})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    # what is no area code at all is a bad request, refused before any query
    response = caller.get("/workplan/projects/", {"area": "not-a-code"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"
