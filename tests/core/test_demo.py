from django.core.management import call_command

from fupin.core.demo import DEMO_PASSWORD, GROUPS
from fupin.core.models import Area, User
from fupin.core.roles import Role


def snapshot():
    return (
        list(Area.objects.values_list("code", "name", "level", "parent_id")),
        list(User.objects.order_by("username").values_list("username", "role", "area_id")),
    )


def test_demo_is_idempotent_and_has_one_user_per_role(db, capsys):
    call_command("demo")
    first = snapshot()
    call_command("demo")
    assert snapshot() == first
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {role.value for role in Role}
    clerk = User.objects.get(username="clerk")
    assert clerk.check_password(DEMO_PASSWORD)
    village_groups = Area.objects.filter(parent=clerk.area).order_by("code")
    assert [a.name for a in village_groups] == [name for _key, name in GROUPS]
    assert len(Area.objects.filter(level=5)) == 2  # the seed's village and a second one
