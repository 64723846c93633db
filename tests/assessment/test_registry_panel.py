"""The assessment on the registry's household page: the year's poverty line beside the
per-capita income, and the latest outcome with its reasons (through the registry's hooks)."""

from django.core.management import call_command
from django.urls import reverse

from fupin.core.roles import Role
from tests.registry.factories import make_household


def test_income_is_shown_against_that_years_poverty_line(world, client):
    household = make_household(world.village, income=3000)  # 3000 a person in 2019
    client.force_login(world.user(Role.VILLAGE_CLERK))
    page = client.get(reverse("household-detail", args=[household.pk]))
    row = next(r for r in page.context["incomes"] if r["income"].year == 2019)
    assert row["line"] == 3218  # the national line of 2019, seeded as data
    assert row["above"] is False


def test_the_household_page_shows_the_latest_outcome_and_why(world, client):
    household = make_household(world.village, status="registered", income=3000)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    before = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    assert "尚未评估" in before
    call_command("assess", year=2019, area=world.village.code, verbosity=0)
    after = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    assert 'id="assessment-outcome"' in after
    assert "尚未评估" not in after
    # 3,000 a person is below 2019's 3,218: the registered household may not exit yet.
    assert "未达到退出标准" in after


def test_the_poverty_lines_of_several_years_in_one_query(db, django_assert_num_queries):
    """Each year's line: its own year's, the province's before the national one, else the
    latest earlier year's; a year before every line has none."""
    from fupin.assessment.models import PovertyLine
    from fupin.registry import hooks

    PovertyLine.objects.create(year=2031, province="", amount=5000)
    PovertyLine.objects.create(year=2032, province="", amount=5100)
    PovertyLine.objects.create(year=2032, province="45", amount=5200)
    PovertyLine.objects.create(year=2032, province="44", amount=9999)  # another province's
    with django_assert_num_queries(1):
        lines = hooks.poverty_lines({1900, 2031, 2032, 2033}, "450101001001")
    assert lines == {2031: 5000, 2032: 5200, 2033: 5200}
    assert hooks.poverty_line(2033, "440101001001") == 9999
    assert hooks.poverty_line(1900, "450101001001") is None
