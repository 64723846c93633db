"""The Spring Festival list against a hand-built registry: each category in, its near misses
out, the old party members' age at its edge; regenerating keeps what was recorded; the page,
the gift form, the sheets and the scoping."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document as open_docx
from openpyxl import load_workbook

from fupin import idnumbers
from fupin.core.models import Job
from fupin.core.roles import Role
from fupin.fieldwork import festival, festival_documents
from fupin.fieldwork.models import FestivalList, FestivalVisit
from fupin.registry.models import Member
from tests.fieldwork import factories
from tests.registry.factories import make_household

YEAR = 2019


def person(household, name, born, **flags):
    number = idnumbers.make("450122", born, Member.objects.count() % 900 + 50)
    return Member.objects.create(
        household=household,
        relation="child",
        name=name,
        id_number=number,
        sex=idnumbers.sex_of(number),
        birth_date=born,
        **flags,
    )


def head_of(household):
    return household.members.get(relation="head")


@pytest.fixture
def registry(world):
    """One village's registry with every category and a near miss beside each."""
    v = world.village
    h = {
        "special": make_household(v, status="registered", special_support=True, members=1),
        # five-guarantee and dibao: listed once, under the first category
        "five": make_household(v, status="exited", five_guarantee=True, dibao=True, members=1),
        "dibao": make_household(v, status="not_registered", dibao=True, members=2),
        "cancelled_dibao": make_household(
            v, status="cancelled", cancel_reason="moved_out", dibao=True, members=1
        ),
        "plain": make_household(v, status="registered", members=2),
        "not_poor": make_household(v, status="not_registered", members=1),
        "elsewhere": make_household(world.outside_village, status="registered", dibao=True),
    }
    p = {
        # reaches 70 on the year's last day: in; one day younger: out
        "party_70": person(h["plain"], "党员七十", datetime.date(1949, 12, 31), party_member=True),
        "party_69": person(h["plain"], "党员六九", datetime.date(1950, 1, 1), party_member=True),
        "old_not_party": person(h["plain"], "老人", datetime.date(1930, 5, 1)),
        "veteran": person(h["not_poor"], "退伍兵", datetime.date(1960, 3, 3), veteran=True),
        "student": person(h["plain"], "大学生", datetime.date(2000, 9, 1), college_student=True),
        "in_college": person(h["plain"], "在校生", datetime.date(2001, 9, 1), schooling="college"),
        # a college student of a household that is not poor: out
        "rich_student": person(
            h["not_poor"], "非贫大学生", datetime.date(2000, 2, 2), college_student=True
        ),
        "gone_veteran": person(
            h["plain"],
            "已故老兵",
            datetime.date(1940, 1, 1),
            veteran=True,
            status="deceased",
            departed_on=datetime.date(2018, 6, 1),
        ),
    }
    c = {
        "committee": factories.cadre(v, "村支书", two_committees=True),
        "not_committee": factories.cadre(v, "工作队员"),
        "retired": factories.cadre(v, "原村主任", two_committees=True, active=False),
        "township": factories.cadre(world.areas["450101001000"], "镇干部", two_committees=True),
    }
    return h, p, c


def listed(area_code=None, year=YEAR):
    rows = FestivalVisit.objects.filter(festival_list__year=year)
    if area_code:
        rows = rows.in_area(area_code)
    return {
        (row.category, row.household_id, row.member_id, row.cadre_id) for row in rows.order_by("id")
    }


