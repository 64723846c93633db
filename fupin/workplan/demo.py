"""The seed plan (shared/seeds/000_…txt) as demo data, exactly: its text, ten projects, 1457 万元.

Two copies of the plan are loaded in the seed's village:

* 2019, the seed's own year, told as of the year's end: most projects completed or accepted
  on their real completion dates (some of them late), the dam and the oil tea still open,
  two projects overspent. Pages judge lateness against the real date, so 2019's two open
  projects show as years late — which is what an unfinished 2019 project is.
* the current year, the same plan with progress dated up to today only, so that the Gantt
  chart's "today" line falls among the bars and the warnings (late, stale, overspent) are
  those of a plan in progress. Loading twice on one day gives the same data; loading on a
  later day adds the updates whose dates have since passed.

Idempotent: every row is found by a natural key (plan by area and year, project by plan and
number, money by voucher number …) and updated in place.
"""

from datetime import date
from decimal import Decimal

from fupin.workplan.models import (
    AnnualPlan,
    Category,
    Department,
    Expenditure,
    FundingSource,
    Objective,
    ProgressUpdate,
    Project,
    Quantity,
    Status,
    Unit,
    WorkItem,
)

SEED_YEAR = 2019
D = Decimal

DEPARTMENTS = {
    "org": ("区委组织部", "District Organization Department"),
    "family": ("区计生局", "District Family Planning Bureau"),
    "health": ("区卫生局", "District Health Bureau"),
    "culture": ("区文化局", "District Cultural Bureau"),
    "water": ("区水利局", "District Water Resources Bureau"),
    "poverty": ("区扶贫办", "District Poverty Alleviation Office"),
    "land": ("区国土资源局", "District Land and Resources Bureau"),
    "transport": ("区交通局", "District Transportation Bureau"),
    "agriculture": ("区农业局", "District Agricultural Bureau"),
    "forestry": ("区林业局", "District Forestry Bureau"),
    "education": ("区教育局", "District Education Bureau"),
}
# Demo users who report for a department.
DEPARTMENT_MEMBERS = {"water": ["water"]}

PLAN = {
    "title": "{village}{year}年度扶贫工作计划",
    "title_en": "{village} annual poverty-alleviation work plan {year}",
    "preamble": (
        "{year}年，扶贫点——{village}继续按照“经济强村、产业富村、科技兴村、文明立村”的发展"
        "思路，坚持“连片开发、规模布局、有序发展、共同发展”的工作思路，以调整农业结构、发展"
        "高效农业为主题，以改善群众生产生活环境、增加农民收入为目的，实现{village}富裕、稳定、"
        "和谐发展的目标，进一步提高新农村建设水平。为做好贫困村扶贫开发工作，推动全村各项工作，"
        "特制定本年度工作计划。"
    ),
    "preamble_en": (
        "In {year} the poverty-alleviation point {village} continues to follow the development "
        "ideas of an economically strong village, an industry-rich village, a village of "
        "science and technology and a civilized village, working contiguously, at scale, in "
        "order and together; it takes adjusting the agricultural structure and developing "
        "high-efficiency agriculture as its theme, improving people's living environment and "
        "farmers' incomes as its aim, for a prosperous, stable and harmonious village. To "
        "carry out poverty alleviation and development in the village we set this year's "
        "work plan."
    ),
    "guiding_ideology": (
        "以邓小平理论、“xxxx”重要思想和党的十八大精神为指导，深入贯彻落实科学发展观，全面落实"
        "《国务院关于进一步促进广西经济社会发展的若干意见》，紧紧抓住重要战略机遇，体现大扶贫"
        "要求，统筹规划、精心部署、全面落实，为贫困村脱贫奠定坚实基础。"
    ),
    "guiding_ideology_en": (
        "Guided by Deng Xiaoping Theory, the important thinking of “xxxx” and the spirit of "
        "the Party's 18th National Congress, we apply the scientific outlook on development "
        "and the State Council's Opinions on Further Promoting Guangxi's Economic and Social "
        "Development, seize the strategic opportunities, and plan as a whole, deploy with "
        "care and carry everything out, laying a solid foundation for the village to leave "
        "poverty behind."
    ),
    "objectives_intro": (
        "围绕到2020年全国基本消除绝对贫困人口、实现“两不愁三保障”、全面建成小康社会的目标，"
        "到本年底，贫困村农民人均纯收入增幅达到或超过全区平均水平；基础设施和村容村貌明显改善；"
        "特色增收产业基本形成；农民健康水平、综合素质和自我发展能力明显提高。"
    ),
    "objectives_intro_en": (
        "In line with the national goal of basically eliminating absolute poverty by 2020, "
        "achieving the two no-worries and three guarantees and building a moderately "
        "prosperous society: by the end of this year the per-capita income of the poor "
        "village grows at least as fast as the district average; infrastructure and the "
        "village's appearance clearly improve; a characteristic income-raising industry "
        "basically takes shape; farmers' health, overall quality and ability to develop "
        "themselves clearly improve."
    ),
    "closing": (
        "总之，通过一年的努力，使{village}各项社会事业不断发展，群众生活水平普遍提高，社会稳定，"
        "国泰民安，向自治区党委、政府交一份满意的答卷。"
    ),
    "closing_en": (
        "In short, through a year's effort the village's undertakings keep developing, "
        "people's living standards generally rise and society is stable: a satisfactory "
        "answer to the Party committee and government of the autonomous region."
    ),
}

