"""The registry's Chinese is what its catalogue says: no other app's catalogue shadows it
(Django lets apps listed earlier win, so django.contrib.auth's "Disabled" = 禁用 did), and
the coded values read back unambiguously in Chinese, as the export writes them."""

from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

import fupin.registry
from fupin.registry.cells import choice_lookup
from fupin.registry.errors import MESSAGES
from fupin.registry.template import COLUMNS

CATALOGUE = Path(fupin.registry.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.po"

# Shared with core, which comes first and says the same thing in other words.
CORE_WORDING = {"Group", "Village", "Status", "Total", "Name", "Change history", "detail",
                "status", "village"}  # fmt: skip


def test_every_registry_string_reads_as_the_registry_translated_it():
    shadowed = []
    with translation.override("zh-hans"):
        for entry in polib.pofile(str(CATALOGUE)):
            if entry.msgid_plural:
                shown, wanted = ngettext(entry.msgid, entry.msgid_plural, 2), entry.msgstr_plural[0]
            elif entry.msgctxt:
                shown, wanted = pgettext(entry.msgctxt, entry.msgid), entry.msgstr
            else:
                shown, wanted = gettext(entry.msgid), entry.msgstr
            if shown != wanted and entry.msgid not in CORE_WORDING:
                shadowed.append((entry.msgid, wanted, shown))
    assert shadowed == []


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_import_error_reads_in_chinese(code):
    with translation.override("en"):
        english = str(MESSAGES[code])
    with translation.override("zh-hans"):
        chinese = str(MESSAGES[code])
    assert chinese != english
    assert any("\u4e00" <= letter <= "\u9fff" for letter in chinese)


@pytest.mark.parametrize("column", [c for c in COLUMNS if c.choices], ids=lambda column: column.key)
def test_each_coded_value_reads_back_from_its_chinese_label(column):
    lookup = choice_lookup(column.choices)
    with translation.override("zh-hans"):
        labels = {value: str(label) for value, label in column.choices.choices}
    assert len(set(labels.values())) == len(labels)  # no two values share a label
    assert {value: lookup[label.lower()] for value, label in labels.items()} == {
        value: value for value in labels
    }
