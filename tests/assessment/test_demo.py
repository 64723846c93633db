from django.core.management import call_command

from fupin.assessment.models import AssessmentRun
from fupin.core.models import Area
from fupin.registry.models import Household
from tests.assessment import factories as f


def test_the_demo_assesses_once_and_only_when_there_are_households(db):
    call_command("demo")
    if not Household.objects.exists():  # before the registry has a demo of its own
        assert not AssessmentRun.objects.exists()
        household = f.household(Area.objects.get(code="450198101201"))
        f.member(household)
        f.income(household, 2019, 5000)
        call_command("demo")
    call_command("demo")
    run = AssessmentRun.objects.get()
    assert run.area_id == "450198000000"
    assert (
        run.households
        == Household.objects.in_area("450198000000").exclude(status="cancelled").count()
    )