# number, description, indicator, target, actual in 2019, met — and the English.
OBJECTIVES = [
    (
        1,
        ("贫困户人均纯收入增幅", "Growth of poor households' per-capita net income"),
        ("与全区平均增幅比较", "compared with the district's average growth"),
        ("不低于全区平均水平", "at least the district average"),
        "增长11.2%（全区平均9.6%）",
        True,
    ),
    (
        2,
        ("到2020年基本消除绝对贫困人口", "Absolute poverty eliminated by 2020"),
        ("贫困发生率", "poverty incidence"),
        ("本年底低于3%，2020年消除", "below 3 % this year, none in 2020"),
        "1.8%",
        True,
    ),
    (
        3,
        ("实现“两不愁三保障”", "Two no-worries and three guarantees secured"),
        ("未达标户数", "households not meeting them"),
        ("0户", "0 households"),
        "0户",
        True,
    ),
    (
        4,
        ("基础设施明显改善", "Infrastructure clearly improved"),
        ("计划项目完工率", "share of planned projects completed"),
        ("100%", "100 %"),
        "80%",
        False,
    ),
    (
        5,
        ("特色增收产业基本形成", "A characteristic income-raising industry formed"),
        ("油茶低产改造面积", "oil tea transformed"),
        ("500亩", "500 mu"),
        "300亩",
        False,
    ),
]

