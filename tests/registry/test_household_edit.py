"""Editing a household: a change of status needs a reason, which the change history keeps."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation

from fupin.core.roles import Role
from fupin.registry.errors import MESSAGES
from fupin.registry.forms import HouseholdForm
from fupin.registry.models import Household
from tests.registry.factories import make_household

pytestmark = pytest.mark.django_db


def form_data(household, **changes):
    """The form as the page posts it for this household, with some fields changed."""
    data = model_to_dict(household, fields=HouseholdForm._meta.fields)
    data.update(changes)
    return {name: value for name, value in data.items() if value not in (None, False)}


@pytest.fixture
def household(world):
    return make_household(world.village, status="registered")


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    return client


def test_a_change_of_status_without_a_reason_is_refused(signed_in, household):
    url = reverse("household-edit", args=[household.pk])
    response = signed_in.post(url, form_data(household, status="exited", year_exited=2019))
    assert response.status_code == 200
    assert "修改户状态必须填写原因。" in response.content.decode()
    assert Household.objects.get(pk=household.pk).status == "registered"
    assert household.history.count() == 1


def test_the_reason_for_a_change_of_status_lands_in_the_history(world, signed_in, household):
    url = reverse("household-edit", args=[household.pk])
    data = form_data(
        household, status="exited", year_exited=2019, reason="人均纯收入稳定超过贫困线"
    )
    response = signed_in.post(url, data)
    assert response["Location"] == reverse("household-detail", args=[household.pk])
    household.refresh_from_db()
    assert (household.status, household.year_exited) == ("exited", 2019)
    latest = household.history.latest()
    assert latest.history_change_reason == "人均纯收入稳定超过贫困线"
    assert latest.history_user == world.user(Role.VILLAGE_CLERK)
    assert latest.prev_record.status == "registered"


def test_other_changes_need_no_reason(signed_in, household):
    url = reverse("household-edit", args=[household.pk])
    response = signed_in.post(url, form_data(household, address="那马屯8号"))
    assert response.status_code == 302
    assert Household.objects.get(pk=household.pk).address == "那马屯8号"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"status": "cancelled", "reason": "全户迁往外省"}, "cancel_reason_required"),
        ({"status": "exited", "reason": "稳定脱贫"}, "year_exited_required"),
        ({"year_exited": 2010}, "exit_before_registration"),
    ],
)
def test_the_rules_of_a_status_still_hold(signed_in, household, changes, code):
    url = reverse("household-edit", args=[household.pk])
    response = signed_in.post(url, form_data(household, **changes))
    assert response.status_code == 200
    assert Household.objects.get(pk=household.pk).history.count() == 1  # nothing saved
    assert response.context["form"].errors


def test_a_broken_rule_is_explained_in_words(signed_in, household):
    url = reverse("household-edit", args=[household.pk])
    response = signed_in.post(url, form_data(household, status="cancelled", reason="迁往外省"))
    assert "household_cancel_reason_iff_cancelled" not in response.content.decode()
    assert str(MESSAGES["cancel_reason_required"]) in response.content.decode()


def test_only_groups_of_the_village_are_offered(world, signed_in, household):
    form = signed_in.get(reverse("household-edit", args=[household.pk])).context["form"]
    assert {g.code for g in form.fields["group"].queryset} == {
        "450101001001001",
        "450101001001002",
    }


# The pages below are asked for in English: the messages are the catalogue's msgids.
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def english(text) -> str:
    with translation.override("en"):
        return str(text)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        (
            {"status": "cancelled", "reason": "全户迁往外省"},
            "cancel_reason",
            "cancel_reason_required",
        ),
        ({"cancel_reason": "deceased"}, "cancel_reason", "cancel_reason_unexpected"),
        ({"status": "exited", "reason": "稳定脱贫"}, "year_exited", "year_exited_required"),
        ({"year_exited": 2010}, "year_exited", "exit_before_registration"),
        ({"year_registered": None}, "year_registered", "year_registered_required"),
    ],
)
def test_a_broken_rule_is_explained_at_its_field(signed_in, household, changes, field, code):
    url = reverse("household-edit", args=[household.pk])
    response = signed_in.post(url, form_data(household, **changes), **ENGLISH)
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [english(MESSAGES[code])]}
    assert english(MESSAGES[code]) in response.content.decode()
    assert Household.objects.get(pk=household.pk).history.count() == 1  # nothing saved


@pytest.mark.parametrize("field", ["address", "phone", "reason"])
@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "@SUM(A1)", "+1+cmd", "-2+3"])
def test_formula_like_text_is_refused_as_the_import_refuses_it(signed_in, household, field, text):
    url = reverse("household-edit", args=[household.pk])
    data = form_data(household, **{"phone": "+86 138 0000 0000", field: text})
    response = signed_in.post(url, data, **ENGLISH)
    assert response.status_code == 200
    wanted = english(MESSAGES["formula_like"])
    assert response.context["form"].errors == {field: [wanted]}  # a +86 phone is not refused
    assert wanted in response.content.decode()
    saved = Household.objects.get(pk=household.pk)
    assert (saved.address, saved.phone, saved.history.count()) == ("", "", 1)


def _new_household(world, **values):
    data = {
        "household_no": "450101001001NEW01",
        "village": world.village.code,
        "group": "450101001001001",
        "status": "registered",
        "year_registered": "2019",
        "attribute": "general",
        "poverty_cause": "illness",
        "housing_renovation": "none",
        "electricity": "on",
        "road": "on",
        "reason": "2019年新识别",
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def test_a_clerk_registers_a_household_and_is_taken_to_add_its_head(world, client):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.post(reverse("household-add"), _new_household(world))
    household = Household.objects.get(household_no="450101001001NEW01")
    assert response.status_code == 302
    assert response["Location"] == reverse("member-add", args=[household.pk])
    assert (household.village_id, household.group_id) == (world.village.code, "450101001001001")
    record = household.history.get()
    assert (record.history_type, record.history_change_reason) == ("+", "2019年新识别")
    assert record.history_user == world.user(Role.VILLAGE_CLERK)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"village": "450102001001"}, "village"),  # another county's village: not offered
        ({"group": "450101001001001", "village": "450101001002"}, "village"),  # not the clerk's
        ({"household_no": ""}, "household_no"),
        ({"address": "=HYPERLINK(1)"}, "address"),
    ],
)
def test_a_household_outside_the_clerk_s_villages_or_without_a_number_is_refused(
    world, client, values, field
):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.post(reverse("household-add"), _new_household(world, **values))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Household.objects.exists()


def test_a_taken_household_number_or_a_group_of_another_village_is_refused_clearly(world, client):
    taken = make_household(world.other_village).household_no
    client.force_login(world.user(Role.COUNTY_APPROVER))  # may not edit: 403
    assert client.get(reverse("household-add")).status_code == 403
    client.force_login(world.user(Role.ADMIN))
    response = client.post(
        reverse("household-add"),
        _new_household(world, household_no=taken),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.context["form"].errors["household_no"] == [
        "This household number is already registered."
    ]
    response = client.post(
        reverse("household-add"),
        _new_household(world, village=world.other_village.code),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.context["form"].errors["group"] == ["This group is not in the village chosen."]
    assert Household.objects.count() == 1


def test_a_household_without_a_head_is_offered_one_when_a_member_is_added(world, client):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    client.post(reverse("household-add"), _new_household(world))
    household = Household.objects.get(household_no="450101001001NEW01")
    form = client.get(reverse("member-add", args=[household.pk])).context["form"]
    assert form["relation"].value() == "head"
    with_head = make_household(world.village)
    form = client.get(reverse("member-add", args=[with_head.pk])).context["form"]
    assert form["relation"].value() in (None, "")
