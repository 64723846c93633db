"""The msgids that two installed apps' zh-Hans catalogues translate differently.

Django merges the catalogues of INSTALLED_APPS into one and the first app's translation of a
(msgctxt, msgid) wins on every page, so where two apps translate one msgid differently, the
later app's pages show the earlier app's word. `test_i18n.py` fails on any such conflict;
run this module to see each one, the app that wins and where each app uses the msgid:

    .venv/bin/python -m tests.core.catalogues
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path

import polib

LANGUAGE = "zh_Hans"


@dataclass(frozen=True)
class Catalogue:
    app: str  # the app's label, as INSTALLED_APPS orders it
    path: Path  # the app's folder
    entries: dict  # (msgctxt, msgid) -> the translation (a tuple of plural forms for a plural)


@dataclass(frozen=True)
class Conflict:
    msgctxt: str | None
    msgid: str
    translations: dict  # app label -> translation, in INSTALLED_APPS order: the first wins

    @property
    def winner(self):
        return next(iter(self.translations))


def installed_catalogues():
    """The zh-Hans catalogue of every installed app that has one, in INSTALLED_APPS order.

    Fupin's own apps are read from their .po (what the test checks is what we edit); others
    only ship a compiled .mo.
    """
    from django.apps import apps

    catalogues = []
    for config in apps.get_app_configs():
        folder = Path(config.path) / "locale" / LANGUAGE / "LC_MESSAGES"
        po, mo = folder / "django.po", folder / "django.mo"
        if po.exists() and config.name.startswith("fupin."):
            entries = polib.pofile(str(po))
        elif mo.exists():
            entries = polib.mofile(str(mo))
        else:
            continue
        catalogues.append(
            Catalogue(
                app=config.label,
                path=Path(config.path),
                entries={
                    (entry.msgctxt, entry.msgid): _translation(entry)
                    for entry in entries
                    if entry.msgid and not entry.obsolete
                },
            )
        )
    return catalogues


def _translation(entry):
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
    return entry.msgstr


def conflicts(catalogues):
    """Every (msgctxt, msgid) translated differently by two catalogues, one of them Fupin's.

    Two other packages disagreeing is theirs to settle and shows on none of Fupin's pages.
    """
    translations = {}
    for catalogue in catalogues:
        for key, msgstr in catalogue.entries.items():
            translations.setdefault(key, {})[catalogue.app] = msgstr
    fupin_apps = {c.app for c in catalogues if c.path.parent.name == "fupin"}
    return [
        Conflict(msgctxt, msgid, by_app)
        for (msgctxt, msgid), by_app in sorted(translations.items(), key=_key_order)
        if len(set(by_app.values())) > 1 and fupin_apps & by_app.keys()
    ]


def _key_order(item):
    (msgctxt, msgid), _ = item
    return (msgid.lower(), msgid, msgctxt or "")


def uses(catalogue, msgctxt, msgid):
    """Where the app's own .py and .html files mark the msgid, as 'path:line' (no migrations).

    A search for a translation call or tag naming the quoted msgid (and its context): enough to
    find the page, not a parser.
    """
    text = re.escape(msgid)
    if msgctxt is None:
        marked = (
            rf"\b(?:_|gettext(?:_lazy|_noop)?|ngettext(?:_lazy)?)\(\s*([\"']){text}\1"
            rf"|\{{% *(?:trans|translate) +([\"']){text}\2(?! +context)"
        )
    else:
        context = re.escape(msgctxt)
        marked = (
            rf"\bn?pgettext(?:_lazy)?\(\s*([\"']){context}\1\s*,\s*([\"']){text}\2"
            rf"|\{{% *(?:trans|translate) +([\"']){text}\3 +context +([\"']){context}\4"
        )
    pattern = re.compile(marked)
    found = []
    for path in sorted([*catalogue.path.rglob("*.py"), *catalogue.path.rglob("*.html")]):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for match in pattern.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(catalogue.path.parent)}:{line}")
    return found


def report(catalogues):
    by_app = {catalogue.app: catalogue for catalogue in catalogues}
    lines = []
    found = conflicts(catalogues)
    for conflict in found:
        context = f" (context {conflict.msgctxt!r})" if conflict.msgctxt else ""
        lines.append(f"{conflict.msgid!r}{context}: {conflict.winner} wins")
        for app, msgstr in conflict.translations.items():
            where = uses(by_app[app], conflict.msgctxt, conflict.msgid)
            lines.append(f"    {app:12} {msgstr}")
            lines.extend(f"        {place}" for place in where)
            if not where:
                lines.append("        (not found in the app's .py or .html)")
    lines.append(f"{len(found)} conflicts")
    return "\n".join(lines)


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    django.setup()
    print(report(installed_catalogues()))