WORK_ITEMS = [
    (
        1,
        "party_building",
        ("抓好党建和学习宣传", "Party building, study and publicity"),
        (
            "带领村干部和党员认真宣传、贯彻、学好党的十八大和今年“两会”精神，抓牢村级党建工作，"
            "巩固党组织在农村的执政地位，加快培养农村党组织后备力量。主要做法：抓好学习宣传工作；"
            "深入调研、摸底、走访，包括：1.建立民情日记和档案；2.召开村“两委”座谈会；3.深入田间"
            "地头，走访农户，召开村民小组座谈会；4.加强入党积极分子和党员的教育培训。走访村里"
            "贫困户，给予重点帮扶，力争计划内贫困户脱贫。"
        ),
        (
            "Lead village cadres and Party members in studying the spirit of the 18th National "
            "Congress and this year's two sessions; keep the village's Party building firm and "
            "train reserve forces. Mainly: study and publicity; research, mapping and visits: "
            "1. a people's-affairs diary and archive; 2. a symposium of the village two "
            "committees; 3. field visits to farmers and symposiums of villager groups; 4. "
            "education and training of Party activists and members. Visit the poor households "
            "and give them key assistance so that those planned to exit do."
        ),
    ),
    (
        2,
        "coordination",
        ("村综合服务中心建设", "The village's comprehensive service centre"),
        (
            "协调区委组织部、计生局、卫生局、文化局等职能部门投资建设村综合服务中心，并监督上年"
            "局拨资金的使用。"
        ),
        (
            "Coordinate the Organization Department, the Family Planning, Health and Cultural "
            "Bureaus and other departments to build the village's comprehensive service centre, "
            "and supervise the use of the funds the bureau granted last year."
        ),
    ),
    (
        3,
        "coordination",
        ("人畜饮水工程", "Drinking water for people and livestock"),
        "跟踪协调区水利局实施那马屯、六合屯人畜饮水工程。",
        "Track and coordinate the Water Resources Bureau's drinking-water project.",
    ),
    (
        4,
        "coordination",
        ("农田水利及道路", "Irrigation and roads"),
        "协调跟踪全村农田水利渠道和马鸡马屯道路建设。",
        "Coordinate and track the irrigation channel and the Majima road.",
    ),
    (
        5,
        "coordination",
        ("道路和堤坝建设", "Roads and the dam"),
        (
            "协调区扶贫办、国土资源局等职能部门实施屯级道路、入户道路改造和道路硬化，跟踪区国土"
            "资源局实施大板田堤坝建设。"
        ),
        (
            "Coordinate the Poverty Alleviation Office, the Land and Resources Bureau and other "
            "departments on the roads, and track the Land and Resources Bureau's dam."
        ),
    ),
    (
        6,
        "coordination",
        ("桥梁维修、道路硬化和特色产业", "Bridge repair, road hardening and industry"),
        (
            "继续跟踪区交通局完成二桥维修；协调区农业局水泥，发动群众投工投劳完成道路硬化；协调"
            "林业局完成油茶低产改造，形成以油茶为主的“一村一品”特色产业。"
        ),
        (
            "Track the Transportation Bureau's repair of the Second Bridge; coordinate cement "
            "from the Agricultural Bureau for road hardening by villagers' labour; coordinate "
            "the Forestry Bureau's oil-tea transformation: one village, one product."
        ),
    ),
    (
        7,
        "coordination",
        ("六合峪教学点建设", "Liuheyu teaching site"),
        (
            "通过区教育局等渠道，为六合峪教学点建设厕所、硬化操场等基础设施，努力创造更好的教书育人"
            "环境。"
        ),
        (
            "Through the Education Bureau and other channels build toilets, a hardened "
            "playground and other facilities for the Liuheyu teaching site."
        ),
    ),
    (
        8,
        "social_stability",
        ("维护社会稳定", "Social stability"),
        (
            "加强宣传引导，调动群众参与新农村建设的积极性和主动性，维护社会稳定，化解群众矛盾，确保"
            "不发生重大上访和群体性事件。主要包括：1.调解处理矛盾纠纷；2.开展警示教育：崇尚科学、"
            "关爱家庭、珍惜生命；3.加强法制教育，帮助村民树立遵纪守法、勤劳致富的良好思想。"
        ),
        (
            "Strengthen publicity and guidance, mobilise people for the new countryside, keep "
            "society stable and resolve conflicts so that no major petitions or mass incidents "
            "occur. Mainly: 1. mediating disputes; 2. warning education: advocating science, "
            "caring for the family, cherishing life; 3. legal education, so that villagers "
            "abide by the law and grow rich by hard work."
        ),
    ),
    (
        9,
        "vocational_education",
        ("职业教育和技能培训", "Vocational education and skills training"),
        (
            "依托局属广西第一工业学校、电力技术学校开设的中等职业教育和成人教育专业，向本村初、"
            "高中毕业生和准备外出务工的青年大力宣传、积极推荐，开展学历教育和技能培训。"
        ),
        (
            "Promote the secondary vocational and adult education of the Guangxi First "
            "Industrial School and the Power Technology School, directly under the bureau, to "
            "the village's young people — junior and senior high-school graduates and those "
            "preparing to work away — and recommend them for education and skills training."
        ),
    ),
    (
        10,
        "festival_visit",
        ("节日慰问", "Festival visits"),
        (
            "春节前夕，局领导班子到村慰问特困户、五保户、低保户、老党员、老退伍军人、贫困大学生和"
            "村“两委”干部，送去党的温暖和领导的关怀。"
        ),
        (
            "On the eve of the Spring Festival the bureau's leaders visit destitute, "
            "five-guarantee and dibao households, old Party members, veterans, poor college "
            "students and the village's two-committee cadres, bringing the Party's warmth."
        ),
    ),
]

