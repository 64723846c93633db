"""Chinese by default, English on request, and every catalogue complete and compiled."""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

import fupin
from fupin.core.models import Job
from fupin.core.roles import Role
from tests.core.catalogues import Catalogue, conflicts, installed_catalogues, report

PACKAGE = Path(fupin.__file__).parent
CATALOGUES = sorted(PACKAGE.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))
MARKED = re.compile(r"\b(n|p|np)?gettext(_lazy)?\b|\{% *(block)?trans(late)?\b")


def test_there_is_a_catalogue_for_every_package_with_strings():
    # `make messages` refreshes each catalogue from its own package's files and drops what they
    # do not hold: a string marked in a package without a catalogue of its own would be
    # dropped from whichever catalogue translated it (fupin.documents' were, from core's).
    with_strings = {
        folder.name
        for folder in PACKAGE.iterdir()
        if (folder / "__init__.py").exists()
        and any(
            MARKED.search(path.read_text(encoding="utf-8"))
            for path in [*folder.rglob("*.py"), *folder.rglob("*.html")]
            if "migrations" not in path.parts
        )
    }
    assert {"core", "documents"} <= with_strings
    assert with_strings <= {path.parts[-5] for path in CATALOGUES}


def test_make_messages_refreshes_every_catalogue():
    makefile = (PACKAGE.parent / "Makefile").read_text(encoding="utf-8")
    refreshed = re.search(r"for app in ([\w ]+); do", makefile).group(1).split()
    assert sorted(refreshed) == sorted(path.parts[-5] for path in CATALOGUES)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_complete_and_compiled(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path}: {untranslated}"
    assert not fuzzy, f"fuzzy in {po_path}: {fuzzy}"
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    in_mo = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in compiled}
    in_po = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in catalogue if not e.obsolete}
    assert in_mo == in_po, f"{po_path.with_suffix('.mo')} is stale: run `make messages`"


# Conflicts let stand, each with its reason. None: a word that must read differently in one app
# takes a context there (`python -m tests.core.catalogues` lists what this test finds).
ALLOWED_CONFLICTS = set()


def test_no_two_catalogues_translate_one_msgid_differently():
    # Django merges the catalogues and the first installed app's translation is shown on every
    # page, so a second app's differing word would never appear (its pages show the first's).
    catalogues = installed_catalogues()
    assert {"auth", "simple_history", "core", "procedures"} <= {c.app for c in catalogues}
    found = [c for c in conflicts(catalogues) if (c.msgctxt, c.msgid) not in ALLOWED_CONFLICTS]
    assert not found, report(catalogues)


def test_a_conflict_is_found_with_the_first_app_winning(tmp_path):
    def catalogue(app, package, entries):
        return Catalogue(app=app, path=tmp_path / package / app, entries=entries)

    catalogues = [
        catalogue("auth", "contrib", {(None, "active"): "有效", (None, "name"): "名称"}),
        catalogue("other", "contrib", {(None, "name"): "名字"}),  # not Fupin's: not reported
        catalogue("registry", "fupin", {(None, "Open"): "打开", ("person", "name"): "姓名"}),
        catalogue("fieldwork", "fupin", {(None, "active"): "在岗", (None, "Open"): "未办"}),
        catalogue("procedures", "fupin", {("procedure status", "Open"): "办理中"}),
    ]
    found = {(c.msgctxt, c.msgid): (c.winner, c.translations) for c in conflicts(catalogues)}
    assert found == {
        (None, "active"): ("auth", {"auth": "有效", "fieldwork": "在岗"}),
        (None, "Open"): ("registry", {"registry": "打开", "fieldwork": "未办"}),
    }


def test_core_pages_show_cores_words_not_another_packages(world, client):
    # simple_history's catalogue comes first and says 主页 and 已创建 (a record's change).
    admin = world.user(Role.ADMIN)
    Job.objects.create(kind="recompute_area_statistics", owner=admin, area=admin.area)
    client.force_login(admin)
    home = client.get(reverse("home")).content.decode()
    assert "首页" in home and "主页" not in home
    jobs = client.get(reverse("job-list")).content.decode()
    assert "<th>创建时间</th>" in jobs and "已创建" not in jobs


def test_chinese_is_the_default_and_english_can_be_chosen(world, client):
    page = client.get(reverse("login"))
    assert '<html lang="zh-hans">' in page.content.decode()
    assert "登录" in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Sign in" in page
