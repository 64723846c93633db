"""Chinese by default, English on request, and every catalogue complete and compiled."""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

import fupin

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


def test_chinese_is_the_default_and_english_can_be_chosen(world, client):
    page = client.get(reverse("login"))
    assert '<html lang="zh-hans">' in page.content.decode()
    assert "登录" in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Sign in" in page
