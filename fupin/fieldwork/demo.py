"""The demo's fieldwork: the resident team, the village cadres and officials of the district
bureau paired with every registered and monitored household, and a year of monthly visits up
to today — a few households missed lately and a few follow-ups left open, so that the
compliance page and the home page have something to show. Idempotent: loaded once."""

import datetime
import random

from django.db import transaction

from fupin.fieldwork import compliance
from fupin.fieldwork.defaults import ensure_defaults
from fupin.fieldwork.models import (
    AssistancePlan,
    Cadre,
    FestivalVisit,
    FollowUp,
    Measure,
    MeasureType,
    Pairing,
    Visit,
)
from fupin.registry import choices as c
from fupin.registry.models import Household

# (name, unit, the demo user who signs in as this cadre)
CADRES = [
    ("黄第一书记", "区水利局驻村工作队", "team"),
    ("韦文书", "村委会", "clerk"),
    ("覃队员", "区水利局驻村工作队", None),
    ("陆干部", "区水利局", None),
    ("蒙干部", "区水利局", None),
    ("李干部", "镇人民政府", None),
]
PURPOSES = ["了解生产生活情况", "宣传扶贫政策", "核实家庭收入", "了解子女上学情况", "春耕生产"]
FINDINGS = {
    "income_change": ["外出务工收入增加", "种植油茶有收益", "养殖收入稳定"],
    "illness": ["户主高血压，按时服药", "老人行动不便"],
    "schooling": ["子女在校，享受雨露计划补助", "孩子初中在读"],
    "housing": ["住房安全", "厨房漏雨，需修缮"],
    "water": ["自来水正常", "旱季水量不足"],
}
ACTIONS = ["联系镇卫生院办理慢病卡", "申请危房改造", "对接区人社局务工岗位", "协调修缮饮水管道"]


def load_demo(context, today: datetime.date | None = None) -> None:
    load_trainings_demo(context)
    village = context.village
    if Visit.objects.in_area(village.code).exists():
        context.log.append("Fieldwork: already loaded.")
        load_festival_demo(context)
        load_meetings_and_cases(context)
        return
    ensure_defaults()
    today = today or datetime.date.today()
    rng = random.Random(2019)  # noqa: S311 - demo data, not security
    with transaction.atomic():
        cadres = [
            Cadre.objects.update_or_create(
                name=name,
                area=village,
                defaults={"unit": unit, "user": context.users.get(user) if user else None},
            )[0]
            for name, unit, user in CADRES
        ]
        due = list(
            Household.objects.in_area(village.code)
            .filter(status__in=[c.Status.REGISTERED, c.Status.MONITORED])
            .order_by("household_no")
        )
        start = today - datetime.timedelta(days=365)
        pairings, visits, visitors, follow_ups = [], [], [], []
        for index, household in enumerate(due):
            cadre = cadres[index % len(cadres)]
            pairings.append(
                Pairing(cadre=cadre, household=household, village=village, started_on=start)
            )
            # One visit a month; about one household in twelve has missed the latest.
            months = 12 if rng.random() > 1 / 12 else 10
            for month in range(months):
                day = start + datetime.timedelta(days=30 * month + rng.randrange(0, 25))
                if day > today:
                    continue
                visit = Visit(
                    household=household,
                    village=village,
                    date=day,
                    purpose=rng.choice(PURPOSES),
                    **{k: rng.choice(v) for k, v in FINDINGS.items() if rng.random() < 0.3},
                )
                visits.append(visit)
                visitors.append(cadre)
        Pairing.objects.bulk_create(pairings)
        Visit.objects.bulk_create(visits)
        Through = Visit.visitors.through
        Through.objects.bulk_create(
            Through(visit_id=visit.pk, cadre_id=cadre.pk)
            for visit, cadre in zip(visits, visitors, strict=True)
        )
        for visit, cadre in zip(visits, visitors, strict=True):
            if rng.random() < 0.04:
                due_on = visit.date + datetime.timedelta(days=14)
                done = due_on < today - datetime.timedelta(days=30) and rng.random() < 0.8
                follow_ups.append(
                    FollowUp(
                        visit=visit,
                        household_id=visit.household_id,
                        village=village,
                        action=rng.choice(ACTIONS),
                        owner=cadre,
                        due_on=due_on,
                        status="done" if done else "open",
                        done_on=due_on if done else None,
                    )
                )
        FollowUp.objects.bulk_create(follow_ups)
        compliance.forget(village.code)  # written in bulk, past the services
        measures = _household_plans(due, village, today.year, rng)
    context.log.append(
        f"Fieldwork: {len(cadres)} cadres, {len(pairings)} pairings, {len(visits)} visits, "
        f"{len(follow_ups)} follow-ups, {measures} assistance measures."
    )
    load_festival_demo(context)
    load_meetings_and_cases(context)