# The projects, in the seed's order. Money in yuan. Months: start, completion (None: within
# the year). quantities: (what, what in English, amount, unit). funding: (kind, department
# key, planned yuan or None if not valued, in kind text, English).
PROJECTS = [
    {
        "number": 1,
        "work_item": 2,
        "name": ("村综合服务中心建设", "Village comprehensive service centre"),
        "category": Category.PUBLIC_SERVICE,
        "lead": "org",
        "partners": ["family", "health", "culture"],
        "groups": [],
        "months": (3, 6),
        "schedule_note": "6月主体工程完工，年内交付使用",
        "carry_over_note": "监督上年局拨资金的使用",
        "quantities": [],
        "funding": [("department_budget", "org", D(350000), "", "")],
    },
    {
        "number": 2,
        "work_item": 3,
        "name": (
            "那马屯、六合屯人畜饮水工程",
            "Drinking water for people and livestock in Naoma and Liuhetun",
        ),
        "category": Category.DRINKING_WATER,
        "lead": "water",
        "partners": [],
        "groups": ["Naoma", "Liuhetun"],
        "months": (None, None),
        "persons_served": 600,
        "quantities": [("解决饮水困难人口", "people given safe water", D(600), Unit.PERSON)],
        "funding": [("department_budget", "water", D(300000), "", "")],
    },
    {
        "number": 3,
        "work_item": 4,
        "name": ("农田水利渠道及马鸡马屯道路", "Irrigation channel and Majima road"),
        "category": Category.IRRIGATION,
        "lead": "water",
        "partners": ["transport"],
        "groups": ["Majima"],
        "months": (None, 7),
        "quantities": [
            ("农田水利渠道", "irrigation channel", D(12), Unit.KM),
            ("马鸡马屯道路", "Majima road", D("1.6"), Unit.KM),
        ],
        "funding": [("department_budget", "water", D(4800000), "", "")],
    },
    {
        "number": 4,
        "work_item": 5,
        "name": (
            "那环屯、平里屯等屯级道路及入户道路改造",
            "Roads in Nahuan, Pingli and household access roads",
        ),
        "category": Category.ROAD,
        "lead": "poverty",
        "partners": ["land"],
        "groups": ["Nahuan", "Pingli"],
        "months": (None, 8),
        "quantities": [
            ("那环屯道路", "Nahuan road", D("0.3"), Unit.KM),
            ("“母”屯道路（译文作 the mother）", "road at “the mother”", D(3), Unit.KM),
            ("平里屯道路", "Pingli road", D("0.5"), Unit.KM),
            ("入户道路改造", "household access roads", D("0.8"), Unit.KM),
        ],
        "funding": [("poverty_fund", "poverty", D(920000), "", "")],
    },
    {
        "number": 5,
        "work_item": 5,
        "name": ("二桥头至边家屯道路硬化", "Erqiaotou–Bianjiatun road hardening"),
        "category": Category.ROAD,
        "lead": "poverty",
        "partners": ["land"],
        "groups": ["Erqiaotou", "Bianjiatun"],
        "months": (None, 10),
        "quantities": [("道路硬化", "road hardening", D("2.8"), Unit.KM)],
        "funding": [("poverty_fund", "poverty", D(2000000), "", "")],
    },
    {
        "number": 6,
        "work_item": 5,
        "name": ("大板田堤坝建设", "Dabantian dam"),
        "category": Category.DAM,
        "lead": "land",
        "partners": [],
        "groups": ["Dabantian"],
        "months": (None, 11),
        "quantities": [("堤坝", "dam", D(3), Unit.KM)],
        "funding": [("department_budget", "land", D(6000000), "", "")],
    },
    {
        "number": 7,
        "work_item": 6,
        "name": ("二桥维修", "Second Bridge repair"),
        "category": Category.BRIDGE,
        "lead": "transport",
        "partners": [],
        "groups": ["Erqiaotou"],
        "months": (None, 2),
        "quantities": [],
        "funding": [("department_budget", "transport", D(150000), "", "")],
    },
    {
        "number": 8,
        "work_item": 6,
        "name": (
            "水泥路面硬化（群众投工投劳）",
            "Road hardening with cement by villagers' labour",
        ),
        "category": Category.ROAD,
        "lead": "agriculture",
        "partners": [],
        "groups": [],
        "months": (None, None),
        "quantities": [("水泥", "cement", D(50), Unit.TON)],
        "funding": [
            ("in_kind", "agriculture", None, "水泥50吨", "50 tons of cement"),
            ("labour", None, None, "群众投工投劳", "villagers' labour"),
        ],
    },
    {
        "number": 9,
        "work_item": 6,
        "name": (
            "油茶低产改造（一村一品）",
            "Oil-tea low-yield transformation (one village, one product)",
        ),
        "category": Category.INDUSTRY,
        "lead": "forestry",
        "partners": [],
        "groups": [],
        "months": (None, None),
        "quantities": [("油茶低产改造", "oil tea transformed", D(500), Unit.MU)],
        "funding": [("department_budget", "forestry", None, "", "")],
    },
    {
        "number": 10,
        "work_item": 7,
        "name": ("六合峪教学点厕所及硬化操场", "Liuheyu teaching site toilets and playground"),
        "category": Category.SCHOOL,
        "lead": "education",
        "partners": [],
        "groups": ["Liuheyu"],
        "months": (None, None),
        "quantities": [],
        "funding": [("department_budget", "education", D(50000), "", "")],
    },
]

