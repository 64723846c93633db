from django.db import migrations

# The measure types the issue lists (国务院扶贫办's usual headings); data, so a province adds
# its own on the admin's standards page or here.
TYPES = [
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


def seed(apps, schema_editor):
    MeasureType = apps.get_model("fieldwork", "MeasureType")
    for order, (code, name, name_en) in enumerate(TYPES, start=1):
        MeasureType.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )


def unseed(apps, schema_editor):
    apps.get_model("fieldwork", "MeasureType").objects.filter(
        code__in=[code for code, _n, _e in TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0003_household_plans")]
    operations = [migrations.RunPython(seed, unseed)]
