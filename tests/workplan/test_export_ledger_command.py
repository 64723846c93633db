"""`fupin export-ledger`: every project of the area's year, in yuan with a 万元 total."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from fupin.core.demo import load_demo


def test_export_ledger_for_the_township(db, tmp_path):
    load_demo()
    out = tmp_path / "ledger.xlsx"
    call_command(
        "export-ledger", year=2019, area="450198101000", out=str(out), stdout=io.StringIO()
    )
    book = openpyxl.load_workbook(out)
    sheet = book["项目台账"]
    assert sheet.max_row == 3 + 10 + 2  # title, date, header, ten projects, two total rows
    assert sheet.cell(sheet.max_row, 1).value == "合计（万元）"
    assert sheet.cell(sheet.max_row, 10).value == 1457
    assert book["支出明细"].max_row > 1


def test_export_ledger_unknown_area(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("export-ledger", year=2019, area="450198999999", out=str(tmp_path / "x"))
