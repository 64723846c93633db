"""The registry as template rows: what the export writes, so that export → import is a no-op."""

import csv
from pathlib import Path

from django.utils import translation

from fupin.registry.excel import neutralise, write_rows_xlsx
from fupin.registry.models import Household, Member, YearlyIncome
from fupin.registry.template import COLUMNS, HOUSEHOLD, INCOME

BATCH = 5000


def _cell(column, value) -> str:
    if value is None:
        return ""
    if column.kind == "bool":
        return "是" if value else "否"
    if column.kind == "choice":
        if value == "":
            return ""
        with translation.override("zh-hans"):
            return str(column.choices(value).label)
    return str(value)


def export_rows(area_code: str, *, mask=None, progress=None):
    """Rows (lists of cells in COLUMNS order) of every member in the area, household by
    household, with each household's latest income year. Streams in batches."""
    households = Household.objects.in_area(area_code).order_by("pk")
    total = households.count()
    done = 0
    last_pk = 0
    while True:
        batch = list(households.filter(pk__gt=last_pk).select_related("group")[:BATCH])
        if not batch:
            break
        last_pk = batch[-1].pk
        ids = [h.pk for h in batch]
        members = {}
        for member in Member.objects.filter(household_id__in=ids).order_by("household_id", "pk"):
            members.setdefault(member.household_id, []).append(member)
        incomes = {}
        for income in YearlyIncome.objects.filter(household_id__in=ids).order_by("year"):
            incomes[income.household_id] = income  # the latest year wins
        for household in batch:
            income = incomes.get(household.pk)
            for member in members.get(household.pk, []):
                yield [_value(col, household, member, income, mask) for col in COLUMNS]
        done += len(batch)
        if progress:
            progress(done, total)


def _value(column, household, member, income, mask) -> str:
    if column.part == HOUSEHOLD:
        if column.key == "village_code":
            return household.village_id
        if column.key == "group":
            return household.group.name if household.group else ""
        return _cell(column, getattr(household, column.model_field))
    if column.part == INCOME:
        return "" if income is None else _cell(column, getattr(income, column.model_field))
    value = getattr(member, column.model_field)
    if column.key == "id_number" and mask:
        return mask(value)
    return _cell(column, value)


def write_export(path: Path, rows, *, title: str = "户籍导出") -> int:
    """Write template rows to .csv (UTF-8 with BOM, for Excel) or .xlsx; the row count."""
    headers = [column.header for column in COLUMNS]
    count = 0

    def counted():
        nonlocal count
        for row in rows:
            count += 1
            yield row

    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            writer.writerows([neutralise(v) for v in row] for row in counted())
    else:
        with translation.override("zh-hans"):  # the export is in the template's language
            write_rows_xlsx(path, headers, counted(), title=title)
    return count
