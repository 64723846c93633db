"""Synthetic registries in the import template: deterministic for a seed, valid, realistic.

`generate_rows` yields template rows (dicts by column key) for `households` households spread
over `villages` villages; `ensure_areas` creates those villages (a synthetic county 450199,
"合成县", with townships of up to 50 villages and five groups each) so the file can be
imported. With `dirty`, a known number of each data-quality problem that an import accepts
(checked on the data-quality page) is planted; `DIRTY_COUNTS` says how many.
"""

import csv
import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from fupin import idnumbers
from fupin.areacodes import Level
from fupin.registry.template import COLUMNS

COUNTY = ("450199000000", "合成县")
# Guangxi county codes that python-stdnum knows: where members' ID numbers were issued.
REGIONS = [
    "450122", "450123", "450124", "450125", "450126", "450127", "450221", "450222",
    "450223", "450321", "450322", "450323", "450324", "450521", "450621", "450721",
    "451021", "451022", "451023", "451024", "451121", "451221", "451222", "451223",
]  # fmt: skip
SURNAMES = "韦黄覃莫蒙陆农梁李陈罗廖刘卢蓝潘杨周谭吴"
GIVEN = "文武明华国庆秀英丽芳红军建平金玉兰春桂海林志强勇敏静桃梅德福寿"
GROUP_NAMES = ["第一组", "第二组", "第三组", "第四组", "第五组"]
ETHNICITIES = ["壮族"] * 6 + ["汉族"] * 3 + ["瑶族"]
CAUSES = ["illness", "disability", "schooling", "lack_skills", "lack_labour", "lack_funds",
          "lack_land", "poor_transport", "lack_drive", "disaster"]  # fmt: skip

# How many households each data-quality check (fupin.registry.quality) finds in a `dirty`
# registry: the number the data-quality page shows. Each problem is planted in a household of
# its own; "same name and birth date" is planted as pairs of households.
DIRTY_COUNTS = {
    "same_name_birth_date": 6,
    "implausible_age": 4,
    "schooling_for_age": 5,
    "implausible_income": 2,
    "exclusion_match": 6,
}


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    groups: list[str]


def synthetic_villages(count: int) -> list[Village]:
    villages = []
    for index in range(count):
        township, number = divmod(index, 50)
        code = f"{COUNTY[0][:6]}{township + 1:03d}{number + 1:03d}"
        villages.append(Village(code, f"合成{township + 1}镇{number + 1}村", GROUP_NAMES))
    return villages


def ensure_areas(villages: list[Village]) -> None:
    """Create the synthetic county's areas that do not exist yet (idempotent)."""
    from fupin.core.models import Area

    existing = set(
        Area.objects.filter(code__startswith=COUNTY[0][:6]).values_list("code", flat=True)
    )
    rows = [(COUNTY[0], COUNTY[1], Level.COUNTY, "450100000000")]
    for village in villages:
        township = village.code[:9] + "000"
        rows.append((township, f"合成{int(village.code[6:9])}镇", Level.TOWNSHIP, COUNTY[0]))
        rows.append((village.code, village.name, Level.VILLAGE, township))
        for number, name in enumerate(village.groups, start=1):
            rows.append((f"{village.code}{number:03d}", name, Level.GROUP, village.code))
    seen = set()
    new = []
    for code, name, level, parent in rows:
        if code in existing or code in seen:
            continue
        seen.add(code)
        new.append(Area(code=code, name=name, level=int(level), parent_id=parent))
    for code, name, level, parent in (
        ("450000000000", "广西壮族自治区", Level.PROVINCE, None),
        ("450100000000", "南宁市", Level.CITY, "450000000000"),
    ):
        if not Area.objects.filter(code=code).exists():
            Area.objects.create(code=code, name=name, level=int(level), parent_id=parent)
    Area.objects.bulk_create(new, batch_size=2000)