# The measure a household's main cause of poverty calls for, as the seed plan's work items do.
BY_CAUSE = {
    "illness": ("health", "落实家庭医生签约和大病救助", 2000),
    "disability": ("social_security", "纳入低保兜底", 3600),
    "schooling": ("education", "雨露计划职业教育补助", 3000),
    "lack_skills": ("employment", "推荐参加职业技能培训并转移就业", None),
    "lack_labour": ("welfare_job", "安排公益岗位", 6000),
}


def _household_plans(households, village, year, rng) -> int:
    """This year's plan for each paired household: 500 mu of oil tea (the seed plan's
    industry) shared out, and the measure its cause of poverty calls for."""
    types = {t.code: t for t in MeasureType.objects.all()}
    plans = AssistancePlan.objects.bulk_create(
        AssistancePlan(household=h, village=village, year=year, goal="稳定增收，两不愁三保障")
        for h in households
    )
    measures = []
    for household, plan in zip(households, plans, strict=True):
        measures.append(
            Measure(
                plan=plan,
                village=village,
                type=types["industry"],
                description=f"种植油茶{rng.randrange(3, 12)}亩",
                amount=rng.randrange(10, 40) * 100,
                funding_source="财政扶贫资金",
                status="ongoing",
            )
        )
        code, text, amount = BY_CAUSE.get(household.poverty_cause, (None, None, None))
        if code:
            measures.append(
                Measure(
                    plan=plan,
                    village=village,
                    type=types[code],
                    description=text,
                    amount=amount,
                    status="done" if rng.random() < 0.5 else "ongoing",
                )
            )
    Measure.objects.bulk_create(measures)
    return len(measures)


# --- Spring Festival visits --------------------------------------------------------------------

# What the district bureau brought before the 2019 Spring Festival (the seed plan's work item),
# by category: (money or goods, what, yuan).
FESTIVAL_GIFTS = {
    "special_support": ("money", "慰问金", 500),
    "five_guarantee": ("money", "慰问金", 500),
    "dibao": ("goods", "大米一袋、食用油一桶", 150),
    "old_party_member": ("money", "慰问金", 300),
    "veteran": ("money", "慰问金", 300),
    "college_student": ("money", "助学慰问金", 500),
    "two_committees": ("goods", "慰问品", 100),
}


def load_festival_demo(context) -> None:
    """The demo village's 2019 Spring Festival list, generated from the registry with the
    village committee's cadres, and the gifts of the first entries of each category recorded
    as given by the first secretary on 28 January 2019. Loaded once."""
    from fupin.fieldwork import festival
    from fupin.fieldwork.models import FestivalList

    village = context.village
    if FestivalList.objects.filter(village=village, year=2019).exists():
        return
    Cadre.objects.filter(area=village, unit="村委会").update(two_committees=True)
    admin = context.users.get("team")
    made = festival.festival_list_generate(
        area=village, year=2019, party_member_age=festival.DEFAULT_PARTY_MEMBER_AGE, user=admin
    )
    giver = Cadre.objects.filter(area=village, user=admin).first() if admin else None
    recorded = 0
    entries = FestivalVisit.objects.filter(festival_list__village=village, festival_list__year=2019)
    for category, (kind, gift, value) in FESTIVAL_GIFTS.items():
        for entry in entries.filter(category=category).order_by("id")[:4]:
            festival.festival_visit_record(
                entry=entry,
                gift_kind=kind,
                gift=gift,
                value=value,
                given_by=giver,
                given_on=datetime.date(2019, 1, 28),
                signed=True,
                user=admin,
            )
            recorded += 1
    context.log.append(
        f"Fieldwork: the 2019 Spring Festival list, {made.added} entries, {recorded} gifts."
    )


# --- trainings and referrals: the seed plan's ninth item --------------------------------------

TRAINING_YEAR = 2019
# The seed plan: secondary vocational education by Guangxi First Industrial School and the
# bureau's power technology school, recommended to the village's junior and senior school
# leavers and to those preparing to go out to work.
PROGRAMMES = [
    # provider, course, start, end, capacity, open to ("district" or "village")
    ("广西第一工业学校", "电力技术（中职，三年制）", (2019, 9, 1), (2022, 6, 30), 20, "district"),
    ("区水利局电力技术学校", "农村电工技能培训", (2019, 4, 15), (2019, 5, 31), 30, "village"),
]


