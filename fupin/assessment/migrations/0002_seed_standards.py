"""Seed the standards with the values of docs/domain.md (shared). Administrators edit them.

Values marked unverified there are seeded as written and say so in their note. Re-running is
harmless: rows that exist are left as they are (an administrator may have edited them).
"""

from decimal import Decimal

from django.db import migrations

UNVERIFIED = "unverified: check the official figure"
POVERTY_LINES = [
    (2011, "2536", ""),
    (2012, "2625", ""),
    (2013, "2736", ""),
    (2014, "2800", ""),
    (2015, "2855", ""),
    (2016, "2952", ""),
    (2017, "2952", "≈ " + UNVERIFIED),
    (2018, "2995", "≈ " + UNVERIFIED),
    (2019, "3218", ""),
    (2020, "4000", "≈ " + UNVERIFIED),
]
MONITORING_THRESHOLDS = [(2021, "6000", "about 1.5 × the poverty line; " + UNVERIFIED)]
WESTERN_PROVINCES = [
    ("15", "内蒙古自治区"),
    ("45", "广西壮族自治区"),
    ("50", "重庆市"),
    ("51", "四川省"),
    ("52", "贵州省"),
    ("53", "云南省"),
    ("54", "西藏自治区"),
    ("61", "陕西省"),
    ("62", "甘肃省"),
    ("63", "青海省"),
    ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
]
NATIONAL_RULES = {
    "school_age_from": 6,
    "school_age_to": 15,
    "age_reference_month": 8,
    "age_reference_day": 31,
    "require_serious_illness_insurance": True,
    "safe_housing_grades": "AB",
    "water_quality_min": "basic",
    "water_quantity_min": "basic",
    "water_convenience_min": "basic",
    "water_reliability_min": "basic",
    "water_safe_litres": 40,
    "water_basic_litres": 20,
    "water_safe_minutes": 10,
    "water_basic_minutes": 20,
    "water_safe_reliability": 95,
    "water_basic_reliability": 90,
    "no_exit_in_registration_year": True,
    "income_fall_share": Decimal("0.3000"),
    "medical_expense_threshold": Decimal("10000"),
    "flag_disasters": True,
    "flag_guarantees": True,
    "county_wrongful_exit_max": Decimal("0.0200"),
    "county_omission_max": Decimal("0.0200"),
    "county_recognition_min": Decimal("0.9000"),
}
# Guangxi's 十一有一低于: the "一低于" (incidence below 3 %) is computed, not checked off.
GUANGXI_CHECKLIST = [
    ("industry", "有特色产业", "A specialty industry"),
    ("housing", "有住房保障", "Housing secured"),
    ("medical", "有基本医疗保障", "Basic medical care secured"),
    ("education", "有义务教育保障", "Compulsory education secured"),
    ("road", "有路通村屯", "Roads to the village and its groups"),
    ("water", "有饮水安全", "Safe drinking water"),
    ("electricity", "有电用", "Electricity"),
    ("public_facilities", "有公共服务设施", "Public service facilities"),
    ("tv", "有电视看", "Television"),
    ("collective_income", "有村集体经济收入", "Collective economic income"),
    ("committee", "有好的“两委”班子", "A good village committee"),
]
INDICES = [
    (
        "guarantees",
        "两不愁三保障指数",
        "Two no-worries, three guarantees index",
        "1/3",
        [
            ("income", "两不愁 / income", "1/3"),
            ("education", "义务教育 / education", "1/6"),
            ("medical", "基本医疗 / medical care", "1/6"),
            ("housing", "住房安全 / housing", "1/6"),
            ("water", "饮水安全 / drinking water", "1/6"),
        ],
    ),
    (
        # UNDP's global MPI restricted to the indicators the registry holds: health has no data,
        # so education and living standards weigh 1/2 each (UNDP reweights within the others).
        "global",
        "全球多维贫困指数（登记数据可得指标）",
        "Global MPI (indicators the registry holds)",
        "1/3",
        [
            ("years_of_schooling", "教育 / education", "1/4"),
            ("school_attendance", "教育 / education", "1/4"),
            ("drinking_water", "生活水平 / living standards", "1/6"),
            ("electricity", "生活水平 / living standards", "1/6"),
            ("housing_global", "生活水平 / living standards", "1/6"),
        ],
    ),
]


def seed(apps, schema_editor):
    get = apps.get_model
    for year, amount, note in POVERTY_LINES:
        get("assessment", "PovertyLine").objects.get_or_create(
            year=year, province="", defaults={"amount": Decimal(amount), "note": note}
        )
    for year, amount, note in MONITORING_THRESHOLDS:
        get("assessment", "MonitoringThreshold").objects.get_or_create(
            year=year, province="", defaults={"amount": Decimal(amount), "note": note}
        )
    region = get("assessment", "RegionType")
    western, _ = region.objects.get_or_create(
        code="western",
        defaults={"name": "西部地区", "incidence_threshold": Decimal("0.03")},
    )
    region.objects.get_or_create(
        code="other",
        defaults={"name": "其他地区", "incidence_threshold": Decimal("0.02"), "is_default": True},
    )
    for province, name in WESTERN_PROVINCES:
        get("assessment", "ProvinceRegion").objects.get_or_create(
            province=province, defaults={"name": name, "region": western}
        )
    get("assessment", "RuleSet").objects.get_or_create(province="", defaults=NATIONAL_RULES)
    for order, (code, name, name_en) in enumerate(GUANGXI_CHECKLIST, start=1):
        get("assessment", "ChecklistItem").objects.get_or_create(
            province="45", code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )
    for order, (code, name, name_en, cutoff, indicators) in enumerate(INDICES, start=1):
        index, created = get("assessment", "MPIIndex").objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "cutoff": cutoff, "order": order},
        )
        if created:
            for position, (indicator, dimension, weight) in enumerate(indicators, start=1):
                get("assessment", "MPIIndicator").objects.create(
                    index=index,
                    code=indicator,
                    dimension=dimension,
                    weight=weight,
                    order=position,
                )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