class Generator:
    def __init__(self, seed: int, year: int, today: datetime.date):
        self.random = random.Random(seed)
        self.year = year
        self.today = today
        self.orders: dict[tuple[str, datetime.date], int] = {}

    def name(self, surname=None) -> str:
        r = self.random
        given = r.choice(GIVEN) + (r.choice(GIVEN) if r.random() < 0.7 else "")
        return (surname or r.choice(SURNAMES)) + given

    def id_number(self, born: datetime.date, sex: str) -> str:
        region = self.random.choice(REGIONS)
        key = (region, born)
        order = self.orders.get(key, self.random.randrange(1, 400) * 2)
        order += 1 if sex == "M" else 0
        if order % 2 != (1 if sex == "M" else 0):
            order += 1
        self.orders[key] = order + 1
        return idnumbers.make(region, born, order % 1000)

    def birth(self, age: int) -> datetime.date:
        start = datetime.date(self.year - age, 1, 1)
        return start + datetime.timedelta(days=self.random.randrange(365))

    def member(self, relation, age, sex, surname=None) -> dict:
        """A member `age` years old in the income year, described as of `today`: a registry
        kept up to date records today's schooling, work and insurance, not the income
        year's. The registry's people are the same whatever `today` is: only what depends on
        the age is drawn again, from a generator of the person's own."""
        r = self.random
        born = self.birth(age)
        health = r.choices(["healthy", "chronic", "serious", "disabled"], [85, 9, 3, 3])[0]
        row = {
            "relation": relation,
            "name": self.name(surname),
            "id_number": self.id_number(born, sex),
            "ethnicity": r.choice(ETHNICITIES),
            "health": health,
            "disability_grade": str(r.randint(1, 4)) if health == "disabled" else "",
            "medical_insurance": "是" if r.random() < 0.97 else "否",
            "serious_illness_insurance": "是" if r.random() < 0.9 else "否",
            "member_status": "present",
            "departed_on": "",
        }
        row.update(self.aged(age, sex, health, r))
        today = self.today
        if today.year > self.year:
            now = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            row.update(self.aged(now, sex, health, random.Random(f"{row['id_number']} {today}")))
        return row

    def aged(self, age: int, sex: str, health: str, r: random.Random) -> dict:
        """What depends on the age: insurance, party, service, schooling and work."""
        row = {
            "pension_insurance": "是" if age >= 16 and r.random() < 0.8 else "否",
            "party_member": "是" if age >= 18 and r.random() < 0.04 else "否",
            "veteran": "是" if age >= 20 and sex == "M" and r.random() < 0.02 else "否",
            "college_student": "否",
        }
        row.update(self.schooling(age, health, r))
        if 16 <= age < 65:
            row["labour"] = r.choices(["skilled", "ordinary", "weak", "none"], [10, 70, 15, 5])[0]
            months = r.choices([0, 3, 6, 9, 12], [45, 10, 15, 10, 20])[0]
            row["migrant_months"] = str(months)
            places = ["广东省", "南宁市", "浙江省", "本县"]
            row["migrant_place"] = r.choice(places) if months else ""
        else:
            row["labour"] = "not_labour_age" if age < 16 else "weak"
            row["migrant_months"] = "0"
            row["migrant_place"] = ""
        return row

    def schooling(self, age: int, health: str, r: random.Random) -> dict:
        if age < 3:
            return {"education": "", "schooling": "not_applicable"}
        if age < 6:
            return {"education": "preschool", "schooling": "preschool"}
        if age <= 15:
            stage = "primary" if age <= 11 else "junior"
            out = r.random() < 0.015
            status = ("out_exempt" if health != "healthy" else "out_of_school") if out else stage
            return {"education": stage, "schooling": status}
        if age <= 18:
            stage = r.choices(["senior", "vocational", "finished"], [55, 25, 20])[0]
            return {"education": "junior" if stage == "finished" else stage, "schooling": stage}
        if age <= 22 and r.random() < 0.2:
            return {"education": "college", "schooling": "college", "college_student": "是"}
        education = r.choices(
            ["none", "primary", "junior", "senior", "vocational", "college"], [8, 30, 40, 12, 6, 4]
        )[0]
        return {"education": education, "schooling": "finished"}

    def household(self, number: int, village: Village) -> list[dict]:
        r = self.random
        status = r.choices(
            ["not_registered", "registered", "exited", "monitored", "cancelled"], [58, 10, 27, 4, 1]
        )[0]
        registered = (
            r.randint(2014, self.year) if status in {"registered", "exited", "monitored"} else None
        )
        exited = r.randint(registered, self.year) if status == "exited" else None
        surname = r.choice(SURNAMES)
        head_age = r.randint(24, 85)
        head_sex = "M" if r.random() < 0.85 else "F"
        members = [self.member("head", head_age, head_sex, surname)]
        size = r.choices([1, 2, 3, 4, 5, 6, 7], [8, 14, 18, 24, 20, 11, 5])[0]
        if size > 1 and head_age < 80:
            members.append(
                self.member(
                    "spouse", max(20, head_age + r.randint(-5, 3)), "F" if head_sex == "M" else "M"
                )
            )
        while len(members) < size:
            if head_age > 45 and r.random() < 0.3:
                age = r.randint(max(0, head_age - 60), head_age - 35)
                rel = "grandchild"
            else:
                age = r.randint(0, max(0, min(head_age - 20, 40)))
                rel = "child"
            members.append(self.member(rel, max(age, 0), r.choice("MF"), surname))
        present = len(members)
        poor = status in {"registered", "monitored"}
        per_capita = r.lognormvariate(8.9 if not poor else 8.2, 0.45)
        total = Decimal(per_capita * present).quantize(Decimal("1"))
        wage = (total * Decimal(r.uniform(0.3, 0.7))).quantize(Decimal("1"))
        operating = (total * Decimal(r.uniform(0.1, 0.4))).quantize(Decimal("1"))
        costs = (operating * Decimal(r.uniform(0.1, 0.4))).quantize(Decimal("1"))
        dibao = Decimal(r.choice([0, 0, 0, 1800, 2400])) if poor else Decimal(0)
        transfers = max(total - wage - operating + costs - dibao, Decimal(0))
        cancelled = status == "cancelled"
        household = {
            "household_no": f"{village.code}{number:05d}",
            "village_code": village.code,
            "group": r.choice(village.groups),
            "address": f"{village.name}{r.randint(1, 200)}号",
            "phone": f"1{r.randint(3000000000, 9999999999)}",
            "status": status,
            "cancel_reason": r.choice(["moved_out", "merged"]) if cancelled else "",
            "attribute": r.choices(["general", "dibao", "special_support"], [75, 20, 5])[0]
            if registered
            else "",
            "year_registered": str(registered or ""),
            "year_exited": str(exited or ""),
            "poverty_cause": r.choice(CAUSES) if registered else "",
            "dibao": "是" if dibao else "否",
            "five_guarantee": "是" if registered and size == 1 and head_age > 60 else "否",
            "special_support": "否",
            "military_family": "是" if r.random() < 0.02 else "否",
            "housing_grade": r.choices("ABCD", [70, 22, 6, 2])[0],
            "housing_renovation": r.choices(["none", "renovated", "relocated"], [85, 12, 3])[0],
            "water_quality": r.choices(["safe", "basic", "unsafe"], [88, 9, 3])[0],
            "water_quantity": r.choices(["safe", "basic", "unsafe"], [90, 8, 2])[0],
            "water_convenience": r.choices(["safe", "basic", "unsafe"], [85, 12, 3])[0],
            "water_reliability": r.choices(["safe", "basic", "unsafe"], [88, 10, 2])[0],
            "electricity": "是",
            "road": "是" if r.random() < 0.95 else "否",
            "income_year": str(self.year),
            "wage": str(wage),
            "operating_income": str(operating),
            "operating_costs": str(costs),
            "property": str(Decimal(r.choice([0, 0, 0, 200, 500]))),
            "transfer_pension": str((transfers * Decimal("0.5")).quantize(Decimal("1"))),
            "transfer_dibao": str(dibao),
            "transfer_subsidy": str((transfers * Decimal("0.5")).quantize(Decimal("1"))),
            "transfer_other": "0",
            "excluded_earmarked": str(Decimal(r.choice([0, 0, 0, 0, 20000]))),
            "excluded_one_off": str(Decimal(r.choice([0, 0, 0, 500]))),
        }
        return [{**household, **member} for member in members]


