"""The import template as a clerk downloads it (.xlsx, openpyxl; a small workbook).

- Sheet 户籍: the headers, and every column stored as text, so that Excel keeps what the clerk
  types as typed: an ID number's 18 digits instead of 4.50123E+17 (whose last digits are
  lost for good), a household number's leading zeros, a phone number. Columns with fixed
  values have drop-down lists.
- Sheet 填写说明: what each column takes, from the template's own table (template.COLUMNS),
  in the user's language.
- Sheet 选项: the values of the drop-down lists, and the user's villages with their codes and
  groups.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from fupin.registry.excel import neutralise
from fupin.registry.template import COLUMNS, HOUSEHOLD, INCOME, Column

ROWS = 5000  # rows given the drop-down lists: a village's people, with room to spare
TEXT = "@"  # Excel's number format "text"


def write_template_workbook(out, villages: list[tuple[str, str, list[str]]]) -> None:
    """`villages`: (code, name, group names) of the villages the user may import."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "户籍"
    options = workbook.create_sheet("选项")
    guide = workbook.create_sheet("填写说明")
    workbook.move_sheet(guide, offset=-1)  # 户籍, 填写说明, 选项
    bold = Font(bold=True)
    lists = _option_lists(villages)
    option_column = 1
    for position, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(position)
        cell = sheet.cell(row=1, column=position, value=column.header)
        cell.font = bold
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(10, 2 * len(column.header) + 2)
        dimension.number_format = TEXT  # what Excel gives the cells typed in this column
        if column.key in lists:
            _add_list(sheet, letter, options, option_column, column, lists[column.key])
            option_column += 1
    sheet.freeze_panes = "A2"
    _write_villages(options, option_column + 1, villages)
    _write_guide(guide, bold)
    workbook.save(out)


def _option_lists(villages) -> dict[str, list[str]]:
    """Each list column's allowed values as the import reads them (Chinese labels)."""
    lists = {}
    with translation.override("zh-hans"):
        for column in COLUMNS:
            if column.kind == "choice":
                lists[column.key] = [str(label) for _value, label in column.choices.choices]
            elif column.kind == "bool":
                lists[column.key] = ["是", "否"]
    lists["village_code"] = [code for code, _name, _groups in villages]
    lists["group"] = sorted({group for _c, _n, groups in villages for group in groups})
    return {key: values for key, values in lists.items() if values}


def _add_list(sheet, letter: str, options, at: int, column: Column, values: list[str]) -> None:
    """A drop-down on the sheet's column `letter`, its values in column `at` of the
    options sheet (a list written in the rule itself may not exceed 255 characters)."""
    option_letter = get_column_letter(at)
    options.cell(row=1, column=at, value=column.header).font = Font(bold=True)
    for row, value in enumerate(values, start=2):
        options.cell(row=row, column=at, value=neutralise(value)).number_format = TEXT
    last = len(values) + 1
    source = f"{quote_sheetname(options.title)}!${option_letter}$2:${option_letter}${last}"
    rule = DataValidation(type="list", formula1=f"={source}", allow_blank=True)
    rule.error = _("Choose a value from the list (sheet 选项 lists them).")
    rule.errorTitle = column.header
    rule.showErrorMessage = True
    sheet.add_data_validation(rule)
    rule.add(f"{letter}2:{letter}{ROWS + 1}")


def _write_villages(options, at: int, villages) -> None:
    """The user's villages: code, name and groups, beside the lists."""
    for offset, title in enumerate((_("Village code"), _("Village"), _("Groups"))):
        options.cell(row=1, column=at + offset, value=title).font = Font(bold=True)
    for row, (code, name, groups) in enumerate(villages, start=2):
        options.cell(row=row, column=at, value=code).number_format = TEXT
        options.cell(row=row, column=at + 1, value=neutralise(name))
        options.cell(row=row, column=at + 2, value=neutralise("、".join(groups)))


def _write_guide(guide, bold) -> None:
    guide.append([_("Column"), _("Key"), _("Required"), _("What to write")])
    for cell in guide[1]:
        cell.font = bold
    for column in COLUMNS:
        guide.append(
            [column.header, column.key, _("yes") if column.required else "", _explain(column)]
        )
    guide.append([])
    guide.append(
        [
            _(
                "One row per person. The household's columns are the same on every row of "
                "the household."
            )
        ]
    )
    guide.append(
        [
            _(
                "Any error and nothing is imported: the report lists each one with its row "
                "and column; fix them and upload the whole file again."
            )
        ]
    )
    for letter, width in zip("ABCD", (22, 26, 8, 90), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2, max_col=4):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")


def _explain(column: Column) -> str:
    kind = column.kind
    if kind == "choice":
        with translation.override("zh-hans"):
            labels = "、".join(str(label) for _value, label in column.choices.choices)
        text = _("One of: %(values)s (a drop-down list).") % {"values": labels}
    elif kind == "bool":
        text = _("是 or 否 (a drop-down list); blank is 否.")
    elif kind == "money":
        text = _("Yuan for the year, such as 3000 or 3000.50; blank is 0.")
    elif kind == "int":
        text = _("A whole number, such as 2019.")
    elif kind == "date":
        text = _("A date, such as 2019-03-01.")
    elif kind == "id_number":
        text = _(
            "The 18-character resident ID number (an old 15-digit one is converted). Keep "
            "the column as text: as a number, Excel loses the last digits."
        )
    elif kind == "area":
        text = _("The village's 12-digit code (sheet 选项 lists your villages).")
    elif column.max_length:
        text = _("Text, up to %(n)s characters.") % {"n": column.max_length}
    else:
        text = _("Text.")
    if column.part in (HOUSEHOLD, INCOME):
        text += " " + _("The same on every row of the household.")
    return text
