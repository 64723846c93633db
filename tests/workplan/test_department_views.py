"""Departments and their staff, kept by county approvers for their county."""

from django.urls import reverse

from fupin.core.roles import Role
from fupin.workplan.models import Department
from tests.conftest import make_user
from tests.workplan import factories


def test_county_approver_creates_a_department_and_names_its_staff(world, client):
    approver, bureau = world.user(Role.COUNTY_APPROVER), world.user(Role.BUREAU)
    outside_staff = make_user("bureau_b", Role.BUREAU, "450102000000")
    client.force_login(approver)
    page = client.get(reverse("department-create")).content.decode()
    assert "bureau" in page and "bureau_b" not in page and "style=" not in page
    response = client.post(
        reverse("department-create"),
        {"area": "450101000000", "name": "区水利局", "members": [bureau.pk]},
    )
    assert response["Location"] == reverse("department-list")
    water = Department.objects.get()
    assert list(water.members.all()) == [bureau]
    assert water.history.get().history_user == approver
    assert "区水利局" in client.get(reverse("department-list")).content.decode()

    response = client.post(
        reverse("department-edit", args=[water.pk]), {"name": "区水利局", "members": []}
    )
    assert response.status_code == 302 and not water.members.exists()
    response = client.post(
        reverse("department-edit", args=[water.pk]),
        {"name": "区水利局", "members": [outside_staff.pk]},
    )
    assert response.status_code == 400 and not water.members.exists()


def test_a_department_name_is_used_once_per_county(world, client):
    factories.department(world.village.code, "区水利局")
    client.force_login(world.user(Role.COUNTY_APPROVER))
    response = client.post(
        reverse("department-create"), {"area": "450101000000", "name": "区水利局"}
    )
    assert response.status_code == 400
    assert "已经存在" in response.content.decode()


def test_another_countys_department_is_404_and_other_roles_get_403(world, client):
    elsewhere = factories.department(world.outside_village.code, "水利局")
    client.force_login(world.user(Role.COUNTY_APPROVER))
    assert client.get(reverse("department-edit", args=[elsewhere.pk])).status_code == 404
    for role in (Role.RESIDENT_TEAM, Role.VILLAGE_CLERK, Role.BUREAU, Role.INSPECTOR):
        client.force_login(world.user(role))
        assert client.get(reverse("department-list")).status_code == 403
        assert client.post(reverse("department-create"), {"name": "x"}).status_code == 403
