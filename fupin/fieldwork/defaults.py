"""The fieldwork data every installation starts with: the visit policy for every area, the
assistance measure types, the meeting and dispute types. Migrations 0002, 0004 and
0005_meetings_disputes seed them (their own frozen copies);
`ensure_defaults` puts back what is missing — for the demo, and for tests after a
transactional test has emptied the tables."""

# The issue's and most provinces' rule: registered and monitored households visited monthly.
DEFAULT_POLICY = [("registered", 30), ("monitored", 30)]
MEASURE_TYPES = [
    ("industry", "产业帮扶", "Industry support"),
    ("employment", "就业帮扶", "Employment and labour transfer"),
    ("education", "教育帮扶（雨露计划）", "Education subsidy (Rain and Dew plan)"),
    ("health", "健康帮扶", "Medical assistance"),
    ("housing", "危房改造", "Housing renovation"),
    ("relocation", "易地扶贫搬迁", "Relocation"),
    ("social_security", "兜底保障", "Dibao / special support"),
    ("microcredit", "小额信贷", "Microcredit"),
    ("welfare_job", "公益岗位", "Public-welfare job"),
    ("forest_ranger", "生态护林员", "Ecological ranger"),
    ("other", "其他", "Other"),
]

# The seed plan's meetings and activities (its work items name each).
MEETING_TYPES = [
    ("study", "学习会", "Study session"),
    ("two_committees", "两委座谈会", '"Two committees" symposium'),
    ("group_symposium", "村民小组座谈会", "Villager-group symposium"),
    ("activist_training", "入党积极分子培训", "Party-activist training"),
    ("publicity", "宣传", "Publicity"),
    ("legal_education", "法治教育", "Legal education"),
    ("anti_cult", "反邪教警示教育", "Anti-cult warning education"),
    ("other", "其他", "Other"),
]
# The disputes a village mediation committee most often hears.
DISPUTE_TYPES = [
    ("land", "土地山林权属", "Land and forest rights"),
    ("neighbour", "邻里纠纷", "Neighbours"),
    ("family", "婚姻家庭", "Marriage and family"),
    ("debt", "债务", "Debt"),
    ("wages", "劳资", "Wages and labour"),
    ("assistance", "扶贫政策", "Poverty-alleviation policy"),
    ("other", "其他", "Other"),
]


def _ensure_kinds(model, rows) -> None:
    for order, (code, name, name_en) in enumerate(rows, start=1):
        model.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )


def ensure_defaults() -> None:
    from fupin.fieldwork.models import DisputeType, MeasureType, MeetingType, VisitPolicy

    for status, days in DEFAULT_POLICY:
        VisitPolicy.objects.get_or_create(
            area=None, status=status, defaults={"interval_days": days}
        )
    for order, (code, name, name_en) in enumerate(MEASURE_TYPES, start=1):
        MeasureType.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )
    _ensure_kinds(MeetingType, MEETING_TYPES)
    _ensure_kinds(DisputeType, DISPUTE_TYPES)
