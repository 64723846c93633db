"""The registry export as printed: the shared print setup, with the header kept as the first
row so that the export still imports as it is (title and date in the page header/footer)."""

import datetime

import openpyxl

from fupin.core.reading import read_table
from fupin.documents.sheets import display_width
from fupin.registry.excel import write_rows_xlsx
from fupin.registry.template import COLUMNS


def test_the_export_is_set_up_for_printing_and_still_reads_as_an_import(tmp_path):
    headers = [column.header for column in COLUMNS]
    row = ["x"] * len(headers)
    row[headers.index("姓名")] = "欧阳建国"
    rows = [row, ["=1+1", *["" for _ in headers[1:]]]]
    path = tmp_path / "export.xlsx"
    write_rows_xlsx(
        path, headers, iter(rows), title="户籍导出　六合村", made_on=datetime.date(2026, 12, 6)
    )
    sheet = openpyxl.load_workbook(path)["户籍"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.freeze_panes == "A2"
    assert sheet.oddHeader.center.text == "户籍导出　六合村"
    assert "2026-12-06" in sheet.oddFooter.left.text
    assert all(cell.font.bold and cell.border.top.style == "thin" for cell in sheet[1])
    assert all(cell.border.bottom.style == "thin" for cell in sheet[3])
    name_column = openpyxl.utils.get_column_letter(headers.index("姓名") + 1)
    assert sheet.column_dimensions[name_column].width >= display_width("欧阳建国") + 2
    assert sheet["A3"].value == "'=1+1"  # still inert
    table = read_table(path)
    assert table.header == headers  # row 1 is the header, as the import wants it
    assert [cells for _number, cells in table.rows][0][headers.index("姓名")] == "欧阳建国"


def test_the_data_quality_list_downloads_set_up_for_printing(world, client):
    import io

    from fupin.core.roles import Role
    from fupin.registry.quality import CHECKS

    client.force_login(world.user(Role.COUNTY_APPROVER))
    page = client.get("/registry/quality/")
    assert b"/registry/quality/download.xlsx" in page.content
    response = client.get("/registry/quality/download.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "各村数据质量"
    assert sheet["A2"].value.startswith("制表日期：")
    assert [c.value for c in sheet[3]][2:] == [str(c.label) for c in CHECKS]
    assert len(sheet[3]) == 2 + len(CHECKS)
    assert sheet.print_title_rows == "$3:$3" and sheet.freeze_panes == "A4"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet[sheet.max_row][0].value == "合计" and sheet[sheet.max_row][2].font.bold
    assert sheet["A3"].border.left.style == "thin"