# What happened, per project number: progress (month, day, percent, note), expenditures
# (month, day, yuan, voucher), final status and, when accepted, by when.
STORY_2019 = {
    1: (
        [(3, 18, 10, "开工"), (5, 20, 70, ""), (6, 25, 100, "主体工程完工")],
        [(4, 10, 150000), (7, 5, 198000)],
        "accepted",
    ),
    2: (
        [(4, 2, 20, ""), (7, 15, 60, ""), (10, 15, 100, "通水")],
        [(5, 8, 120000), (10, 20, 180000)],
        "accepted",
    ),
    3: (
        [(3, 1, 15, ""), (6, 10, 60, ""), (9, 20, 100, "渠道、道路完工")],
        [(4, 1, 2000000), (7, 1, 1800000), (10, 8, 1150000)],
        "completed",
    ),
    4: ([(4, 15, 30, ""), (8, 28, 100, "")], [(5, 6, 400000), (9, 10, 515000)], "accepted"),
    5: (
        [(5, 10, 20, ""), (8, 30, 70, ""), (11, 30, 100, "")],
        [(6, 1, 800000), (12, 5, 1200000)],
        "completed",
    ),
    6: (
        [(4, 20, 10, ""), (8, 1, 45, ""), (12, 10, 75, "汛期停工两个月")],
        [(5, 15, 1500000), (9, 1, 1500000), (12, 15, 1200000)],
        "started",
    ),
    7: ([(1, 8, 30, ""), (2, 26, 100, "通车")], [(1, 20, 60000), (3, 5, 90000)], "accepted"),
    8: ([(9, 1, 40, "水泥到位，群众投工"), (12, 15, 100, "")], [], "completed"),
    9: ([(3, 10, 20, ""), (9, 30, 60, "已改造300亩")], [], "started"),
    10: ([(6, 5, 40, ""), (8, 20, 100, "")], [(6, 10, 20000), (8, 25, 32000)], "accepted"),
}

# The current year: the same plan under way; entries dated after today are left out.
STORY_CURRENT = {
    1: (
        [(3, 20, 10, ""), (5, 15, 60, ""), (6, 28, 100, "")],
        [(4, 1, 150000), (7, 2, 190000)],
        None,
    ),
    2: (
        [(4, 10, 30, ""), (7, 1, 70, ""), (9, 30, 100, "")],
        [(5, 1, 100000), (10, 8, 190000)],
        None,
    ),
    3: (
        [(4, 1, 20, ""), (6, 15, 55, ""), (8, 20, 80, ""), (10, 25, 90, "")],
        [(4, 15, 2000000), (8, 1, 2300000)],
        None,
    ),
    4: ([(5, 1, 30, ""), (8, 25, 100, "")], [(5, 20, 450000), (9, 1, 460000)], None),
    5: ([(6, 1, 20, ""), (9, 10, 65, "")], [(6, 15, 900000)], None),
    6: (
        [(3, 15, 10, ""), (7, 20, 50, ""), (11, 20, 92, "")],
        [(4, 1, 2000000), (8, 1, 2500000)],
        None,
    ),
    7: ([(1, 10, 40, ""), (2, 25, 100, "")], [(1, 15, 70000), (3, 1, 78000)], None),
    8: ([(9, 1, 40, ""), (11, 10, 80, "")], [], None),
    9: ([(3, 1, 30, ""), (10, 15, 70, "")], [], None),
    10: ([(7, 10, 100, "")], [(7, 15, 56000)], None),
}


def _upsert(model, lookup: dict, **values):
    """update_or_create, validated: find by natural key, set the values, full_clean, save."""
    obj = model.objects.filter(**lookup).first() or model(**lookup)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


def load_departments(district, users: dict) -> dict[str, Department]:
    departments = {}
    for key, (name, name_en) in DEPARTMENTS.items():
        department = _upsert(Department, {"area": district, "name": name}, name_en=name_en)
        members = [users[u] for u in DEPARTMENT_MEMBERS.get(key, []) if u in users]
        department.members.set(members)
        departments[key] = department
    return departments


