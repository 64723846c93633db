"""Users made by administrators: nobody grants beyond their reach, one-time passwords must be
changed first, deactivated users cannot sign in, bulk creation is all or nothing."""

import csv

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from fupin.core import accounts
from fupin.core.models import User
from fupin.core.roles import Role
from fupin.core.user_import import check_users
from tests.conftest import PASSWORD


def test_an_area_administrator_cannot_reach_another_county_or_the_all_areas_role(world):
    admin_a = world.user(Role.ADMIN)  # county A
    with pytest.raises(ValidationError) as outside:
        accounts.user_create(
            by=admin_a,
            username="b1",
            full_name="乙某",
            role=Role.VILLAGE_CLERK,
            area=world.outside_village,
        )
    assert "area" in outside.value.message_dict
    with pytest.raises(ValidationError):
        accounts.user_create(
            by=admin_a, username="root2", full_name="某", role=Role.ADMIN, area=None
        )
    user, password = accounts.user_create(
        by=admin_a, username="a1", full_name="甲某", role=Role.VILLAGE_CLERK, area=world.village
    )
    assert user.must_change_password and user.check_password(password) and len(password) == 12
    assert (user.last_name, user.first_name) == ("甲", "某")
    assert not User.objects.filter(username__in=["b1", "root2"]).exists()


def test_the_create_page_shows_the_password_once_and_a_first_sign_in_must_change_it(world, client):
    client.force_login(world.user(Role.ADMIN))
    response = client.post(
        reverse("user-create"),
        {
            "username": "wei",
            "full_name": "韦新",
            "phone": "13800000000",
            "role": "village_clerk",
            "area": world.village.code,
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    client.logout()
    assert sign_in(client, "wei", password)
    assert client.get(reverse("home"))["Location"] == reverse("password_change")
    new = "a-much-longer-passphrase-2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert not User.objects.get(username="wei").must_change_password


def test_a_deactivated_user_cannot_sign_in_and_keeps_their_history(world, client):
    clerk = world.user(Role.VILLAGE_CLERK)
    client.force_login(world.user(Role.ADMIN))
    response = client.post(
        reverse("user-edit", args=[clerk.pk]),
        {"full_name": "韦文书", "role": "village_clerk", "area": world.village.code},
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_active
    client.logout()
    assert not sign_in(client, clerk.username, PASSWORD)
    assert clerk.history.count() >= 2


def sign_in(client, username, password) -> bool:
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def write_sheet(path, rows, header=("用户名", "姓名", "电话", "角色", "区划代码")):
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_bulk_refusals_write_nothing(world, tmp_path):
    admin_a = world.user(Role.ADMIN)
    rows = [
        ("new1", "张三", "", "村文书", "450101001001"),
        ("new2", "李四", "", "village_clerk", "450102001001"),  # county B: beyond reach
        ("new1", "王五", "", "驻村工作队员", "450101001001"),  # twice
        ("village_clerk", "赵六", "", "村文书", "450101001001"),  # taken
        ("new3", "钱七", "", "队长", "450101001001"),  # not a role
        ("new4", "孙八", "", "township_reviewer", "450199999999"),  # no such area
    ]
    plan = check_users(write_sheet(tmp_path / "u.csv", rows), by=admin_a)
    assert [(e.row, e.code) for e in plan.errors] == [
        (3, "beyond_reach"),
        (4, "username_twice"),
        (5, "username_taken"),
        (6, "unknown_role"),
        (7, "unknown_area"),
    ]
    with pytest.raises(CommandError):
        call_command(
            "import-users",
            str(tmp_path / "u.csv"),
            "--passwords-out",
            str(tmp_path / "p.csv"),
            "--user",
            admin_a.username,
        )
    assert not User.objects.filter(username__startswith="new").exists()


def test_the_command_creates_users_and_writes_their_passwords_once(world, tmp_path):
    rows = [(f"user{n}", f"用户{n}", "", "村文书", "450101001001") for n in range(5)]
    rows.append(("inspector9", "督查", "", "Inspector", "450101000000"))
    out = tmp_path / "passwords.xlsx"
    call_command(
        "import-users", str(write_sheet(tmp_path / "u.csv", rows)), "--passwords-out", str(out)
    )
    sheet = load_workbook(out).active
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [line[0] for line in lines] == [row[0] for row in rows]
    assert out.stat().st_mode & 0o077 == 0
    made = User.objects.get(username="inspector9")
    assert made.role == Role.INSPECTOR and made.check_password(lines[-1][2])
    assert made.must_change_password


def test_createadmin_makes_an_area_administrator_with_a_one_time_password(world, capsys):
    call_command("createadmin", "county_admin", "--area", "450102000000", "--name", "蒙管理")
    user = User.objects.get(username="county_admin")
    assert (user.role, user.area_id, user.must_change_password) == (
        Role.ADMIN,
        "450102000000",
        True,
    )
    password = capsys.readouterr().out.strip().rsplit(" ", 1)[-1]
    assert user.check_password(password)
    with pytest.raises(CommandError, match="No area"):
        call_command("createadmin", "x", "--area", "459999000000")


@pytest.mark.django_db(transaction=True)
def test_the_bulk_page_gives_the_passwords_once_to_their_maker(world, client, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fupin.core.models import Job

    admin = world.user(Role.ADMIN)
    client.force_login(admin)
    rows = [("bulk1", "周一", "", "村文书", "450101001001")]
    sheet = write_sheet(tmp_path / "u.csv", rows)
    client.post(reverse("user-import"), {"file": SimpleUploadedFile("u.csv", sheet.read_bytes())})
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED, job.error
    download = reverse("job-download", args=[job.pk])
    first = client.get(download)
    assert first.status_code == 200
    body = b"".join(first.streaming_content)
    assert body[:2] == b"PK"  # an .xlsx
    assert client.get(download).status_code == 404  # once
