"""The main menu shows each role the pages it may open, and no page it may not."""

import pytest
from django.urls import reverse

from fupin.core.menu import menu_for
from fupin.core.roles import Role


@pytest.mark.parametrize("role", list(Role))
def test_every_menu_entry_opens_for_the_role_that_sees_it(world, client, role):
    user = world.user(role)
    client.force_login(user)
    shown = {entry.url_name for entry in menu_for(user)}
    assert "home" in shown
    for entry in menu_for(user):
        assert client.get(reverse(entry.url_name)).status_code == 200, entry.url_name


def _all_areas_admin(world):
    admin = world.user(Role.ADMIN)
    admin.area = None
    admin.save()
    return admin


def test_exclusion_lists_are_in_the_menu_of_who_keeps_them_only(world, client):
    county_admin, county = world.user(Role.ADMIN), world.user(Role.COUNTY_APPROVER)
    for other in (county, county_admin):  # the lists apply beyond their county
        assert "exclusion-lists" not in {entry.url_name for entry in menu_for(other)}
        # and the page itself agrees
        client.force_login(other)
        assert client.get(reverse("exclusion-lists")).status_code == 403
    assert "exclusion-lists" in {entry.url_name for entry in menu_for(_all_areas_admin(world))}


def test_the_menu_is_rendered_with_the_page(world, client):
    client.force_login(_all_areas_admin(world))
    page = client.get(reverse("home")).content.decode()
    assert reverse("exclusion-lists") in page
    assert "比对排除清单" in page  # Chinese by default
