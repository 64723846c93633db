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


def meeting(village, on: date = date(2019, 3, 1), kind="study", **fields):
    from fupin.fieldwork.models import MeetingType

    fields.setdefault("topic", "学习扶贫政策")
    fields.setdefault("participant_count", 20)
    return services.meeting_save(
        village=village,
        type=MeetingType.objects.get(code=kind),
        date=on,
        today=on,
        **fields,
    )


def mediation_case(village, received: date = date(2019, 3, 1), kind="neighbour", **fields):
    from fupin.fieldwork.models import DisputeType

    fields.setdefault("parties", "甲户与乙户")
    fields.setdefault("summary", "宅基地边界")
    return services.mediation_case_save(
        village=village,
        type=DisputeType.objects.get(code=kind),
        received_on=received,
        today=fields.pop("today", received),
        **fields,
    )


def festival_entry(household, year: int = 2019, category="dibao"):
    """An entry of the household's village's Spring Festival list of the year (made if need
    be), for the household, nothing given yet."""
    from django.utils import timezone

    from fupin.fieldwork.models import FestivalList, FestivalVisit

    village = household.village
    festival_list, _made = FestivalList.objects.get_or_create(
        village=village,
        year=year,
        defaults={"party_member_age": 70, "generated_at": timezone.now()},
    )
    return FestivalVisit.objects.create(
        festival_list=festival_list,
        village=village,
        category=category,
        household=household,
        name="户主",
    )
