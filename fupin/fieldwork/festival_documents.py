"""The Spring Festival list's sign-off sheet, as .xlsx (one sheet per village, the one print
setup of documents/sheets.py) and as .docx (one table per village, documents/word.py): the
receivers sign in the last column, left blank for them."""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO
from itertools import groupby
from pathlib import Path

from django.utils.translation import gettext as _

from fupin.core.models import Area
from fupin.documents import sheets, word
from fupin.fieldwork.models import FestivalVisit

FORMATS = (".xlsx", ".docx")
# Column widths of the .docx table (cm): 15.6 cm between A4's official-document margins,
# the signature widest so that a hand fits.
DOCX_WIDTHS = (1.0, 1.9, 1.6, 2.3, 2.6, 1.6, 2.0, 2.6)
# Rows tall enough for a signature: 1 cm on paper (28 points in the workbook).
ROW_HEIGHT_CM, ROW_HEIGHT_POINTS = 1.0, 28


def headers() -> list[str]:
    return [
        _("No."),
        _("Villager group"),
        _("Head / name"),
        _("Category"),
        _("Gift or money"),
        _("Value (yuan)"),
        _("Given by"),
        _("Signature"),
    ]


def title(area: Area, year: int) -> str:
    return _("Spring Festival visits %(year)s: sign-off sheet — %(area)s") % {
        "year": year,
        "area": area.name,
    }


def _rows(entries: Sequence[FestivalVisit]):
    for number, entry in enumerate(entries, start=1):
        group = entry.household.group.name if entry.household and entry.household.group else ""
        yield [
            number,
            group,
            entry.name,
            entry.get_category_display(),
            entry.gift_text,
            entry.value,
            entry.given_by.name if entry.given_by else "",
            "",
        ]


def _by_village(entries):
    for _code, rows in groupby(entries, key=lambda e: e.village_id):
        rows = list(rows)
        yield rows[0].village, rows


def _total(rows) -> Decimal:
    return sum((e.value for e in rows if e.value is not None), Decimal("0"))


def festival_xlsx(entries: Sequence[FestivalVisit], *, year: int, today: datetime.date) -> bytes:
    book = sheets.new_workbook()
    # Fixed widths that fit a portrait A4 page (95 display columns): a sign-off sheet is
    # printed upright, the signature column widest after the gift.
    widths = (6, 10, 10, 12, 22, 10, 11, 14)
    columns = [
        sheets.Column(header, width=width, number_format=sheets.MONEY_FORMAT if i == 5 else "")
        for i, (header, width) in enumerate(zip(headers(), widths, strict=True))
    ]
    villages = list(_by_village(entries))
    names = set()
    for village, rows in villages:
        name = village.name if village.name not in names else f"{village.name} {village.code}"
        names.add(name)
        sheets.add_sheet(
            book,
            name,
            title=title(village, year),
            made_on=today,
            columns=columns,
            rows=_rows(rows),
            totals=[[_("Total"), None, str(len(rows)), None, None, _total(rows)]],
            row_height=ROW_HEIGHT_POINTS,
        )
    if not villages:
        sheets.add_sheet(
            book,
            _("Spring Festival visits"),
            title=str(year),
            made_on=today,
            columns=columns,
            rows=[],
        )
    buffer = BytesIO()
    sheets.save(book, buffer)
    return buffer.getvalue()


def festival_docx(
    entries: Sequence[FestivalVisit], *, area: Area, year: int, today: datetime.date
) -> bytes:
    blocks = []
    villages = list(_by_village(entries))
    for village, rows in villages:
        if len(villages) > 1 or village.code != area.code:
            blocks.append(word.Heading(f"{village.name}（{village.code}）", level=2))
        table_rows = [
            [str(v) if v is not None else "" for v in row[:5]]
            + [f"{row[5]:,.2f}" if row[5] is not None else ""]
            + row[6:]
            for row in _rows(rows)
        ]
        blocks.append(
            word.Table(
                header=headers(),
                rows=table_rows,
                footer=[_("Total"), "", str(len(rows)), "", "", f"{_total(rows):,.2f}", "", ""],
                numeric=frozenset({0, 5}),
                widths_cm=DOCX_WIDTHS,
                row_height_cm=ROW_HEIGHT_CM,
            )
        )
    if not villages:
        blocks.append(word.Paragraph(_("Nobody is on the list."), indent=False))
    document = word.Document(
        title=_("Spring Festival visits %(year)s: sign-off sheet") % {"year": year},
        subtitle=_("%(area)s · made on %(date)s") % {"area": area.name, "date": today.isoformat()},
        blocks=blocks,
    )
    return word.render_docx(document)


def festival_document(
    path: Path, entries: Sequence[FestivalVisit], *, area: Area, year: int, today: datetime.date
) -> None:
    """Write the sheet to `path`, .xlsx or .docx by its extension (FORMATS)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        path.write_bytes(festival_xlsx(entries, year=year, today=today))
    elif suffix == ".docx":
        path.write_bytes(festival_docx(entries, area=area, year=year, today=today))
    else:
        raise ValueError(suffix)
