from datetime import date

from fupin.fieldwork import services
from fupin.fieldwork.models import Cadre
from tests.registry.factories import make_household


def cadre(area, name="李干部", **fields) -> Cadre:
    return Cadre.objects.create(area=area, name=name, **fields)


def household(village, status="registered", **fields):
    return make_household(village, status=status, members=2, **fields)


def visit(household, on: date, visitor=None, purpose="走访", **more):
    visitor = visitor or cadre(household.village)
    return services.visit_record(
        household=household,
        on=on,
        visitors=[visitor],
        purpose=purpose,
        recorded_by=None,
        today=on,
        **more,
    )
