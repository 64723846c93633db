"""Changing a cadre: details, leaving (inactive), the two committees and the Fupin user they
sign in as — from the cadres list, through cadre_update with its history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fupin.core.roles import Role
from fupin.fieldwork import selectors, services
from fupin.fieldwork.models import Cadre
from tests.conftest import make_user
from tests.fieldwork import factories


def test_the_users_a_cadre_may_sign_in_as(world):
    wang = factories.cadre(world.village, "王队员")
    township = factories.cadre(world.areas["450101001000"], "镇干部")
    clerk, reviewer = world.user(Role.VILLAGE_CLERK), world.user(Role.TOWNSHIP_REVIEWER)
    gone = make_user("gone", Role.VILLAGE_CLERK, world.village.code)
    gone.is_active = False
    gone.save()
    offered = set(selectors.accounts_for_cadre(wang))
    assert clerk in offered and reviewer in offered  # the village's and above it
    assert world.outsider not in offered and gone not in offered
    assert reviewer in set(selectors.accounts_for_cadre(township))
    assert clerk in set(selectors.accounts_for_cadre(township))  # within the township
    services.cadre_update(cadre=wang, user=None, account=clerk)
    assert clerk not in set(selectors.accounts_for_cadre(township))  # another cadre's now
    assert clerk in set(selectors.accounts_for_cadre(wang))  # but still this one's
    with pytest.raises(ValidationError) as error:
        services.cadre_update(cadre=township, user=None, account=clerk)
    assert "user" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.cadre_update(cadre=wang, user=None, account=world.outsider)
    with pytest.raises(TypeError):
        services.cadre_update(cadre=wang, user=None, area=world.outside_village)
    services.cadre_update(cadre=wang, user=None, account=None)
    wang.refresh_from_db()
    assert wang.user is None


def test_a_cadre_who_left_is_not_offered_but_stays_on_past_visits(world):
    wang = factories.cadre(world.village, "王队员")
    home = factories.household(world.village)
    visit = factories.visit(home, date(2019, 5, 1), visitor=wang)
    services.cadre_update(cadre=wang, user=None, active=False)
    assert wang not in set(selectors.cadres_serving(world.village.code))
    assert list(visit.visitors.all()) == [wang]
    assert wang in set(selectors.cadres_for_visit(visit))


def test_the_cadres_list_links_the_edit_and_it_is_saved_with_history(world, client):
    clerk = world.user(Role.VILLAGE_CLERK)
    client.force_login(clerk)
    wang = factories.cadre(world.village, "王队员", phone="13800000000")
    listed = client.get(reverse("fieldwork-cadres")).content.decode()
    url = reverse("fieldwork-cadre-edit", args=[wang.pk])
    assert url in listed
    form = client.get(url)
    assert form.status_code == 200
    assert world.outsider not in set(form.context["form"].fields["user"].queryset)
    answer = client.post(
        url,
        {
            "name": "王明",
            "phone": "13900000000",
            "unit": "县扶贫办",
            "two_committees": "on",
            "user": clerk.pk,
        },
    )  # "active" not ticked: the cadre has left
    assert answer.status_code == 302, answer.content.decode()[:500]
    wang = Cadre.objects.get(pk=wang.pk)
    assert (wang.name, wang.phone, wang.unit) == ("王明", "13900000000", "县扶贫办")
    assert not wang.active and wang.two_committees and wang.user == clerk
    assert wang.history.latest().history_user == clerk
    refused = client.post(url, {"name": "王明", "user": world.outsider.pk})
    assert refused.status_code == 400
    assert Cadre.objects.get(pk=wang.pk).user == clerk