def iter_rows(
    *,
    households: int,
    places: list[Village],
    seed: int,
    year: int = 2019,
    today: datetime.date | None = None,
):
    """Template rows (dicts by column key), one household after another, lazily: incomes
    of `year`, ages as of `today` (by default the end of `year`)."""
    generator = Generator(seed, year, today or datetime.date(year, 12, 31))
    for number in range(households):
        village = places[number % len(places)]
        yield from generator.household(number // len(places) + 1, village)


def generate_dirty(*, households: int, places: list[Village], seed: int, year: int = 2019):
    """Rows with DIRTY_COUNTS problems planted, and the exclusion list that matches some."""
    rows = list(iter_rows(households=households, places=places, seed=seed, year=year))
    return rows, plant_problems(rows, random.Random(seed + 1))


class TooFewHouseholds(ValueError):
    """The registry is too small to plant every problem DIRTY_COUNTS promises."""


def plant_problems(rows: list[dict], rng: random.Random) -> list[tuple[str, str]]:
    """Change some rows so that each data-quality check finds DIRTY_COUNTS households."""
    counts = DIRTY_COUNTS
    taken = {row["id_number"] for row in rows}

    def fresh_id(region: str, born: datetime.date, order: int) -> str:
        # A number no other row has: two planted rows must not share one (the import would
        # refuse the file). Stepping by 2 keeps the order's parity, so the sex stays.
        number = idnumbers.make(region, born, order % 1000)
        while number in taken:
            order += 2
            number = idnumbers.make(region, born, order % 1000)
        taken.add(number)
        return number

    def one_per_household(candidates, count, problem):
        chosen, households = [], set()
        for row in candidates:
            if len(chosen) == count:
                break
            if row["household_no"] not in households:
                households.add(row["household_no"])
                chosen.append(row)
        if len(chosen) < count:
            raise TooFewHouseholds(f"Too few households to plant {count} × {problem}.")
        return chosen

    heads = [row for row in rows if row["relation"] == "head"]
    rng.shuffle(heads)
    used = iter(heads)
    # The same name and birth date in one village: a second household's head copies the name
    # and birth date (with its own, valid ID number) of another head in the same village.
    by_village: dict[str, list[dict]] = {}
    for row in heads:
        by_village.setdefault(row["village_code"], []).append(row)
    pairs = [found[:2] for found in by_village.values() if len(found) >= 2]
    if len(pairs) < counts["same_name_birth_date"] // 2:
        raise TooFewHouseholds("Too few villages with two households to plant same names.")
    for original, copy in pairs[: counts["same_name_birth_date"] // 2]:
        copy["name"] = original["name"]
        born = idnumbers.birth_date_of(original["id_number"])
        copy["id_number"] = fresh_id(copy["id_number"][:6], born, int(copy["id_number"][14:17]))
    members = [row for row in rows if row["relation"] == "child"]
    rng.shuffle(members)
    too_old = one_per_household(members, counts["implausible_age"], "implausible age")
    for row in too_old:
        row["id_number"] = fresh_id(row["id_number"][:6], datetime.date(1899, 3, 1), 7)
        row["schooling"], row["education"] = "finished", "none"
    planted = {id(row) for row in too_old}
    rest = [row for row in members if id(row) not in planted]
    for row in one_per_household(rest, counts["schooling_for_age"], "schooling for age"):
        row["id_number"] = fresh_id(row["id_number"][:6], datetime.date(1975, 6, 1), 11)
        row["schooling"] = "primary"
    # Households copy their income to every member row: change all rows of a household.
    targets = {next(used)["household_no"] for _ in range(counts["implausible_income"])}
    for row in rows:
        if row["household_no"] in targets:
            row["wage"] = "9000000"
    # The exclusion check counts registered and monitored households.
    poor = [row for row in rows if row["status"] in {"registered", "monitored"}]
    rng.shuffle(poor)
    listed = one_per_household(poor, counts["exclusion_match"], "exclusion-list matches")
    kinds = ["vehicle", "state_paid", "business", "housing"]
    return [(kinds[i % 4], row["id_number"]) for i, row in enumerate(listed)]


def write(rows, out: Path) -> None:
    """Write rows in the template: .xlsx or .csv (UTF-8 with BOM, so Excel reads it)."""
    headers = [column.header for column in COLUMNS]
    keys = [column.key for column in COLUMNS]
    if out.suffix.lower() == ".xlsx":
        from fupin.registry.excel import write_rows_xlsx

        write_rows_xlsx(out, headers, ([row.get(k, "") for k in keys] for row in rows))
        return
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(key, "") for key in keys])


def write_exclusions(entries: list[tuple[str, str]], out: Path) -> None:
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kind", "id_number", "source"])
        for kind, id_number in entries:
            writer.writerow([kind, id_number, "合成数据"])
