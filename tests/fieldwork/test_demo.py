"""The demo's year of fieldwork: every registered or monitored household paired, visits up
to today with a few missed, loaded once."""

from datetime import date

from fupin.core.demo import load_demo
from fupin.fieldwork.compliance import compliance
from fupin.fieldwork.models import Measure, Pairing, Visit
from fupin.procedures.models import Procedure
from fupin.registry.models import Household


def test_the_demo_has_a_year_of_visits_and_some_overdue(db):
    from fupin.fieldwork import demo

    context = load_demo()
    village = context.village.code
    due = Household.objects.in_area(village).filter(status__in=["registered", "monitored"])
    # Every household due for visits is paired, but those that the procedures' demo (loaded
    # after this one) has just registered or put under monitoring.
    paired = Pairing.objects.current().in_area(village).values("household")
    unpaired = due.exclude(pk__in=paired)
    completed = Procedure.objects.filter(
        status="completed", kind__in=["identification", "monitoring"]
    )
    assert paired.count() > 0
    assert set(unpaired.values_list("pk", flat=True)) <= set(
        completed.values_list("household", flat=True)
    )
    visits = Visit.objects.in_area(village).count()
    assert visits >= 10 * paired.count()
    industry = Measure.objects.in_area(village).filter(type__code="industry")
    assert industry.count() == due.count() - unpaired.count()
    figures = compliance(village, date.today())
    assert 0 < figures.overdue < figures.households_due
    demo.load_demo(context)  # again: nothing added
    assert Visit.objects.in_area(village).count() == visits
