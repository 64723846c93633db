"""The demo's rounds: 2019 identification and exit in progress at several steps (the exit
round's village notice posted, one objection open), a 2026 monitoring round with households
included and one risk removed; loaded once."""

from fupin.core.demo import load_demo
from fupin.procedures.models import Notice, Objection, Procedure, StepRecord
from fupin.registry.models import Household


def test_the_demo_rounds(db):
    from fupin.procedures import demo

    context = load_demo()
    village = context.village.code
    procedures = Procedure.objects.in_area(village)
    identification = procedures.filter(kind="identification", year=2019)
    assert identification.count() == 12
    assert identification.values("step_order").distinct().count() >= 4  # several steps
    exits = procedures.filter(kind="exit", year=2019)
    assert exits.count() >= 6 and exits.filter(status="open").count() == exits.count()
    notice = Notice.objects.get(area=village, kind="exit", step__code="village_notice")
    assert notice.records.count() >= 1
    assert Objection.objects.in_area(village).unresolved().count() == 1
    overridden = StepRecord.objects.in_area(village).exclude(override_reason="")
    assert overridden.count() == 1 and overridden.get().actor.username == "county"
    monitoring = procedures.filter(kind="monitoring", year=2026)
    assert monitoring.filter(status="completed").count() == 3
    assert monitoring.filter(status="open").count() == 2
    removed = procedures.get(kind="risk_removal", status="completed")
    assert Household.objects.get(pk=removed.household_id).status == "exited"
    assert Household.objects.in_area(village).filter(status="monitored").exists()
    before = StepRecord.objects.count()
    demo.load_demo(context)  # again: nothing added
    assert StepRecord.objects.count() == before
