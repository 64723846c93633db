from django.db import migrations

# The issue's and most provinces' rule: every registered or monitored household visited at
# least once a month. Counties with a stricter rule add their own rows (area set).
DEFAULT = [("registered", 30), ("monitored", 30)]


def seed(apps, schema_editor):
    VisitPolicy = apps.get_model("fieldwork", "VisitPolicy")
    for status, days in DEFAULT:
        VisitPolicy.objects.get_or_create(
            area=None, status=status, defaults={"interval_days": days}
        )


def unseed(apps, schema_editor):
    apps.get_model("fieldwork", "VisitPolicy").objects.filter(area=None).delete()


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
