"""Roles and what each may do: data, so that one table answers every permission question.

Where a user may act is decided by area scoping (fupin.core.scoping); *what* they may do there
is decided here. The authorization matrix test reads this table.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VILLAGE_CLERK = "village_clerk", _("Village clerk")
    RESIDENT_TEAM = "resident_team", _("Resident team member")
    TOWNSHIP_REVIEWER = "township_reviewer", _("Township reviewer")
    COUNTY_APPROVER = "county_approver", _("County approver")
    INSPECTOR = "inspector", _("Inspector")
    ADMIN = "admin", _("Administrator")


class Capability(StrEnum):
    VIEW = "view"  # read business data in one's area
    EDIT_REGISTRY = "edit_registry"  # households, members, incomes, fieldwork records
    REVIEW = "review"  # township review of villages' data and procedures
    APPROVE = "approve"  # county approval of identification and exit; standards
    REVEAL_ID_NUMBERS = "reveal_id_numbers"  # see a full resident ID number (audited)
    RUN_TASKS = "run_tasks"  # start background work (imports, assessments, statistics)
    VIEW_AUDIT = "view_audit"  # read the change history of records
    MANAGE_USERS = "manage_users"


R, C = Role, Capability
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    R.VILLAGE_CLERK: frozenset({C.VIEW, C.EDIT_REGISTRY, C.REVEAL_ID_NUMBERS, C.RUN_TASKS}),
    R.RESIDENT_TEAM: frozenset({C.VIEW, C.EDIT_REGISTRY, C.REVEAL_ID_NUMBERS, C.RUN_TASKS}),
    R.TOWNSHIP_REVIEWER: frozenset({C.VIEW, C.REVIEW, C.RUN_TASKS}),
    R.COUNTY_APPROVER: frozenset({C.VIEW, C.REVIEW, C.APPROVE, C.REVEAL_ID_NUMBERS, C.RUN_TASKS}),
    R.INSPECTOR: frozenset({C.VIEW, C.VIEW_AUDIT}),
    R.ADMIN: frozenset(Capability),
}


def role_can(role: str, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())