def load_trainings_demo(context) -> None:
    """The 2019 programmes, a few enrolments with their outcomes and referrals, through the
    services (so their history is there too). Idempotent: loaded once."""
    from fupin.core.models import Area
    from fupin.fieldwork import trainings
    from fupin.fieldwork.models import TrainingProgramme
    from fupin.registry.models import Member

    village = context.village
    if TrainingProgramme.objects.filter(area=village).exists():
        context.log.append("Trainings: already loaded.")
        return
    district = Area.objects.get(code=village.parent.parent_id)
    team = context.users.get("team")
    day = datetime.date
    young = list(
        Member.objects.in_area(village.code)
        .present()
        .filter(birth_date__range=(day(1989, 6, 2), day(2003, 6, 1)))
        .exclude(schooling__in=["junior", "senior", "vocational", "college"])
        .select_related("household")
        .order_by("household__household_no", "pk")[:8]
    )
    if len(young) < 8:
        context.log.append("Trainings: too few young people in the registry, none loaded.")
        return
    with transaction.atomic():
        made = [
            trainings.programme_create(
                provider=provider,
                course=course,
                area=district if reach == "district" else village,
                starts_on=day(*start),
                ends_on=day(*end),
                capacity=capacity,
            )
            for provider, course, start, end, capacity, reach in PROGRAMMES
        ]
        school, course = made
        on = day(2019, 4, 15)
        for member, outcome in zip(young[:3], ["job", "job", "dropped"], strict=True):
            enrolment = trainings.enrolment_add(programme=course, member=member, on=on)
            if outcome == "dropped":
                trainings.enrolment_record_outcome(enrolment=enrolment, status="dropped")
            else:
                trainings.enrolment_record_outcome(
                    enrolment=enrolment,
                    status="completed",
                    certificate="低压电工作业操作证",
                    employed=True,
                    employer="南宁供电局" if member == young[0] else "广西水电安装公司",
                    monthly_income=3200 if member == young[0] else 2800,
                )
        # Referrals of the school leavers and of those going out to work.
        referred = day(2019, 6, 20)
        to_school = [
            trainings.referral_create(
                member=m, kind="programme", programme=school, on=referred, by=team
            )
            for m in young[3:5]
        ]
        trainings.referral_record_outcome(
            referral=to_school[0], status="enrolled", on=day(2019, 9, 1)
        )
        trainings.referral_record_outcome(
            referral=to_school[1], status="declined", on=day(2019, 7, 10), notes="本人选择外出务工"
        )
        employer = trainings.referral_create(
            member=young[5],
            kind="employer",
            destination="广东东莞电子厂（劳务协作）",
            on=referred,
            by=team,
        )
        trainings.referral_record_outcome(referral=employer, status="employed", on=day(2019, 8, 1))
        trainings.referral_create(
            member=young[6],
            kind="school",
            destination="广西水利电力职业技术学院",
            on=day(2019, 11, 5),
            by=team,
        )
        for member in young[6:8]:
            member.plans_migrant_work = True
            member.save(update_fields=["plans_migrant_work"])
    context.log.append(
        f"Trainings: {len(made)} programmes of {TRAINING_YEAR}, 4 enrolments, 4 referrals."
    )


# --- meetings and activities; dispute mediation ---------------------------------------------

