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
    BUREAU = "bureau", _("District bureau staff")
    ADMIN = "admin", _("Administrator")


class Capability(StrEnum):
    VIEW = "view"  # read plans, projects and area figures in one's area
    VIEW_REGISTRY = "view_registry"  # read households and members
    EDIT_REGISTRY = "edit_registry"  # households, members, incomes, fieldwork records
    REVIEW = "review"  # township review of villages' data and procedures
    APPROVE = "approve"  # county approval of identification and exit; standards
    TAKE_STEPS = "take_steps"  # procedures: start, record steps, objections (each step: its roles)
    REVEAL_ID_NUMBERS = "reveal_id_numbers"  # see a full resident ID number (audited)
    EDIT_PLAN = "edit_plan"  # annual work plans, objectives and projects
    REPORT_PROGRESS = "report_progress"  # progress updates and expenditures of projects
    RUN_TASKS = "run_tasks"  # start background work (imports, assessments, statistics)
    VIEW_AUDIT = "view_audit"  # read the change history of records
    MANAGE_USERS = "manage_users"


R, C = Role, Capability
VILLAGE_WORK = {
    C.VIEW,
    C.VIEW_REGISTRY,
    C.EDIT_REGISTRY,
    C.REVEAL_ID_NUMBERS,
    C.RUN_TASKS,
    C.TAKE_STEPS,
}
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    R.VILLAGE_CLERK: frozenset(VILLAGE_WORK | {C.REPORT_PROGRESS}),
    R.RESIDENT_TEAM: frozenset(VILLAGE_WORK | {C.EDIT_PLAN, C.REPORT_PROGRESS}),
    R.TOWNSHIP_REVIEWER: frozenset({C.VIEW, C.VIEW_REGISTRY, C.REVIEW, C.RUN_TASKS, C.TAKE_STEPS}),
    R.COUNTY_APPROVER: frozenset(
        {
            C.VIEW,
            C.VIEW_REGISTRY,
            C.REVIEW,
            C.APPROVE,
            C.TAKE_STEPS,
            C.REVEAL_ID_NUMBERS,
            C.EDIT_PLAN,
            C.RUN_TASKS,
        }
    ),
    # Read-only: inspectors check, they never change anything or start work that writes.
    R.INSPECTOR: frozenset({C.VIEW, C.VIEW_REGISTRY, C.VIEW_AUDIT}),
    # A bureau's staff see plans and projects and report their own projects' progress and
    # spending; households are not theirs to see.
    R.BUREAU: frozenset({C.VIEW, C.REPORT_PROGRESS, C.RUN_TASKS}),
    R.ADMIN: frozenset(Capability),
}


def role_can(role: str, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())
