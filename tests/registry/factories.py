"""Small registry records for tests, made through the models (valid ID numbers), and
template rows and files as a clerk would upload them."""

import csv
import datetime
import itertools
from pathlib import Path

from django.forms.models import model_to_dict
from openpyxl import Workbook

from fupin import idnumbers
from fupin.registry.models import Household, Member, YearlyIncome
from fupin.registry.template import COLUMNS

_numbers = itertools.count(1)


def make_household(village, *, status="not_registered", members=3, income=None, **fields):
    number = next(_numbers)
    values = {"year_registered": 2016} if status in {"registered", "monitored"} else {}
    if status == "exited":
        values = {"year_registered": 2016, "year_exited": 2019}
    values.update(fields)
    household = Household.objects.create(
        household_no=f"{village.code}{number:05d}", village=village, status=status, **values
    )
    relations = ["head", "spouse"] + ["child"] * max(0, members - 2)
    for index, relation in enumerate(relations[:members]):
        born = datetime.date(1970 + 10 * index, 1 + index % 12, 1 + number % 28)
        id_number = idnumbers.make("450122", born, (number * 7 + index) % 1000)
        Member.objects.create(
            household=household,
            relation=relation,
            name=f"成员{number}-{index}",
            id_number=id_number,
            sex=idnumbers.sex_of(id_number),
            birth_date=born,
            medical_insurance=True,
        )
    if income is not None:
        YearlyIncome.objects.create(
            household=household, year=2019, members=members, wage=income * members
        )
    return household


# --- template rows and files, for import and export tests -----------------------------------

_people = itertools.count(1)
_household_numbers = itertools.count(1)


# Counties of Guangxi (not make_household's 450122): a thousand people each per birth date.
_REGIONS = ["450123", "450124", "450125", "450126", "450127", "450221", "450222", "450223"]


def person_id(born: datetime.date | None = None) -> str:
    """A valid ID number that no other call returns, even for the same birth date."""
    n = next(_people)
    born = born or datetime.date(1950 + n % 50, 1 + n % 12, 1 + n % 28)
    return idnumbers.make(_REGIONS[n // 1000 % len(_REGIONS)], born, n % 1000)


def household_rows(village, household_no=None, *, members=3, **fields) -> list[dict]:
    """Template rows (dicts by column key, as a clerk writes them) of one valid household:
    a head, a spouse and children, registered in 2016, with a 2019 income."""
    number = household_no or f"{village.code}{next(_household_numbers) + 90000:05d}"
    household = {
        "household_no": number,
        "village_code": village.code,
        "address": f"{village.name}{number[-3:]}号",
        "phone": "13800000000",
        "status": "建档立卡贫困户",
        "attribute": "一般贫困户",
        "year_registered": "2016",
        "poverty_cause": "因病",
        "dibao": "否",
        "housing_grade": "B",
        "income_year": "2019",
        "wage": "6000",
        "operating_income": "3000",
        "operating_costs": "1000",
        "transfer_pension": "1200",
    }
    household.update(fields)
    relations = ["户主", "配偶"] + ["子女"] * max(0, members - 2)
    rows = []
    for index, relation in enumerate(relations[:members]):
        born = datetime.date(1965 + 12 * index, 3, 1 + index)
        rows.append(
            {
                **household,
                "relation": relation,
                "name": f"韦{number[-3:]}{'甲乙丙丁戊己庚辛'[index]}",
                "id_number": person_id(born),
                "ethnicity": "壮族",
                "health": "健康",
                "medical_insurance": "是",
            }
        )
    return rows


def write_template(path, rows, *, encoding="utf-8-sig", header="header"):
    """Write template rows as the file a clerk uploads: .xlsx, or .csv in `encoding`;
    `header` is "header" (the Chinese headers), "key" or "label" (English)."""
    path = Path(path)
    names = [getattr(column, header) for column in COLUMNS]
    cells = [[str(row.get(column.key, "")) for column in COLUMNS] for row in rows]
    if path.suffix == ".xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(names)
        for line in cells:
            sheet.append(line)
        workbook.save(path)
        return path
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        writer.writerows(cells)
    return path


def registry_counts() -> dict:
    """How many households, members and incomes there are, and rows in their histories."""
    counts = {}
    for model in (Household, Member, YearlyIncome):
        counts[model.__name__] = model.objects.count()
        counts[f"{model.__name__} history"] = model.history.count()
    return counts


def registry_snapshot() -> dict:
    """What the registry holds, without database ids or times: to compare two imports."""

    def plain(obj, drop):
        values = model_to_dict(obj)
        for name in ("id", *drop):
            values.pop(name, None)
        return values

    households = {
        h.household_no: plain(h, ["updated_at"]) for h in Household.objects.order_by("pk")
    }
    members = {
        m.id_number: {**plain(m, ["household"]), "household": m.household.household_no}
        for m in Member.objects.select_related("household")
    }
    incomes = {
        (i.household.household_no, i.year): {
            **plain(i, ["household"]),
            "per_capita": i.per_capita_net_income,
        }
        for i in YearlyIncome.objects.select_related("household")
    }
    return {"households": households, "members": members, "incomes": incomes}
