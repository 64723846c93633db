"""The assessment pages: figures, reasons in the reader's language, changes between runs,
standards, the village checklist, inspection samples and the home page's items."""

from datetime import date

import pytest
from django.urls import reverse

from fupin.assessment.models import AreaResult, ChecklistItem, InspectionSample, PovertyLine
from fupin.assessment.selectors import latest_outcome_for
from fupin.assessment.services import assessment_run
from fupin.core.roles import Role
from fupin.registry import choices as c
from tests.assessment import factories as f

COUNTY = "450101000000"
VILLAGE = "450101001001"


@pytest.fixture
def assessed(world):
    poor = f.household(world.village, housing_grade="C")
    f.member(poor, name="王某", birth_date=date(2007, 3, 1), schooling="out_of_school")
    f.member(poor, medical_insurance=False)
    f.income(poor, 2019, 2500, members=2)
    ready = f.household(world.village)
    f.member(ready)
    f.income(ready, 2019, 5000)
    missed = f.household(world.village, status=c.Status.NOT_REGISTERED)
    f.member(missed)
    f.income(missed, 2019, 1000)
    run = assessment_run(area=world.areas[COUNTY], year=2019)
    return {"poor": poor, "ready": ready, "missed": missed, "run": run}


def page(client, name, **kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


def test_the_township_reviewer_sees_outcomes_reasons_and_village_exit(world, client, assessed):
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    html = page(client, "assessment-area", code=VILLAGE)
    assert "村退出" in html or "Village exit" in html
    assert "暂不能退出" in html  # incidence 3/4 and no checklist recorded
    figures = AreaResult.objects.get(run=assessed["run"], area_id=VILLAGE).figures
    assert f"{figures['fgt']['p0']:.4f}" in html
    # MPI indicators read in words, not as their codes.
    assert "受教育年限" in html and "years_of_schooling" not in html
    # ... and so do their dimensions, in the reader's language only.
    assert "<td>生活水平</td>" in html and "living standards" not in html
    listing = page(client, "assessment-households", code=VILLAGE)
    assert "王某，12岁，失学" in listing
    assert "1名成员未参加基本医疗保险" in listing
    assert "住房等级C" in listing
    only_candidates = client.get(
        reverse("assessment-households", kwargs={"code": VILLAGE}), {"outcome": "candidate"}
    ).content.decode()
    assert assessed["missed"].household_no in only_candidates
    assert assessed["poor"].household_no not in only_candidates


def test_reasons_read_in_english_when_english_is_chosen(world, client, assessed):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = page(client, "assessment-household", pk=assessed["poor"].pk)
    assert "王某, 12, out of school" in html
    assert "1 member without basic medical insurance" in html
    assert "house grade C" in html
    assert "per-capita income 2,500.00 yuan is below the line of 3,218.00 yuan" in html
    area = page(client, "assessment-area", code=VILLAGE)
    assert "<td>Years of schooling</td><td>Education</td>" in area and "生活水平" not in area


def test_the_household_fragment_shows_the_latest_outcome(world, assessed):
    from django.template.loader import render_to_string
    from django.utils import translation

    outcome = latest_outcome_for(assessed["poor"])
    assert outcome.run == assessed["run"]
    with translation.override("zh-hans"):
        html = render_to_string("assessment/_household_outcome.html", {"outcome": outcome})
    assert "王某，12岁，失学" in html
    assert "未达到退出标准" in html


def test_changes_since_the_previous_run_say_which_households_and_why(world, client, assessed):
    poor = assessed["poor"]
    poor.housing_renovation = c.HousingRenovation.RENOVATED
    poor.save()
    f.household(world.village, status=c.Status.NOT_REGISTERED)
    assessment_run(area=world.areas[COUNTY], year=2019)
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    html = page(client, "assessment-area", code=VILLAGE)
    changes = html.split('id="changes"')[1]
    assert poor.household_no in changes and assessed["ready"].household_no not in changes
    assert "住房等级C" in changes  # why it was so before
    assert "上次评估以来的变化" in changes


def test_a_bureau_user_sees_figures_but_no_households(world, client, assessed):
    client.force_login(world.user(Role.BUREAU))
    html = page(client, "assessment-area", code=COUNTY)
    assert "贫困发生率" in html
    assert assessed["poor"].household_no not in html
    assert reverse("assessment-households", kwargs={"code": COUNTY}) not in html


def _lines_posted(**new):
    """The poverty lines' formset as the page posts it, with one new row of `new`."""
    lines = list(PovertyLine.objects.order_by("year", "province"))
    data = {
        "form-TOTAL_FORMS": len(lines) + 1,
        "form-INITIAL_FORMS": len(lines),
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
    }
    for i, line in enumerate(lines):
        data |= {
            f"form-{i}-id": line.pk,
            f"form-{i}-year": line.year,
            f"form-{i}-province": line.province,
            f"form-{i}-amount": line.amount,
            f"form-{i}-note": line.note,
        }
    n = len(lines)
    return data | {f"form-{n}-{key}": value for key, value in new.items()}


def _all_areas_admin(world):
    admin = world.user(Role.ADMIN)
    admin.area = None
    admin.save()
    return admin


def test_standards_edited_by_the_all_areas_administrator_apply_to_the_next_run(world, client):
    client.force_login(_all_areas_admin(world))
    url = reverse("assessment-standards-lines")
    html = page(client, "assessment-standards-lines")
    assert "3218" in html
    data = _lines_posted(year=2019, province="45", amount="3500")
    assert client.post(url, data).status_code == 302
    run = assessment_run(area=world.areas[COUNTY], year=2019)
    assert run.standards["provinces"]["45"]["poverty_line"] == {
        "year": 2019,
        "amount": "3500.00",
        "source": "province",
    }
    assert PovertyLine.history.filter(province="45").count() == 1


@pytest.mark.parametrize("role", [Role.COUNTY_APPROVER, Role.ADMIN])  # ADMIN: of county A
def test_a_county_changes_no_standard(world, client, role):
    # Standards apply to a province or the country, beyond any county's area.
    client.force_login(world.user(role))
    national = PovertyLine.objects.get(year=2019, province="")
    data = _lines_posted(year=2019, province="11", amount="9999")
    for key, value in list(data.items()):
        if key.endswith("-id") and value == national.pk:
            data[key.replace("-id", "-amount")] = "1"
    response = client.post(reverse("assessment-standards-lines"), data)
    assert response.status_code == 403
    assert not PovertyLine.objects.filter(province="11").exists()
    assert PovertyLine.objects.get(pk=national.pk).amount == national.amount
    standards = page(client, "assessment-standards")
    assert reverse("assessment-standards-lines") not in standards  # no Edit link offered


def test_index_weights_must_add_up_to_one(world, client):
    from fupin.assessment.models import MPIIndicator

    client.force_login(_all_areas_admin(world))
    rows = list(MPIIndicator.objects.order_by("index", "order", "code"))
    data = {
        "form-TOTAL_FORMS": len(rows),
        "form-INITIAL_FORMS": len(rows),
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        data |= {
            f"form-{i}-id": row.pk,
            f"form-{i}-index": row.index_id,
            f"form-{i}-code": row.code,
            f"form-{i}-dimension": row.dimension,
            f"form-{i}-weight": "1/2" if i == 0 else row.weight,
            f"form-{i}-order": row.order,
        }
    response = client.post(reverse("assessment-standards-indicators"), data)
    assert response.status_code == 200
    assert "7/6" in response.content.decode()


def test_a_village_exits_once_its_checklist_is_recorded(world, client):
    ready = f.household(world.village)
    f.member(ready)
    f.income(ready, 2019, 5000)
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    url = reverse("assessment-checklist", kwargs={"code": VILLAGE, "year": 2019})
    assert "有特色产业" in client.get(url).content.decode()
    items = ChecklistItem.objects.filter(province="45")
    assert client.post(url, {f"met-{item.pk}": "on" for item in items}).status_code == 302
    run = assessment_run(area=world.areas[COUNTY], year=2019)
    assert AreaResult.objects.get(run=run, area_id=VILLAGE).figures["exit"]["eligible"]
    other = AreaResult.objects.get(run=run, area_id="450101001002").figures["exit"]
    assert not other["eligible"]


def test_inspection_samples_are_imported_and_give_the_rates(world, client):
    client.force_login(world.user(Role.COUNTY_APPROVER))
    csv = (
        "village_code,year,exited_persons,wrongly_exited_persons,nonregistered_persons,"
        "omitted_persons,surveyed_households,approving_households\n"
        f"{VILLAGE},2019,100,1,500,5,40,38\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("samples.csv", csv.encode("utf-8-sig"), "text/csv")
    response = client.post(reverse("assessment-inspection"), {"file": upload, "source": "第三方"})
    assert response.status_code == 302
    assert InspectionSample.objects.get().approving_households == 38
    run = assessment_run(area=world.areas[COUNTY], year=2019)
    rates = run.summary and AreaResult.objects.get(run=run, area_id=COUNTY).figures["rates"]
    assert rates == {"wrongful_exit_rate": 0.01, "omission_rate": 0.01, "recognition": 0.95}
    outside = csv.replace(VILLAGE, world.outside_village.code)
    upload = SimpleUploadedFile("samples.csv", outside.encode(), "text/csv")
    html = client.post(reverse("assessment-inspection"), {"file": upload}, follow=True)
    assert "不在您的区域内" in html.content.decode()


def test_the_home_page_lists_households_to_look_at(world, client, assessed):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    html = client.get(reverse("home")).content.decode()
    assert "疑似漏评的非贫困户" in html
    assert f"{reverse('assessment-households', kwargs={'code': VILLAGE})}?outcome=candidate" in html


def test_a_household_event_is_recorded_and_raises_a_flag(world, client):
    exited = f.household(world.village, status=c.Status.EXITED)
    f.member(exited)
    f.income(exited, 2019, 9000)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    url = reverse("assessment-household-event", kwargs={"pk": exited.pk})
    data = {"kind": "medical", "year": 2019, "amount": "25000", "note": "住院"}
    assert client.post(url, data).status_code == 302
    run = assessment_run(area=world.areas[COUNTY], year=2019)
    outcome = run.outcomes.get(household=exited)
    assert outcome.outcome == "flagged"
    assert outcome.reasons == [["large_medical_expense", {"amount": 2500000}]]


def test_a_village_without_households_reads_after_an_area_wide_run(world, client, assessed):
    # Village A2 has no households: its figures hold no FGT, Gini or MPI measures.
    assessment_run(area=None, year=2019)
    client.force_login(world.user(Role.COUNTY_APPROVER))
    html = page(client, "assessment-area", code="450101001002")
    assert 'id="mpi-guarantees"' in html
    assert "—" in html.split('id="mpi-guarantees"')[1]
