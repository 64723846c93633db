"""Shared fixtures: a small world of areas with one user per role, and a real browser.

The world has two counties so that "outside the user's area" exists for every role but the
all-areas administrator:

    450000000000 province
      450100000000 city
        450101000000 county A          (county approver, inspector, admin_a)
          450101001000 township A      (township reviewer)
            450101001001 village A1    (clerk, team)  — groups 450101001001001..002
            450101001002 village A2    (clerk_a2)
        450102000000 county B
          450102001000 township B
            450102001001 village B1    (clerk_b)
"""

import os

import pytest

from fupin import areacodes
from fupin.core.models import Area, User
from fupin.core.roles import Role

PASSWORD = "correct-horse-battery-staple"

AREAS = [
    ("450000000000", "广西壮族自治区"),
    ("450100000000", "南宁市"),
    ("450101000000", "甲县"),
    ("450101001000", "甲镇"),
    ("450101001001", "甲一村"),
    ("450101001001001", "甲一屯"),
    ("450101001001002", "甲二屯"),
    ("450101001002", "甲二村"),
    ("450102000000", "乙县"),
    ("450102001000", "乙镇"),
    ("450102001001", "乙一村"),
]

# The user of each role inside county A, and where they sit.
ROLE_USERS = {
    Role.VILLAGE_CLERK: "450101001001",
    Role.RESIDENT_TEAM: "450101001001",
    Role.TOWNSHIP_REVIEWER: "450101001000",
    Role.COUNTY_APPROVER: "450101000000",
    Role.INSPECTOR: "450101000000",
    Role.ADMIN: "450101000000",
    Role.BUREAU: "450101000000",
}


class World:
    def __init__(self):
        self.areas = {}
        for code, name in AREAS:
            parent = self.areas.get(areacodes.parent_code(code))
            self.areas[code] = Area.objects.create(
                code=code, name=name, level=int(areacodes.level_of(code)), parent=parent
            )
        self.village = self.areas["450101001001"]
        self.other_village = self.areas["450101001002"]
        self.outside_village = self.areas["450102001001"]
        self.users = {role: make_user(role.value, role, code) for role, code in ROLE_USERS.items()}
        self.outsider = make_user("clerk_b", Role.VILLAGE_CLERK, "450102001001")

    def user(self, role) -> User:
        return self.users[Role(role)]


def make_user(username, role, area_code) -> User:
    user = User(username=username, role=role, area_id=area_code, first_name=username)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def client_for(client):
    """A logged-in test client for a user (force_login: no brute-force counter involved)."""

    def login(user):
        client.force_login(user)
        return client

    return login


# --- the browser -----------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts")


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        reason = f"{CHROMIUM} is missing (run `make browser` as root to install Debian's chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls the test
    # makes around it are still synchronous, so allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def artifacts_dir():
    os.makedirs(ARTIFACTS, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Files that jobs write go to a folder of the test's own.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's language: a request in English (the client's language
    cookie) leaves its language active in the thread, and a later test that prints a record
    outside a request (a meeting type's name) would read English, by the order tests ran in."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