def load_plan(
    *, village, groups: dict, departments: dict, year: int, story: dict, today, results: bool
):
    """`today`: the story's date (later entries are left out); `results`: whether the
    objectives' actual results are known (a past year)."""
    fill = {"village": village.name, "year": year}
    plan = _upsert(
        AnnualPlan,
        {"area": village, "year": year},
        **{key: text.format(**fill) for key, text in PLAN.items()},
    )
    for number, (desc, desc_en), (ind, ind_en), (target, target_en), actual, met in OBJECTIVES:
        _upsert(
            Objective,
            {"plan": plan, "number": number},
            description=desc,
            description_en=desc_en,
            indicator=ind,
            indicator_en=ind_en,
            target=target,
            target_en=target_en,
            actual=actual if results else "",
            met=met if results else None,
        )
    items = {}
    for number, kind, (title, title_en), body, body_en in WORK_ITEMS:
        items[number] = _upsert(
            WorkItem,
            {"plan": plan, "number": number},
            kind=kind,
            title=title,
            title_en=title_en,
            body=body,
            body_en=body_en,
        )
    for spec in PROJECTS:
        _load_project(plan, spec, items, groups, departments, story.get(spec["number"]), today)
    return plan


def _load_project(plan, spec, items, groups, departments, story, today):
    start, end = spec["months"]
    project = _upsert(
        Project,
        {"plan": plan, "number": spec["number"]},
        work_item=items[spec["work_item"]],
        name=spec["name"][0],
        name_en=spec["name"][1],
        category=spec["category"],
        lead_department=departments[spec["lead"]],
        planned_start_month=start,
        planned_completion_month=end,
        schedule_note=spec.get("schedule_note", ""),
        carry_over_note=spec.get("carry_over_note", ""),
        persons_served=spec.get("persons_served"),
    )
    project.partner_departments.set([departments[key] for key in spec["partners"]])
    project.locations.set([groups[name] for name in spec["groups"] if name in groups])
    for what, what_en, amount, unit in spec["quantities"]:
        _upsert(
            Quantity,
            {"project": project, "description": what},
            description_en=what_en,
            amount=amount,
            unit=unit,
        )
    progress, spending, final = story or ([], [], None)
    dated = [(date(plan.year, m, d), *rest) for m, d, *rest in progress]
    dated = [row for row in dated if row[0] <= today]
    paid = [(date(plan.year, m, d), amount) for m, d, amount in spending]
    paid = [row for row in paid if row[0] <= today]
    spent = sum((amount for _day, amount in paid), D(0))
    complete = bool(dated) and dated[-1][1] == 100
    for index, (kind, department, planned, in_kind, in_kind_en) in enumerate(spec["funding"]):
        # What arrived (到位): the whole plan once complete, else what has been spent; all
        # spending is from the first source.
        allocated = D(0)
        if planned is not None and index == 0:
            allocated = max(planned if complete else spent, spent)
        _upsert(
            FundingSource,
            {"project": project, "kind": kind},
            department=departments.get(department),
            planned_amount=planned,
            allocated_amount=allocated,
            in_kind=in_kind,
            in_kind_en=in_kind_en,
        )
    for day, percent, note in dated:
        _upsert(ProgressUpdate, {"project": project, "date": day}, percent=percent, note=note)
    source = spec["funding"][0][0]
    for index, (day, amount) in enumerate(paid, start=1):
        _upsert(
            Expenditure,
            {"project": project, "voucher_no": f"{plan.year}-{spec['number']:02d}-{index:03d}"},
            date=day,
            amount=amount,
            source=source,
        )
    _settle(project, dated, final)


def _settle(project, dated, final):
    """The project's status and latest progress, as the services would have left them."""
    project.started_on = dated[0][0] if dated else None
    project.last_progress_on = dated[-1][0] if dated else None
    project.progress_percent = dated[-1][1] if dated else 0
    finished = bool(dated) and dated[-1][1] == 100
    project.completed_on = dated[-1][0] if finished else None
    if final:
        project.status = final
    elif finished:
        project.status = Status.COMPLETED
    else:
        project.status = Status.STARTED if dated else Status.PLANNED
    project.full_clean()
    project.save()


def load_demo(context, today: date | None = None) -> None:
    today = today or date.today()
    district = context.village.parent.parent
    departments = load_departments(district, context.users)
    for year, story in ((SEED_YEAR, STORY_2019), (today.year, STORY_CURRENT)):
        load_plan(
            village=context.village,
            groups=context.groups,
            departments=departments,
            year=year,
            story=story,
            today=today if year == today.year else date(year, 12, 31),
            results=year < today.year,
        )
    context.log.append(
        f"Work plan: the seed plan for {SEED_YEAR} and the same plan for {today.year}."
    )