# The seed plan's 2019 meetings: (date, type, place, topic, participants, members named,
# minutes, decisions as (action, cadre, due, done)).
MEETINGS = [
    (
        (1, 8),
        "study",
        "村委会会议室",
        "学习党的十九大精神和全国“两会”精神",
        32,
        4,
        "第一书记领学十九大报告和今年“两会”精神；党员逐一发言，结合本村实际谈脱贫攻坚。",
        [],
    ),
    (
        (1, 15),
        "two_committees",
        "村委会会议室",
        "研究今年农村经济发展工作",
        11,
        0,
        "分析制约本村农业发展的因素，确定以油茶为“一村一品”的特色产业。",
        [
            ("编制油茶低改500亩实施方案", "黄第一书记", (2, 28), True),
            ("建立民情日记和档案，核实贫困户名单", "韦文书", (1, 31), True),
        ],
    ),
    (
        (2, 20),
        "group_symposium",
        "那马屯",
        "那马屯村民小组座谈会：了解生产生活困难",
        26,
        6,
        "群众反映二桥损坏出行不便、部分道路未硬化。",
        [("对接区交通局，落实二桥维修", "陆干部", (3, 31), True)],
    ),
    (
        (3, 12),
        "activist_training",
        "村委会会议室",
        "入党积极分子教育培训",
        9,
        3,
        "讲授党章和党的基本知识；培养带领群众脱贫致富的后备力量。",
        [],
    ),
    ((4, 18), "publicity", "六合屯", "扶贫政策宣传进屯入户", 60, 0, "发放政策宣传资料200份。", []),
    (
        (6, 26),
        "legal_education",
        "村委会会议室",
        "法治教育讲座：学法守法、勤劳致富",
        45,
        0,
        "邀请镇司法所讲解土地承包、婚姻家庭和反家暴法律知识。",
        [],
    ),
    (
        (8, 9),
        "anti_cult",
        "村文化活动室",
        "反邪教警示教育：崇尚科学、关爱家庭、珍惜生命",
        50,
        0,
        "播放警示教育片，发放宣传册。",
        [],
    ),
    (
        (10, 15),
        "two_committees",
        "村委会会议室",
        "研究村综合服务中心建设进度",
        10,
        0,
        "综合服务中心主体完工，需督促验收和交付使用。",
        [("督促综合服务中心验收交付", "黄第一书记", (12, 20), False)],
    ),
]
# (received, type, petition, parties, summary, mediator, steps, outcome, closed)
CASES = [
    (
        (3, 5),
        "land",
        False,
        "那马屯一户与平里屯一户",
        "油茶低改地块的山林边界争议。",
        "韦文书",
        [((3, 7), "到现场查看界址，询问双方"), ((3, 15), "召集双方及屯长调解，达成协议")],
        "重新确定地界，双方签订调解协议。",
        (3, 15),
    ),
    (
        (11, 20),
        "neighbour",
        True,
        "六合屯相邻两户",
        "排水沟堵塞引起邻里纠纷，一方到镇里信访。",
        "黄第一书记",
        [((11, 22), "入户了解情况，约双方到村委会")],
        "",
        None,
    ),
]
DEMO_MEETING_YEAR = 2019


def load_meetings_and_cases(context) -> None:
    """The seed plan's 2019 meetings (study sessions, symposiums, trainings, publicity, legal
    and anti-cult education) with their decisions, and two mediation cases — one still open
    since November, so the township's home page warns of it. Idempotent."""
    from fupin.fieldwork import services
    from fupin.fieldwork.models import DisputeType, MediationCase, Meeting, MeetingType
    from fupin.registry.models import Member

    village = context.village
    if Meeting.objects.in_area(village.code).exists():
        return
    ensure_defaults()
    year = DEMO_MEETING_YEAR
    today = datetime.date.today()
    cadres = {c.name: c for c in Cadre.objects.filter(area=village)}
    kinds = {t.code: t for t in MeetingType.objects.all()}
    heads = list(
        Member.objects.filter(household__village=village, relation="head").order_by(
            "household__household_no"
        )[:12]
    )
    with transaction.atomic():
        for (month, day), kind, place, topic, count, named, minutes, decisions in MEETINGS:
            meeting = services.meeting_save(
                village=village,
                type=kinds[kind],
                date=datetime.date(year, month, day),
                place=place,
                topic=topic,
                participant_count=count,
                members=heads[:named],
                minutes=minutes,
                today=today,
            )
            for action, owner, (due_month, due_day), done in decisions:
                due = datetime.date(year, due_month, due_day)
                row = services.meeting_decision_add(
                    meeting=meeting, action=action, owner=cadres[owner], due_on=due
                )
                if done:
                    services.follow_up_close(follow_up=row, status="done", on=due)
        types = {t.code: t for t in DisputeType.objects.all()}
        for received, kind, petition, parties, summary, mediator, steps, outcome, closed in CASES:
            case = services.mediation_case_save(
                village=village,
                type=types[kind],
                petition=petition,
                received_on=datetime.date(year, *received),
                parties=parties,
                summary=summary,
                mediator=cadres[mediator],
                today=today,
            )
            for (month, day), text in steps:
                services.mediation_step_add(
                    case=case,
                    on=datetime.date(year, month, day),
                    description=text,
                    by=cadres[mediator],
                    today=today,
                )
            if closed:
                services.mediation_case_save(
                    case=case,
                    village=village,
                    status="resolved",
                    outcome=outcome,
                    closed_on=datetime.date(year, *closed),
                    party_members=case.party_members.all(),
                    today=today,
                )
    context.log.append(
        f"Fieldwork: {len(MEETINGS)} meetings of {year}, "
        f"{MediationCase.objects.in_area(village.code).count()} mediation cases."
    )
