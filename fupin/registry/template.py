"""The registry's import and export template: one row per person, household columns repeated.

Each column has an English key and a Chinese header; a file may use either in its header row.
`docs/import-format.md` is written from this table (tests check they agree).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.registry import choices as c

HOUSEHOLD, INCOME, MEMBER = "household", "income", "member"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header of the template
    label: str  # the English label (documentation, English error reports)
    part: str  # HOUSEHOLD, INCOME or MEMBER
    kind: str  # text, int, money, bool, choice, date, id_number, area
    required: bool = False
    choices: type[models.TextChoices] | None = None
    max_length: int = 0
    field: str = ""  # the model field, when it differs from the key

    @property
    def model_field(self) -> str:
        return self.field or self.key


def _c(*args, **kwargs) -> Column:
    return Column(*args, **kwargs)


COLUMNS: list[Column] = [
    _c("household_no", "户编号", "Household number", HOUSEHOLD, "text", True, max_length=32),
    _c("village_code", "村代码", "Village code", HOUSEHOLD, "area", True, field="village"),
    _c("group", "村民小组", "Villager group", HOUSEHOLD, "text", max_length=100),
    _c("address", "地址", "Address", HOUSEHOLD, "text", max_length=200),
    _c("phone", "联系电话", "Phone", HOUSEHOLD, "text", max_length=32),
    _c("status", "户状态", "Household status", HOUSEHOLD, "choice", True, c.Status),
    _c(
        "cancel_reason",
        "注销原因",
        "Reason for cancellation",
        HOUSEHOLD,
        "choice",
        choices=c.CancelReason,
    ),
    _c("attribute", "贫困户属性", "Poverty attribute", HOUSEHOLD, "choice", choices=c.Attribute),
    _c("year_registered", "识别年度", "Year registered", HOUSEHOLD, "int"),
    _c("year_exited", "脱贫年度", "Year exited", HOUSEHOLD, "int"),
    _c(
        "poverty_cause",
        "主要致贫原因",
        "Main cause of poverty",
        HOUSEHOLD,
        "choice",
        choices=c.PovertyCause,
    ),
    _c("dibao", "低保户", "Dibao household", HOUSEHOLD, "bool"),
    _c("five_guarantee", "五保户", "Five-guarantee household", HOUSEHOLD, "bool"),
    _c("special_support", "特困供养", "Special-support (destitute)", HOUSEHOLD, "bool"),
    _c("military_family", "军属", "Military family", HOUSEHOLD, "bool"),
    _c(
        "housing_grade",
        "住房安全等级",
        "Housing safety grade",
        HOUSEHOLD,
        "choice",
        choices=c.HousingGrade,
    ),
    _c(
        "housing_renovation",
        "危房改造",
        "Housing renovation",
        HOUSEHOLD,
        "choice",
        choices=c.HousingRenovation,
    ),
    _c("water_quality", "饮水水质", "Water quality", HOUSEHOLD, "choice", choices=c.WaterLevel),
    _c("water_quantity", "饮水水量", "Water quantity", HOUSEHOLD, "choice", choices=c.WaterLevel),
    _c(
        "water_convenience",
        "取水方便程度",
        "Water convenience",
        HOUSEHOLD,
        "choice",
        choices=c.WaterLevel,
    ),
    _c(
        "water_reliability",
        "供水保证率",
        "Water reliability",
        HOUSEHOLD,
        "choice",
        choices=c.WaterLevel,
    ),
    _c("electricity", "通生活用电", "Household electricity", HOUSEHOLD, "bool"),
    _c("road", "通硬化路", "Hardened road to the group", HOUSEHOLD, "bool"),
    _c("income_year", "收入年度", "Income year", INCOME, "int", field="year"),
    _c("wage", "工资性收入", "Wage income", INCOME, "money"),
    _c("operating_income", "生产经营性收入", "Operating income", INCOME, "money"),
    _c("operating_costs", "生产经营性支出", "Operating costs", INCOME, "money"),
    _c("property", "财产性收入", "Property income", INCOME, "money"),
    _c("transfer_pension", "养老金", "Pensions", INCOME, "money"),
    _c("transfer_dibao", "低保五保金", "Dibao and five-guarantee payments", INCOME, "money"),
    _c("transfer_subsidy", "政策性补贴", "Policy subsidies", INCOME, "money"),
    _c("transfer_other", "其他转移性收入", "Other transfers", INCOME, "money"),
    _c(
        "excluded_earmarked",
        "专项补助（不计入）",
        "Earmarked grants (not counted)",
        INCOME,
        "money",
    ),
    _c("excluded_one_off", "一次性救助（不计入）", "One-off aid (not counted)", INCOME, "money"),
    _c("relation", "与户主关系", "Relation to head", MEMBER, "choice", True, c.Relation),
    _c("name", "姓名", "Name", MEMBER, "text", True, max_length=50),
    _c("id_number", "身份证号码", "Resident ID number", MEMBER, "id_number", True),
    _c("ethnicity", "民族", "Ethnicity", MEMBER, "text", max_length=20),
    _c("education", "文化程度", "Education", MEMBER, "choice", choices=c.Education),
    _c("schooling", "在校生状况", "Schooling status", MEMBER, "choice", choices=c.Schooling),
    _c("health", "健康状况", "Health", MEMBER, "choice", choices=c.Health),
    _c("disability_grade", "残疾等级", "Disability grade", MEMBER, "int"),
    _c("labour", "劳动技能", "Labour capacity", MEMBER, "choice", choices=c.Labour),
    _c("migrant_months", "务工时间（月）", "Months of migrant work", MEMBER, "int"),
    _c("migrant_place", "务工地点", "Place of migrant work", MEMBER, "text", max_length=100),
    _c("medical_insurance", "基本医疗保险", "Basic medical insurance", MEMBER, "bool"),
    _c("serious_illness_insurance", "大病保险", "Serious-illness insurance", MEMBER, "bool"),
    _c("pension_insurance", "养老保险", "Pension insurance", MEMBER, "bool"),
    _c("party_member", "党员", "Party member", MEMBER, "bool"),
    _c("veteran", "退役军人", "Veteran", MEMBER, "bool"),
    _c("college_student", "大学生", "College student", MEMBER, "bool"),
    _c(
        "member_status",
        "人员状态",
        "Member status",
        MEMBER,
        "choice",
        choices=c.MemberStatus,
        field="status",
    ),
    _c(
        "departed_on",
        "死亡或迁出日期",
        "Date deceased or moved out",
        MEMBER,
        "date",
        field="departed_on",
    ),
]

BY_KEY = {column.key: column for column in COLUMNS}
HOUSEHOLD_COLUMNS = [col for col in COLUMNS if col.part == HOUSEHOLD]
INCOME_COLUMNS = [col for col in COLUMNS if col.part == INCOME]
MEMBER_COLUMNS = [col for col in COLUMNS if col.part == MEMBER]

# Defaults written when a column is absent or blank (matching the model defaults).
BLANK_DEFAULTS = {
    "status": c.Status.NOT_REGISTERED,
    "housing_renovation": c.HousingRenovation.NONE,
    "schooling": c.Schooling.NOT_APPLICABLE,
    "health": c.Health.HEALTHY,
    "member_status": c.MemberStatus.PRESENT,
    "electricity": True,
    "road": True,
    "migrant_months": 0,
}

TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", ""}

TEMPLATE_TITLE = _("Registry import template")


def column_title(key: str) -> str:
    """A column as the reader of a report knows it: the template's Chinese header, or its
    English label when English is the active language."""
    from django.utils import translation

    if not key:
        return ""
    column = BY_KEY[key]
    return column.label if (translation.get_language() or "").startswith("en") else column.header
