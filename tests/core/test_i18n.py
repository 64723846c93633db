"""Chinese by default, English on request, and every catalogue complete and compiled."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse

import fupin

CATALOGUES = sorted(Path(fupin.__file__).parent.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))


def test_there_is_a_catalogue_for_every_app_with_strings():
    apps = {path.parts[-5] for path in CATALOGUES}
    assert {"core"} <= apps


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
