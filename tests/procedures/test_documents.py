"""The printed notice and the exit agreement form (.docx), downloaded and from the command:
the households with their number, group, head and size, the period and where to object; no
ID number anywhere."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document

from fupin.core.roles import Role
from fupin.procedures import services
from fupin.registry.models import Member
from tests.procedures import pages

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _notice_round(world, n=2):
    """`n` households through one village notice together (a batch)."""
    made = [pages.procedure_at(world, world.village, "village_verification") for _ in range(n)]
    batch = services.step_record_batch(
        procedures=made,
        step_code="first_notice",
        user=world.user(Role.VILLAGE_CLERK),
        on=pages.DAY + datetime.timedelta(days=10),
        notice_place="村委会公示栏",
        notice_object_to="村委会 0771-1234567",
        today=pages.TODAY,
    )
    return made, batch.notice


def test_the_notice_lists_its_households_and_where_to_object(world, client):
    made, notice = _notice_round(world)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.get(reverse("notice-docx", args=[notice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _text(response.content)
    head = Member.objects.get(household=made[0].household, relation="head")
    for procedure in made:
        assert procedure.household.household_no in text
    assert head.name in text
    assert "村委会 0771-1234567" in text  # where to object
    assert "村委会公示栏" in text  # where it is posted
    for day in (notice.posted_on, notice.ends_on):
        assert f"{day.year}年{day.month}月{day.day}日" in text
    assert "甲一村村民委员会" in text  # signed by the village committee
    for member in Member.objects.filter(household__in=[p.household for p in made]):
        assert member.id_number not in text and member.id_number[-4:] not in text


def test_the_notice_page_links_its_document_and_lists_the_households(world, client):
    made, notice = _notice_round(world, 1)
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    page = client.get(reverse("notice-detail", args=[notice.pk])).content.decode()
    assert reverse("notice-docx", args=[notice.pk]) in page
    assert made[0].household.household_no in page


def test_the_exit_agreement_form(world, client):
    procedure = pages.procedure_at(world, world.village, None, kind="exit")
    client.force_login(world.user(Role.RESIDENT_TEAM))
    response = client.get(reverse("procedure-agreement", args=[procedure.pk]))
    assert response.status_code == 200
    text = _text(response.content)
    assert procedure.household.household_no in text and "2019" in text
    assert "签字" in text
    identification = pages.procedure_at(world, world.village, None)
    response = client.get(reverse("procedure-agreement", args=[identification.pk]))
    assert response.status_code == 404


def test_export_notice_prints_the_round_at_its_current_notice(world, tmp_path):
    made, notice = _notice_round(world)
    out = tmp_path / "notice.docx"
    call_command(
        "export-notice", area=world.village.code, year=2019, kind="identification", out=str(out)
    )
    text = _text(out.read_bytes())
    assert all(p.household.household_no in text for p in made)
    assert "公示" in text


def test_export_notice_says_so_when_no_household_stands_at_a_notice(world, tmp_path):
    pages.procedure_at(world, world.village, "application")
    with pytest.raises(CommandError, match="stands at a notice"):
        call_command(
            "export-notice",
            area=world.village.code,
            year=2019,
            kind="identification",
            out=str(tmp_path / "n.docx"),
        )
    with pytest.raises(CommandError, match="No area"):
        call_command(
            "export-notice", area="999999999999", year=2019, kind="exit", out=str(tmp_path / "x")
        )