def test_each_category_in_and_the_near_misses_out(world, registry):
    h, p, c = registry
    made = festival.festival_list_generate(
        area=world.village, year=YEAR, party_member_age=70, user=None
    )
    assert made.lists == 1
    assert listed(world.village.code) == {
        ("special_support", h["special"].pk, None, None),
        ("five_guarantee", h["five"].pk, None, None),
        ("dibao", h["dibao"].pk, None, None),
        ("old_party_member", h["plain"].pk, p["party_70"].pk, None),
        ("veteran", h["not_poor"].pk, p["veteran"].pk, None),
        ("college_student", h["plain"].pk, p["student"].pk, None),
        ("college_student", h["plain"].pk, p["in_college"].pk, None),
        ("two_committees", None, None, c["committee"].pk),
    }
    entry = FestivalVisit.objects.get(household=h["dibao"])
    assert entry.name == head_of(h["dibao"]).name  # the head signs for the household
    assert not FestivalVisit.objects.in_area(world.outside_village.code).exists()
    assert FestivalVisit.history.filter(history_type="+").count() == 8  # audited


def test_the_age_threshold_is_the_lists_own(world, registry):
    h, p, _c = registry
    festival.festival_list_generate(area=world.village, year=YEAR, party_member_age=69, user=None)
    party = {m for cat, _h, m, _k in listed() if cat == "old_party_member"}
    assert party == {p["party_70"].pk, p["party_69"].pk}
    assert FestivalList.objects.get(village=world.village, year=YEAR).party_member_age == 69
    assert festival.party_member_age_for(world.village.code) == 69
    # The next year, a member born 1950-01-01 reaches 70 too.
    festival.festival_list_generate(area=world.village, year=2020, party_member_age=70, user=None)
    party_2020 = {m for cat, _h, m, _k in listed(year=2020) if cat == "old_party_member"}
    assert party_2020 == {p["party_70"].pk, p["party_69"].pk}


def test_the_threshold_edge_as_a_rule():
    assert festival.born_before_for_age(2019, 70) == datetime.date(1950, 1, 1)


def test_regenerating_keeps_what_was_recorded_and_drops_who_left(world, registry):
    h, p, c = registry
    festival.festival_list_generate(area=world.village, year=YEAR, party_member_age=70, user=None)
    given = FestivalVisit.objects.get(member=p["veteran"])
    festival.festival_visit_record(
        entry=given,
        gift_kind="money",
        gift="慰问金",
        value=Decimal("500"),
        given_by=c["committee"],
        given_on=datetime.date(2019, 1, 28),
        signed=True,
        user=None,
    )
    before = listed()
    again = festival.festival_list_generate(
        area=world.village, year=YEAR, party_member_age=70, user=None
    )
    assert (again.added, again.removed, again.kept) == (0, 0, 1)
    assert listed() == before
    # The veteran is no longer recorded as one, the dibao household stopped being dibao:
    # the veteran's entry holds a gift and stays, the household's goes.
    Member.objects.filter(pk=p["veteran"].pk).update(veteran=False)
    type(h["dibao"]).objects.filter(pk=h["dibao"].pk).update(dibao=False)
    third = festival.festival_list_generate(
        area=world.village, year=YEAR, party_member_age=70, user=None
    )
    assert (third.removed, third.kept) == (1, 1)
    assert FestivalVisit.objects.get(member=p["veteran"]).value == Decimal("500")
    assert not FestivalVisit.objects.filter(household=h["dibao"]).exists()
    assert FestivalVisit.history.filter(history_type="-", household=h["dibao"]).count() == 1


def test_a_township_generates_every_village_below_it(world, registry):
    h, *_ = registry
    other = make_household(world.other_village, status="registered", dibao=True)
    made = festival.festival_list_generate(
        area=world.areas["450101001000"], year=YEAR, party_member_age=70, user=None
    )
    assert made.lists == 2
    assert FestivalVisit.objects.filter(household=other, category="dibao").exists()
    assert FestivalVisit.objects.filter(household=h["dibao"]).get().village == world.village


