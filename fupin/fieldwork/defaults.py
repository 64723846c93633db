"""The fieldwork data every installation starts with: the visit policy for every area and
the assistance measure types. Migrations 0002 and 0004 seed them (their own frozen copies);
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


def ensure_defaults() -> None:
    from fupin.fieldwork.models import MeasureType, VisitPolicy

    for status, days in DEFAULT_POLICY:
        VisitPolicy.objects.get_or_create(
            area=None, status=status, defaults={"interval_days": days}
        )
    for order, (code, name, name_en) in enumerate(MEASURE_TYPES, start=1):
        MeasureType.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )
