"""The household page's procedures panel: the household's procedures and where each stands,
and a link to start one, through the registry's hooks (the registry does not import
procedures)."""

from fupin.core.roles import Capability
from fupin.procedures import queries
from fupin.procedures.models import Procedure
from fupin.registry import hooks

TEMPLATE = "procedures/_household_panel.html"


def procedures_panel(household, user):
    if not user.can(Capability.VIEW_REGISTRY):
        return None
    return {
        "household": household,
        "procedures": Procedure.objects.filter(household=household)
        .select_related("step")
        .order_by("-year", "-id")[:20],
        "may_start": bool(queries.startable_kinds(user.role)),
    }


if not any(p.template == TEMPLATE for p in hooks.household_panels):
    hooks.household_panels.append(hooks.HouseholdPanel(TEMPLATE, procedures_panel))