def test_a_gift_needs_its_kind_and_value_and_a_giver_of_the_village(world, registry):
    _h, p, c = registry
    festival.festival_list_generate(area=world.village, year=YEAR, party_member_age=70, user=None)
    entry = FestivalVisit.objects.get(member=p["student"])
    base = {
        "entry": entry,
        "gift": "",
        "given_on": None,
        "signed": False,
        "user": None,
        "given_by": None,
    }
    with pytest.raises(ValidationError) as caught:
        festival.festival_visit_record(**base, gift_kind="money", value=None)
    assert "value" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        festival.festival_visit_record(**base, gift_kind="", value=Decimal("10"))
    assert "gift_kind" in caught.value.message_dict
    stranger = factories.cadre(world.other_village, "邻村干部")
    with pytest.raises(ValidationError) as caught:
        festival.festival_visit_record(
            **{**base, "given_by": stranger}, gift_kind="goods", value=Decimal("100")
        )
    assert "given_by" in caught.value.message_dict
    township = c["township"]  # serves every village below it
    festival.festival_visit_record(
        **{**base, "given_by": township}, gift_kind="goods", value=Decimal("100")
    )


def test_the_page_generates_records_a_gift_and_totals(world, registry, client):
    _h, p, c = registry
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.post(
        reverse("festival-generate"),
        {"area": world.village.code, "year": YEAR, "party_member_age": 70},
    )
    assert response.status_code == 302
    page = client.get(reverse("festival-list"), {"year": YEAR}).content.decode()
    assert "党员七十" in page and "党员六九" not in page and "村支书" in page
    entry = FestivalVisit.objects.get(member=p["party_70"])
    url = reverse("festival-gift", args=[entry.pk])
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and b"<form" in fragment.content
    saved = client.post(
        url,
        {
            "gift_kind": "money",
            "gift": "慰问金",
            "value": "300",
            "given_by": c["committee"].pk,
            "given_on": "2019-01-28",
            "signed": "on",
        },
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200 and "慰问金" in saved.content.decode()
    entry.refresh_from_db()
    assert entry.value == Decimal("300") and entry.signed
    assert entry.recorded_by == world.user(Role.VILLAGE_CLERK)
    refused = client.post(url, {"gift_kind": "money", "value": ""})
    assert refused.status_code == 400
    entry.refresh_from_db()
    assert entry.value == Decimal("300")  # nothing half-written
    totals = festival.festival_totals(FestivalVisit.objects.in_area(world.village.code))
    assert totals["total"]["n"] == 8 and totals["total"]["yuan"] == Decimal("300")
    page = client.get(reverse("festival-list"), {"year": YEAR}).content.decode()
    assert 'id="festival-total-yuan">300.00' in page


def test_a_clerk_sees_only_their_villages_list(world, registry, client):
    make_household(world.outside_village, status="registered", dibao=True)
    festival.festival_list_generate(
        area=world.outside_village, year=YEAR, party_member_age=70, user=None
    )
    outside = FestivalVisit.objects.in_area(world.outside_village.code).first()
    client.force_login(world.user(Role.VILLAGE_CLERK))
    assert client.get(reverse("festival-gift", args=[outside.pk])).status_code == 404
    area = {"area": world.outside_village.code, "year": YEAR}
    assert client.get(reverse("festival-list"), area).status_code == 404
    assert client.get(reverse("festival-download"), {**area, "format": "xlsx"}).status_code == 404
    generate = {**area, "party_member_age": 70}
    assert client.post(reverse("festival-generate"), generate).status_code == 404


def _sheet_entries(world, registry):
    _h, p, c = registry
    festival.festival_list_generate(area=world.village, year=YEAR, party_member_age=70, user=None)
    festival.festival_visit_record(
        entry=FestivalVisit.objects.get(member=p["party_70"]),
        gift_kind="goods",
        gift="大米一袋",
        value=Decimal("150"),
        given_by=c["committee"],
        given_on=datetime.date(2019, 1, 28),
        signed=True,
        user=None,
    )
    return festival.sheet_entries(world.village.code, YEAR)


def test_the_xlsx_sheet_has_the_columns_and_a_blank_signature(world, registry, client):
    entries = _sheet_entries(world, registry)
    client.force_login(world.user(Role.RESIDENT_TEAM))
    response = client.get(
        reverse("festival-download"), {"area": world.village.code, "year": YEAR, "format": "xlsx"}
    )
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[2] == [
        "序号",
        "村民小组",
        "户主/姓名",
        "类别",
        "慰问品/金额",
        "价值（元）",
        "慰问人",
        "签名",
    ]
    body = rows[3 : 3 + len(entries)]
    assert [r[0] for r in body] == list(range(1, len(entries) + 1))
    party = next(r for r in body if r[2] == "党员七十")
    assert party[3:7] == ["老党员", "慰问品：大米一袋", 150, "村支书"]
    assert all(r[7] is None for r in body)  # left blank, for the signature
    assert rows[-1][0] == "合计" and rows[-1][5] == 150
    assert sheet.row_dimensions[4].height == festival_documents.ROW_HEIGHT_POINTS
    assert sheet.page_setup.orientation == "portrait"


def test_the_docx_sheet(world, registry):
    entries = _sheet_entries(world, registry)
    data = festival_documents.festival_docx(
        entries, area=world.village, year=YEAR, today=datetime.date(2019, 1, 20)
    )
    document = open_docx(BytesIO(data))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["序号", "村民小组", "户主/姓名"]
    texts = [[c.text for c in row.cells] for row in table.rows[1:]]
    party = next(r for r in texts if r[2] == "党员七十")
    assert party[3:8] == ["老党员", "慰问品：大米一袋", "150.00", "村支书", ""]
    assert texts[-1][0] == "合计" and texts[-1][5] == "150.00"
    assert "2019年春节慰问签领表" in document.paragraphs[0].text


def test_a_townships_sheet_is_a_job(world, registry, client):
    _sheet_entries(world, registry)
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    township = world.areas["450101001000"].code
    direct = client.get(
        reverse("festival-download"), {"area": township, "year": YEAR, "format": "xlsx"}
    )
    assert direct.status_code == 404  # only a village's sheet is served straight away
    response = client.post(
        reverse("festival-export"), {"area": township, "year": YEAR, "format": "docx"}
    )
    job = Job.objects.get()
    assert response.status_code == 302 and job.kind == "export_festival_list"
    assert job.area_id == township and job.params["file_format"] == "docx"


def test_the_export_task_writes_the_file(world, registry):
    from fupin.fieldwork.tasks import export_festival_list

    _sheet_entries(world, registry)
    user = world.user(Role.TOWNSHIP_REVIEWER)
    job = Job.objects.create(kind="export_festival_list", owner=user, area_id="450101001000")
    result = export_festival_list.func(str(job.pk), year=YEAR, file_format="xlsx")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and result["entries"] == 8
    assert result["filename"].endswith(".xlsx")


def test_generating_is_set_based(world):
    """As many queries for a village of three listed households as for one of twelve: one
    per category, never one per household."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(village, n):
        for _ in range(n):
            make_household(village, status="registered", dibao=True, members=1)
            person(
                make_household(village, members=1), "老兵", datetime.date(1950, 1, 1), veteran=True
            )
        with CaptureQueriesContext(connection) as captured:
            festival.festival_list_generate(area=village, year=YEAR, party_member_age=70, user=None)
        return len(captured.captured_queries)

    assert queries(world.village, 3) == queries(world.other_village, 12)


def test_a_townships_lists_are_generated_by_a_job(world, registry, client):
    from fupin.fieldwork.tasks import generate_festival_lists

    admin = world.user(Role.ADMIN)
    client.force_login(admin)
    township = world.areas["450101001000"].code
    data = {"area": township, "year": YEAR, "party_member_age": 70}
    response = client.post(reverse("festival-generate"), data)
    job = Job.objects.get()
    assert response.status_code == 302 and job.kind == "generate_festival_lists"
    assert not FestivalVisit.objects.exists()  # nothing in the request
    result = generate_festival_lists.func(str(job.pk), **job.params)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and result["lists"] == 2 and result["added"] == 8
    assert FestivalList.objects.get(village=world.village).generated_by == admin
