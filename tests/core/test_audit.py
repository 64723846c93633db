from django.urls import reverse

from fupin.core.models import Area
from fupin.core.roles import Role


def test_changes_are_recorded_with_who_and_what(world, client):
    admin = world.user(Role.ADMIN)
    client.force_login(admin)
    village = world.village
    village.name = "甲一村（新）"
    village._history_user = admin
    village.save()
    record = village.history.latest()
    assert record.history_user == admin
    assert record.history_type == "~"

    page = client.get(reverse("record-history", args=["core", "area", village.code]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "甲一村" in text and "甲一村（新）" in text and "admin" in text


def test_history_of_a_user_leaves_out_the_password(world):
    clerk = world.user(Role.VILLAGE_CLERK)
    clerk.set_password("another-password")
    clerk.save()
    assert not hasattr(clerk.history.latest(), "password")


def test_inspector_reads_history_in_their_area_only(world, client):
    client.force_login(world.user(Role.INSPECTOR))
    inside = reverse("record-history", args=["core", "area", world.village.code])
    outside = reverse("record-history", args=["core", "area", world.outside_village.code])
    assert client.get(inside).status_code == 200
    assert client.get(outside).status_code == 404
    unknown = reverse("record-history", args=["core", "nosuchmodel", "1"])
    assert client.get(unknown).status_code == 404


def test_areas_are_scoped_to_the_users_subtree(world, django_assert_num_queries):
    clerk = world.user(Role.VILLAGE_CLERK)
    with django_assert_num_queries(1):
        codes = list(Area.objects.for_user(clerk).values_list("code", flat=True))
    assert codes == ["450101001001", "450101001001001", "450101001001002"]
    county = world.user(Role.COUNTY_APPROVER)
    assert Area.objects.for_user(county).filter(code=world.outside_village.code).count() == 0


def test_a_member_s_history_shows_id_numbers_masked_even_to_an_inspector(world, client):
    """Inspectors may not reveal ID numbers; no history page shows one in full."""
    from fupin.registry.services import member_save
    from tests.registry.factories import make_household, person_id

    member = make_household(world.village).members.get(relation="head")
    old = member.id_number
    member.id_number = person_id()
    member_save(member=member, user=world.user(Role.VILLAGE_CLERK), reason="录错")
    client.force_login(world.user(Role.INSPECTOR))
    page = client.get(reverse("record-history", args=["registry", "member", member.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert old not in text and member.id_number not in text
    assert f"{member.id_number[:2]}**************{member.id_number[-2:]}" in text
