"""`fupin export-plan`: the module is named with a hyphen so the command is too."""

import io

import docx
import pytest
from django.core.management import CommandError, call_command

from fupin.core.demo import load_demo


def test_export_plan_writes_the_seed_plan(db, tmp_path):
    load_demo()
    out = tmp_path / "plan.docx"
    call_command("export-plan", year=2019, area="450198101201", out=str(out), stdout=io.StringIO())
    text = "\n".join(p.text for p in docx.Document(out).paragraphs)
    assert "六合村2019年度扶贫工作计划" in text and "1457万元" in text
    summary = tmp_path / "summary.docx"
    call_command(
        "export-plan",
        "--year=2019",
        "--area=450198101201",
        f"--out={summary}",
        "--summary",
        "--language=en",
        stdout=io.StringIO(),
    )
    assert "Year-end" not in docx.Document(summary).paragraphs[0].text
    assert "summary of the 2019 work plan" in docx.Document(summary).paragraphs[0].text


def test_export_plan_without_a_plan_fails_with_a_message(db, tmp_path):
    load_demo()
    with pytest.raises(CommandError, match="No 2018 plan for area 450198101201"):
        call_command("export-plan", year=2018, area="450198101201", out=str(tmp_path / "x"))
    with pytest.raises(CommandError, match="No area with code 999"):
        call_command("export-plan", year=2019, area="999", out=str(tmp_path / "x"))
