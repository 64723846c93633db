"""The procedures' data every installation starts with: the four workflows for every
province (blank province) and the monitoring risk types. Migration 0002 seeds them (its own
frozen copy); `ensure_defaults` puts back what is missing — for the demo, and for tests after
a transactional test has emptied the tables. A province edits its own copy of a workflow (a
row with its code) in the admin; the blank one stays the default."""

V, T, C = 5, 4, 3  # the level that acts: village, township, county
VILLAGE_ROLES = ["village_clerk", "resident_team"]
TOWNSHIP_ROLES = ["township_reviewer"]
COUNTY_ROLES = ["county_approver"]

# step: (code, name, English name, roles, level, options)
WORKFLOWS = {
    "identification": (
        "贫困户识别",
        "Identification of poor households",
        [
            ("application", "农户申请", "Application or proposal", VILLAGE_ROLES, V, {}),
            (
                "group_appraisal",
                "村民小组民主评议",
                "Villager-group democratic appraisal",
                VILLAGE_ROLES,
                V,
                {"vote": True},
            ),
            (
                "exclusion_check",
                "比对排除",
                "Cross-check against the exclusion lists",
                VILLAGE_ROLES,
                V,
                {"auto_check": "exclusions"},
            ),
            (
                "representatives_appraisal",
                "村民代表评议",
                "Village representatives' appraisal",
                VILLAGE_ROLES,
                V,
                {"vote": True},
            ),
            (
                "village_verification",
                "村两委和驻村工作队核实",
                "Verification by the village committee and resident team",
                VILLAGE_ROLES,
                V,
                {},
            ),
            (
                "first_notice",
                "村内第一次公示",
                "First public notice in the village",
                VILLAGE_ROLES,
                V,
                {"is_notice": True, "notice_days": 7},
            ),
            ("township_review", "乡镇审核", "Township review", TOWNSHIP_ROLES, T, {}),
            (
                "second_notice",
                "第二次公示",
                "Second public notice",
                TOWNSHIP_ROLES,
                T,
                {"is_notice": True, "notice_days": 7},
            ),
            ("county_approval", "县级审批", "County approval", COUNTY_ROLES, C, {}),
            (
                "announcement",
                "公告",
                "Announcement",
                COUNTY_ROLES,
                C,
                {"is_notice": True, "notice_days": 7, "completes": True},
            ),
        ],
    ),
    "exit": (
        "贫困户退出",
        "Exit of poor households",
        [
            ("appraisal", "民主评议", "Democratic appraisal", VILLAGE_ROLES, V, {"vote": True}),
            (
                "verification",
                "村两委和驻村工作队核实",
                "Verification by the village committee and resident team",
                VILLAGE_ROLES,
                V,
                {"auto_check": "exit_standard"},
            ),
            (
                "agreement",
                "贫困户认可签字",
                "Household agreement (signed)",
                VILLAGE_ROLES,
                V,
                {"needs_document": True},
            ),
            (
                "village_notice",
                "村内公示",
                "Public notice in the village",
                VILLAGE_ROLES,
                V,
                {"is_notice": True, "notice_days": 7},
            ),
            (
                "township_notice",
                "乡镇审核公示",
                "Township review and notice",
                TOWNSHIP_ROLES,
                T,
                {"is_notice": True, "notice_days": 7},
            ),
            (
                "announcement",
                "县级公告退出",
                "County announcement",
                COUNTY_ROLES,
                C,
                {"is_notice": True, "notice_days": 7, "completes": True},
            ),
        ],
    ),
    "monitoring": (
        "防返贫监测对象纳入",
        "Inclusion as a monitored household",
        [
            ("proposal", "农户申报或干部排查", "Report or proposal", VILLAGE_ROLES, V, {}),
            (
                "village_appraisal",
                "村级民主评议",
                "Village democratic appraisal",
                VILLAGE_ROLES,
                V,
                {"vote": True},
            ),
            ("township_review", "乡镇审核", "Township review", TOWNSHIP_ROLES, T, {}),
            (
                "county_confirmation",
                "县级确认",
                "County confirmation",
                COUNTY_ROLES,
                C,
                {"completes": True},
            ),
        ],
    ),
    "risk_removal": (
        "监测对象风险消除",
        "Risk removal of a monitored household",
        [
            ("proposal", "村级提出", "Proposal by the village", VILLAGE_ROLES, V, {}),
            (
                "verification",
                "入户核实",
                "Verification: stable income and secure guarantees",
                VILLAGE_ROLES,
                V,
                {"auto_check": "risk_removal"},
            ),
            (
                "village_appraisal",
                "村级民主评议",
                "Village democratic appraisal",
                VILLAGE_ROLES,
                V,
                {"vote": True},
            ),
            (
                "notice",
                "村内公示",
                "Public notice in the village",
                VILLAGE_ROLES,
                V,
                {"is_notice": True, "notice_days": 5},
            ),
            ("township_review", "乡镇审核", "Township review", TOWNSHIP_ROLES, T, {}),
            (
                "county_confirmation",
                "县级确认风险消除",
                "County confirmation",
                COUNTY_ROLES,
                C,
                {"completes": True},
            ),
        ],
    ),
}

RISK_TYPES = [
    ("illness", "因病", "Illness"),
    ("disability", "因残", "Disability"),
    ("schooling", "因学", "Schooling costs"),
    ("disaster", "因灾", "Disaster"),
    ("accident", "因意外事故", "Accident"),
    ("industry_failure", "产业失败", "Failed industry"),
    ("unstable_employment", "务工就业不稳", "Unstable work"),
    ("lack_labour", "缺劳动力", "Lack of labour"),
    ("housing", "住房安全", "Housing safety"),
    ("water", "饮水安全", "Drinking-water safety"),
    ("income_shock", "收入骤减或支出骤增", "Sudden fall in income or rise in spending"),
    ("other", "其他", "Other"),
]


def seed(Workflow, StepDefinition, RiskType, workflows=WORKFLOWS, risk_types=RISK_TYPES):
    """Create what is missing of the default workflows and risk types (never changes a row
    an administrator edited). Takes the models so that the migration can pass its own."""
    for kind, (name, name_en, steps) in workflows.items():
        workflow, created = Workflow.objects.get_or_create(
            province="", kind=kind, defaults={"name": name, "name_en": name_en}
        )
        if not created and StepDefinition.objects.filter(workflow=workflow).exists():
            continue
        StepDefinition.objects.bulk_create(
            StepDefinition(
                workflow=workflow,
                order=order,
                code=code,
                name=step_name,
                name_en=step_en,
                roles=roles,
                level=level,
                **options,
            )
            for order, (code, step_name, step_en, roles, level, options) in enumerate(
                steps, start=1
            )
        )
    for order, (code, name, name_en) in enumerate(risk_types, start=1):
        RiskType.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )


def ensure_defaults() -> None:
    from fupin.procedures.models import RiskType, StepDefinition, Workflow

    seed(Workflow, StepDefinition, RiskType)
