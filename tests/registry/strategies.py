"""Hypothesis strategies: registries as a clerk may write them in the template."""

import datetime
from types import SimpleNamespace

from hypothesis import strategies as st

from fupin.registry.excel import looks_like_formula
from fupin.registry.template import INCOME_COLUMNS
from tests.registry.factories import household_rows

STATUSES = ["一般农户", "建档立卡贫困户", "已脱贫户", "monitored", "已注销"]
MIN_DATE, MAX_DATE = datetime.date(2000, 1, 1), datetime.date(2019, 12, 31)
ATTRIBUTES = ["一般贫困户", "dibao", "Special-support poor"]
VILLAGE_A1 = SimpleNamespace(code="450101001001", name="甲一村")
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn", "Co", "Z")), max_size=20
).filter(lambda text: not looks_like_formula(text))


@st.composite
def registries(draw):
    """One to three households of village A1, in any spelling the template accepts."""
    households = []
    for _ in range(draw(st.integers(1, 3))):
        status = draw(st.sampled_from(STATUSES))
        fields = {
            "status": status,
            "year_registered": "" if status == "一般农户" else "2016",
            "year_exited": "2019" if status == "已脱贫户" else "",
            "attribute": "" if status == "一般农户" else draw(st.sampled_from(ATTRIBUTES)),
            "group": draw(st.sampled_from(["", "甲一屯", "甲二屯"])),
            "dibao": draw(st.sampled_from(["是", "否", "yes", "0", ""])),
            "housing_grade": draw(st.sampled_from(["", "A", "B级（基本安全）", "D (unsafe)"])),
            "wage": str(draw(st.decimals(0, 10**8, places=2))),
            "transfer_dibao": draw(st.sampled_from(["", "0", "1800", "1,800.5"])),
            "address": draw(TEXT),
            "phone": draw(st.sampled_from(["", "+86 138 0000 0000", "0771-1234567"])),
            "cancel_reason": draw(st.sampled_from(["全户迁出", "merged"]))
            if status == "已注销"
            else "",
        }
        if draw(st.booleans()):  # no income
            fields.update({column.key: "" for column in INCOME_COLUMNS})
        rows = household_rows(VILLAGE_A1, members=draw(st.integers(1, 4)), **fields)
        for row in rows[1:]:
            row["migrant_months"] = str(draw(st.integers(0, 12)))
            row["health"] = draw(st.sampled_from(["健康", "chronic", "Disabled", "残疾"]))
            if row["health"] in {"Disabled", "残疾"}:
                row["disability_grade"] = str(draw(st.integers(1, 4)))
            row["member_status"] = draw(st.sampled_from(["", "在册", "死亡", "moved_out"]))
            if row["member_status"] in {"死亡", "moved_out"}:
                row["departed_on"] = str(draw(st.dates(MIN_DATE, MAX_DATE)))
            row["ethnicity"] = draw(TEXT)
        households.extend(rows)
    return households
