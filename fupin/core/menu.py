"""The main menu: each app adds its entries from its AppConfig.ready() with `menu_entry`."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core.access import may
from fupin.core.roles import Capability


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    capabilities: tuple[Capability, ...]  # the role must have every one
    order: int
    all_areas: bool = False  # as the page's @require(..., all_areas=True)


_entries: list[MenuEntry] = []


def menu_entry(
    label, url_name: str, *capabilities: Capability, order: int = 50, all_areas: bool = False
):
    """Add an entry, shown to roles with every one of `capabilities` (default: VIEW), as
    the page's `@require` asks; lower `order` comes first (home 0, core's own pages 90+)."""
    if not any(entry.url_name == url_name for entry in _entries):
        needed = capabilities or (Capability.VIEW,)
        _entries.append(MenuEntry(label, url_name, needed, order, all_areas))
        _entries.sort(key=lambda entry: entry.order)


def menu_for(user) -> list[MenuEntry]:
    return [entry for entry in _entries if may(user, entry.capabilities, all_areas=entry.all_areas)]


menu_entry(pgettext_lazy("home page", "Home"), "home", order=0)
menu_entry(_("Background tasks"), "job-list", order=90)
menu_entry(_("Deleted records"), "deleted-records", Capability.VIEW_AUDIT, order=92)
menu_entry(_("Users"), "user-list", Capability.MANAGE_USERS, order=95)
menu_entry(_("Areas"), "area-import", Capability.MANAGE_USERS, order=96)
