"""The plan and summary documents, read back with python-docx; the ledger with openpyxl."""

import io
from datetime import date

import docx
import openpyxl
import pytest

from fupin.core.demo import load_demo
from fupin.documents.word import render_docx
from fupin.workplan import documents
from fupin.workplan.demo import SEED_YEAR
from fupin.workplan.models import AnnualPlan, Expenditure, Project
from fupin.workplan.selectors import plan_projects

TODAY = date(2026, 11, 28)
# The seed's projects: a word of each name, its amount in 万元 (None: none given), its month.
SEED = [
    ("综合服务中心", "35", "6月"),
    ("人畜饮水", "30", "年内"),
    ("农田水利渠道", "480", "7月"),
    ("那环屯", "92", "8月"),
    ("二桥头至边家屯", "200", "10月"),
    ("大板田堤坝", "600", "11月"),
    ("二桥维修", "15", "2月"),
    ("水泥", None, "年内"),
    ("油茶", None, "年内"),
    ("六合峪教学点", "5", "年内"),
]


@pytest.fixture
def seed_plan(db):
    load_demo()
    plan = AnnualPlan.objects.select_related("area").get(year=SEED_YEAR)
    return plan, plan_projects(None, plan, TODAY)


def read(data: bytes) -> tuple[str, list[list[list[str]]]]:
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    return text, tables


def test_the_plan_document_holds_every_seed_project_with_amount_month_and_total(seed_plan):
    plan, projects = seed_plan
    text, tables = read(render_docx(documents.plan_document(plan, projects, "zh")))
    for heading in ("一、指导思想", "二、建设目标", "三、主要工作", "四、项目安排表"):
        assert heading in text
    schedule = tables[-1]
    assert schedule[0][:5] == ["序号", "项目名称", "牵头单位", "建设内容", "投资（万元）"]
    body = schedule[1:-1]
    assert len(body) == len(SEED)
    for (word, amount, month), row in zip(SEED, body, strict=True):
        assert word in row[1]
        assert row[4] == (amount or "—")
        assert row[7] == month
        if amount:  # the sentence under the main work names the money in 万元 too
            assert f"{amount}万元" in text
    assert schedule[-1][0] == "合计" and schedule[-1][4] == "1457"
    assert "1457万元" in text
    assert "3月开工" in text  # the service centre's start
    assert "区水利局" in text and "50吨" in text and "500 亩" in text


def test_the_plan_document_in_english(seed_plan):
    plan, projects = seed_plan
    text, tables = read(render_docx(documents.plan_document(plan, projects, "en")))
    assert "1. Guiding ideology" in text
    assert "Deng Xiaoping Theory" in text
    assert "Second Bridge repair" in text
    assert tables[-1][-1][4] == "1457"
    assert "1457 × 10k yuan" in text
    assert [row[7] for row in tables[-1][1:-1]][:3] == ["June", "within the year", "July"]


def test_the_year_end_summary(seed_plan):
    plan, projects = seed_plan
    text, tables = read(render_docx(documents.summary_document(plan, projects, TODAY, "zh")))
    assert "截至2019-12-31" in text  # a past year is judged at its end
    assert "共有项目10个" in text and "已完成8个" in text
    status = {row[1]: row for row in tables[0][1:]}
    assert status["大板田堤坝建设"][7] == "31"  # open, 31 days past 30 November at year end
    assert status["农田水利渠道及马鸡马屯道路"][7] == "51"  # completed 51 days late
    assert tables[1][-1][1] == "1457"  # by funding source: planned in all
    assert "超支" in text and "否" in tables[3][4][4]  # objectives: one not met
    # The demo's assessment of the village gives section five its figures.
    figures = {row[0]: row[1] for row in tables[-1][1:]}
    assert "贫困发生率" in figures and figures["评估户数"].isdigit()


def test_the_year_end_summary_without_an_assessment(seed_plan):
    from fupin.assessment.models import AreaResult

    plan, projects = seed_plan
    AreaResult.objects.filter(area=plan.area).delete()
    text, _tables = read(render_docx(documents.summary_document(plan, projects, TODAY, "zh")))
    assert "尚无该地区该年度的评估数据" in text


def test_the_summary_shows_assessment_figures_when_an_assessment_exists(seed_plan, monkeypatch):
    plan, projects = seed_plan
    monkeypatch.setattr(
        documents, "_assessment_figures", [lambda area, year: [("贫困发生率", "1.8%")]]
    )
    text, tables = read(render_docx(documents.summary_document(plan, projects, TODAY, "zh")))
    assert ["贫困发生率", "1.8%"] in tables[-1]
    monkeypatch.setattr(documents, "_assessment_figures", [])
    assert documents.assessment_figures(plan.area, plan.year) is None


def test_the_ledger_has_money_in_yuan_a_wan_total_and_no_formulas(seed_plan):
    plan, projects = seed_plan
    Project.objects.filter(pk=projects[0].pk).update(name='=HYPERLINK("http://x")')
    projects = plan_projects(None, plan, TODAY)
    expenditures = Expenditure.objects.filter(project__plan=plan).select_related(
        "project__plan__area"
    )
    data = documents.ledger_xlsx(projects, expenditures, title="-1+1", today=TODAY)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["项目台账"]
    assert sheet["A1"].value == "'-1+1"
    assert sheet["A2"].value == "制表日期：2026-11-28"
    assert sheet["D3"].value == "项目名称" and sheet["J3"].value == "计划投资（元）"
    assert sheet["D4"].value.startswith("'=")
    assert sheet["D4"].data_type == "s"
    wan_row = sheet.max_row
    assert sheet.cell(wan_row, 1).value == "合计（万元）"
    assert sheet.cell(wan_row, 10).value == 1457
    assert sheet.cell(wan_row - 1, 10).value == 14570000
    spending = book["支出明细"]
    assert spending.max_row - 3 == expenditures.count()  # title, date, header
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
