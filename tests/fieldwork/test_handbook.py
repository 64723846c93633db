"""The household handbook (.docx) opened with python-docx: its card, members (ID numbers
masked unless revealed, and then recorded), incomes against the line, cadre, plan and visit
log; the page's download, the village's zip job, and the commands."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document as open_docx

from fupin import idnumbers
from fupin.assessment.models import PovertyLine
from fupin.core.models import AccessEvent, Job
from fupin.core.roles import Role
from fupin.fieldwork import handbook, services
from fupin.fieldwork.models import MeasureType
from fupin.registry.models import Household, YearlyIncome
from tests.fieldwork import factories


@pytest.fixture
def home(world):
    household = factories.household(
        world.village, address="那马屯12号", dibao=True, poverty_cause="illness"
    )
    YearlyIncome.objects.create(household=household, year=2018, members=2, wage=Decimal("5000"))
    YearlyIncome.objects.create(household=household, year=2019, members=2, wage=Decimal("7000"))
    PovertyLine.objects.update_or_create(
        year=2019, province="", defaults={"amount": Decimal("3218")}
    )
    PovertyLine.objects.update_or_create(
        year=2018, province="", defaults={"amount": Decimal("2995")}
    )
    cadre = factories.cadre(world.village, "黄第一书记", phone="13907710000", unit="区水利局")
    services.household_pair(household=household, cadre=cadre, on=datetime.date(2019, 1, 1))
    factories.visit(
        household,
        datetime.date(2019, 3, 1),
        visitor=cadre,
        purpose="了解春耕",
        illness="户主腰伤",
        follow_up={"action": "联系镇卫生院", "owner": cadre, "due_on": datetime.date(2019, 3, 8)},
    )
    services.measure_add(
        household=household,
        year=2019,
        type=MeasureType.objects.get(code="industry"),
        description="种植油茶5亩",
        amount=Decimal("2000"),
        funding_source="财政扶贫资金",
    )
    return household


def loaded(household):
    return handbook.handbook_households(Household.objects.filter(pk=household.pk)).get()


def texts(document):
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def cells(document) -> str:
    return "\n".join("|".join(row) for row in texts(document))


def test_the_handbook_holds_every_part_and_masks_id_numbers(world, home):
    data = handbook.handbook_docx(loaded(home), today=datetime.date(2020, 1, 1))
    document = open_docx(io.BytesIO(data))
    body = cells(document)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:6] == [
        "一、户基本情况",
        "二、家庭成员",
        "三、收入情况（对照扶贫标准）",
        "四、帮扶责任人",
        "五、一户一策帮扶计划及措施",
        "六、走访记录（民情日记）",
    ]
    assert home.household_no in body and "那马屯12号" in body and "因病" in body
    head = home.members.get(relation="head")
    assert f"户主|{head.name}" in body
    assert "低保户|是" in body
    for member in home.members.all():
        assert member.id_number not in body
        assert idnumbers.mask(member.id_number) in body
    age = idnumbers.age(head.birth_date, datetime.date(2020, 1, 1))
    assert f"{head.name}|户主|{idnumbers.mask(head.id_number)}|{age}|" in body
    # 2018: 2,500 a person against 2,995 (below); 2019: 3,500 against 3,218 (above)
    assert "2018|2|5,000.00|2,500.00|2,995.00|否" in body
    assert "2019|2|7,000.00|3,500.00|3,218.00|是" in body
    assert "黄第一书记|区水利局|13907710000|2019-01-01|" in body
    assert "种植油茶5亩" in body and "2,000.00" in body and "财政扶贫资金" in body
    assert "2019-03-01|黄第一书记|了解春耕|疾病：户主腰伤" in body
    assert "联系镇卫生院|黄第一书记|2019-03-08|未办|" in body


def test_revealed_numbers_are_printed_in_full(world, home):
    document = open_docx(
        io.BytesIO(
            handbook.handbook_docx(loaded(home), today=datetime.date(2020, 1, 1), reveal=True)
        )
    )
    head = home.members.get(relation="head")
    assert head.id_number in cells(document)


def test_the_household_page_links_the_handbook_and_serves_it(world, home, client):
    clerk = world.user(Role.VILLAGE_CLERK)
    client.force_login(clerk)
    page = client.get(reverse("household-detail", args=[home.pk])).content.decode()
    url = reverse("household-handbook", args=[home.pk])
    assert url in page and reverse("village-handbooks", args=[world.village.code]) in page
    masked = client.get(url)
    assert masked.status_code == 200 and masked["Content-Type"].endswith("document")
    head = home.members.get(relation="head")
    assert head.id_number not in cells(open_docx(io.BytesIO(masked.content)))
    assert not AccessEvent.objects.exists()
    full = client.get(url, {"id_numbers": "full"})
    assert head.id_number in cells(open_docx(io.BytesIO(full.content)))
    event = AccessEvent.objects.get()
    assert event.user == clerk and event.action == "export_id_numbers"
    assert event.object_pk == str(home.pk)


def test_a_role_without_the_reveal_right_gets_masked_numbers_only(world, home, client):
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    url = reverse("household-handbook", args=[home.pk])
    assert client.get(url).status_code == 200
    assert client.get(url, {"id_numbers": "full"}).status_code == 403
    assert not AccessEvent.objects.exists()


def test_the_handbook_reads_in_a_fixed_number_of_queries(
    world, home, django_assert_max_num_queries
):
    factories.household(world.village)
    with django_assert_max_num_queries(10):
        for household in handbook.handbook_households(
            Household.objects.in_area(world.village.code)
        ):
            handbook.handbook_document(
                household, today=datetime.date(2020, 1, 1), line_of=lambda year, code: None
            )


def test_a_villages_handbooks_are_one_zip_job(world, home, client):
    from fupin.fieldwork.tasks import export_village_handbooks

    factories.household(world.village)  # a second registered household
    factories.household(world.village, status="not_registered")  # keeps no handbook
    factories.household(world.outside_village)
    team = world.user(Role.RESIDENT_TEAM)
    client.force_login(team)
    response = client.post(reverse("village-handbooks", args=[world.village.code]))
    job = Job.objects.get()
    assert response.status_code == 302 and job.kind == "export_village_handbooks"
    assert job.params["full_id_numbers"] is False
    result = export_village_handbooks.func(str(job.pk), **job.params)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.done == job.total == 2
    assert result["households"] == 2 and not result["id_numbers"]
    download = client.get(reverse("job-download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert f"扶贫手册-{home.household_no}.docx" in names and len(names) == 2
    inside = open_docx(io.BytesIO(archive.read(f"扶贫手册-{home.household_no}.docx")))
    assert home.members.get(relation="head").id_number not in cells(inside)


def test_a_village_job_is_only_for_a_village_in_the_users_area(world, client):
    client.force_login(world.user(Role.RESIDENT_TEAM))
    township = world.areas["450101001000"].code
    assert client.post(reverse("village-handbooks", args=[township])).status_code == 404
    outside = world.outside_village.code
    assert client.post(reverse("village-handbooks", args=[outside])).status_code == 404
    assert not Job.objects.exists()


def test_export_handbook_command(world, home, tmp_path):
    out = tmp_path / "手册.docx"
    call_command("export-handbook", household=home.household_no, out=str(out))
    document = open_docx(str(out))
    head = home.members.get(relation="head")
    assert idnumbers.mask(head.id_number) in cells(document)
    assert head.id_number not in cells(document)
    assert document.paragraphs[0].text == "扶贫手册"  # Chinese, whatever the shell's language
    assert not AccessEvent.objects.exists()


def test_export_handbook_command_with_full_numbers_is_recorded(world, home, tmp_path):
    admin = world.user(Role.ADMIN)
    out = tmp_path / "full.docx"
    call_command(
        "export-handbook",
        household=home.household_no,
        out=str(out),
        full_id_numbers=True,
        user=admin.username,
    )
    assert home.members.get(relation="head").id_number in cells(open_docx(str(out)))
    assert AccessEvent.objects.get().user == admin


def test_export_handbook_command_refuses_clearly(world, home, tmp_path):
    with pytest.raises(CommandError, match=r"must end in \.docx"):
        call_command("export-handbook", household=home.household_no, out=str(tmp_path / "a.pdf"))
    with pytest.raises(CommandError, match="No household with the number 999"):
        call_command("export-handbook", household="999", out=str(tmp_path / "a.docx"))
    assert not list(tmp_path.iterdir())
