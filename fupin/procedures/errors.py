"""Every refusal's message, by code: constants that tests assert, in the reader's language."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "procedure_closed": _("The procedure is closed (%(status)s): no step can be recorded."),
    "unknown_step": _("The workflow has no step %(step)s."),
    "wrong_role": _("Your role does not act at this step."),
    "out_of_area": _("The household is outside your area."),
    "already_recorded": _("This step was already recorded by %(by)s on %(date)s."),
    "step_out_of_order": _(
        "Steps are taken in order and none is skipped: the next step is %(expected)s."
    ),
    "date_in_future": _("A step cannot be recorded for a day after today."),
    "date_before_previous": _("A step cannot be dated before the previous step (%(date)s)."),
    "notice_period_running": _(
        "The public notice runs until %(ends_on)s: the next step may be recorded after it."
    ),
    "objection_open": _(
        "An objection is not resolved yet: it holds the procedure until it is resolved."
    ),
    "votes_missing": _(
        "This step records a vote: enter the votes for, against and abstaining, "
        "those present and those entitled to attend."
    ),
    "votes_inconsistent": _(
        "The votes do not add up: for + against + abstaining cannot exceed those present, nor "
        "those present those entitled to attend."
    ),
    "vote_rule_not_met": _(
        "The vote does not meet the rule: at least %(share)s of those entitled must attend "
        "(%(attendance)s of %(eligible)s did) and more than half of those present must vote for "
        "(%(votes_for)s did)."
    ),
    "document_missing": _("This step needs a document: attach the signed form or the minutes."),
    "exclusion_hit_unresolved": _(
        "%(hits)s member(s) of the household are on an exclusion list: say how this was resolved."
    ),
    "no_assessment": _(
        "No assessment of this household for %(year)s: run the assessment first, or the county "
        "overrides with a written reason."
    ),
    "registered_this_year": _(
        "The household was registered in %(year)s: it cannot exit in the same year."
    ),
    "exit_standard_not_met": _(
        "The latest assessment for %(year)s finds the exit standard not met: the household "
        "cannot exit unless the county overrides with a written reason."
    ),
    "override_needs_county": _("Only a county approver may override, with a written reason."),
    "income_not_stable": _(
        "Income has stayed above the monitoring threshold for %(months)s month(s); %(needed)s "
        "are needed."
    ),
    "guarantees_not_secure": _(
        "The latest assessment finds a guarantee (education, medical care, housing, water) "
        "not secure."
    ),
    "no_working_capacity": _("The household has no working capacity: it stays monitored."),
    "wrong_status": _(
        "A procedure of this kind cannot start for a household whose status is %(status)s."
    ),
    "already_open": _("The household already has an open procedure of this kind for %(year)s."),
    "monitoring_before_2021": _("Monitoring of households began in 2021 (not %(year)s)."),
    "monitoring_kind_required": _("Say which kind of monitored household this is."),
    "risk_types_required": _("Choose at least one risk type."),
    "not_reversible": _("Only the latest standing step of an open procedure can be reversed."),
    "reason_required": _("Say why: the reason is kept in the history."),
    "objection_resolved": _("This objection is resolved already."),
    "not_in_village": _("Every household of a batch belongs to the batch's village."),
    "notice_step_only": _("A notice is posted for a notice step."),
}

# Refusals that are about who acts, not about the procedure's state: 403 / 404.
FORBIDDEN = {"wrong_role", "override_needs_county"}
NOT_FOUND = {"out_of_area"}


def _shown(value):
    if isinstance(value, datetime.date):
        return date_format(value, "Y-m-d")
    return value


def message(code: str, params: dict | None = None) -> str:
    text = str(MESSAGES[code])
    shown = {key: _shown(value) for key, value in (params or {}).items()}
    try:
        return text % shown
    except (KeyError, TypeError, ValueError):
        return text
