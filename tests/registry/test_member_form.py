"""Adding and editing a member: the ID number is checked and gives sex and birth date; a
household has one head."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from fupin import idnumbers
from fupin.core.roles import Role
from fupin.registry.errors import MESSAGES
from fupin.registry.models import Member
from tests.registry.bad_inputs import mistyped, with_check_digit
from tests.registry.factories import make_household, person_id

pytestmark = pytest.mark.django_db


def member_data(**changes):
    data = {
        "relation": "child",
        "name": "韦小明",
        "id_number": person_id(datetime.date(2008, 9, 1)),
        "schooling": "junior",
        "health": "healthy",
        "migrant_months": 0,
        "status": "present",
        "medical_insurance": "on",
    }
    data.update(changes)
    return data


@pytest.fixture
def household(world):
    return make_household(world.village, members=2)


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    return client


def test_a_member_is_added_with_sex_and_birth_date_from_the_id_number(world, signed_in, household):
    data = member_data(reason="新生儿落户")
    response = signed_in.post(reverse("member-add", args=[household.pk]), data)
    assert response["Location"] == reverse("household-detail", args=[household.pk])
    member = household.members.get(name="韦小明")
    assert member.birth_date == datetime.date(2008, 9, 1)
    assert member.sex == idnumbers.sex_of(data["id_number"])
    record = member.history.get()
    assert (record.history_user, record.history_change_reason) == (
        world.user(Role.VILLAGE_CLERK),
        "新生儿落户",
    )


@pytest.mark.parametrize(
    ("id_number", "code"),
    [
        (mistyped(person_id()), "id_checksum"),
        (with_check_digit("45012319910230001"), "id_birth_date"),
        ("4501231991023", "id_length"),
    ],
)
def test_a_bad_id_number_is_refused_with_the_reason(signed_in, household, id_number, code):
    response = signed_in.post(
        reverse("member-add", args=[household.pk]), member_data(id_number=id_number)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == [str(MESSAGES[code])]
    assert str(MESSAGES[code]) in response.content.decode()
    assert household.members.count() == 2


def test_a_legacy_15_digit_number_is_stored_with_18(signed_in, household):
    signed_in.post(
        reverse("member-add", args=[household.pk]), member_data(id_number="450122800501123")
    )
    assert household.members.filter(id_number="45012219800501123X").exists()


def test_a_second_head_is_refused(signed_in, household):
    response = signed_in.post(
        reverse("member-add", args=[household.pk]), member_data(relation="head")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["relation"] == [
        "该户已有户主：请在下方说明原户主改为何种与户主关系。"
    ]
    assert household.members.filter(relation="head").count() == 1


def test_the_head_is_not_changed_away_from_head(signed_in, household):
    # A household would be left without a head: the model promises at least one.
    head = household.members.get(relation="head")
    data = member_data(relation="other", name=head.name, id_number=head.id_number)
    response = signed_in.post(reverse("member-edit", args=[head.pk]), data)
    assert response.status_code == 200
    assert "户主" in response.context["form"].errors["relation"][0]
    assert Member.objects.get(pk=head.pk).relation == "head"


def test_another_member_becomes_head_and_the_former_head_gets_a_new_relation(
    world, signed_in, household
):
    head = household.members.get(relation="head")
    spouse = household.members.get(relation="spouse")
    data = member_data(
        relation="head",
        name=spouse.name,
        id_number=spouse.id_number,
        former_head_relation="spouse",
        reason="原户主外出，配偶为户主",
    )
    response = signed_in.post(reverse("member-edit", args=[spouse.pk]), data)
    assert response.status_code == 302
    assert list(household.members.filter(relation="head")) == [spouse]
    head.refresh_from_db()
    assert head.relation == "spouse"
    latest = head.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        world.user(Role.VILLAGE_CLERK),
        "原户主外出，配偶为户主",
    )


def test_the_head_can_be_edited_and_stays_head(signed_in, household):
    head = household.members.get(relation="head")
    data = member_data(relation="head", name="韦改名", id_number=head.id_number)
    response = signed_in.post(reverse("member-edit", args=[head.pk]), data)
    assert response.status_code == 302
    assert Member.objects.get(pk=head.pk).name == "韦改名"


def test_an_id_number_of_another_member_is_refused(signed_in, household):
    other = household.members.get(relation="spouse")
    response = signed_in.post(
        reverse("member-add", args=[household.pk]), member_data(id_number=other.id_number)
    )
    assert response.status_code == 200
    assert "id_number" in response.context["form"].errors
    assert household.members.count() == 2


def test_a_member_of_another_village_is_not_found(world, signed_in):
    stranger = make_household(world.other_village).members.first()
    assert signed_in.get(reverse("member-edit", args=[stranger.pk])).status_code == 404


# The pages below are asked for in English: the messages are the catalogue's msgids.
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def english(text) -> str:
    with translation.override("en"):
        return str(text)


@pytest.mark.parametrize(
    ("changes", "field", "wanted"),
    [
        ({"migrant_months": 13}, "migrant_months", "Migrant work is counted in months: 0 to 12."),
        ({"disability_grade": 5}, "disability_grade", "Disability grade is 1 to 4."),
        ({"disability_grade": 0}, "disability_grade", "Disability grade is 1 to 4."),
        (
            {"status": "deceased"},
            "departed_on",
            "A deceased or moved-out member needs the date.",
        ),
        (
            {"departed_on": "2020-05-01"},
            "departed_on",
            "A present member has no date of death or moving out.",
        ),
    ],
)
def test_a_broken_rule_is_explained_at_its_field(signed_in, household, changes, field, wanted):
    response = signed_in.post(
        reverse("member-add", args=[household.pk]), member_data(**changes), **ENGLISH
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [wanted]}
    page = response.content.decode()
    assert wanted in page and "member_" not in page  # no constraint's name
    assert household.members.count() == 2


@pytest.mark.parametrize("field", ["name", "ethnicity", "migrant_place", "reason"])
@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "@SUM(A1)", "+1+cmd", "-2+3"])
def test_formula_like_text_is_refused_as_the_import_refuses_it(signed_in, household, field, text):
    response = signed_in.post(
        reverse("member-add", args=[household.pk]), member_data(**{field: text}), **ENGLISH
    )
    assert response.status_code == 200
    wanted = english(MESSAGES["formula_like"])
    assert response.context["form"].errors == {field: [wanted]}
    assert wanted in response.content.decode()
    assert household.members.count() == 2


def test_a_member_edited_to_formula_like_text_is_not_saved(signed_in, household):
    member = household.members.get(relation="spouse")
    data = member_data(
        relation="spouse", id_number=member.id_number, migrant_place="=1+1", reason="外出"
    )
    response = signed_in.post(reverse("member-edit", args=[member.pk]), data, **ENGLISH)
    assert response.context["form"].errors == {"migrant_place": [english(MESSAGES["formula_like"])]}
    assert Member.objects.get(pk=member.pk).migrant_place == ""
    assert member.history.count() == 1
