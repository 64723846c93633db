"""The household page's fieldwork panel: its cadre, recent visits and open follow-ups,
through the registry's hooks (the registry does not import fieldwork)."""

from django.db.models import Prefetch

from fupin.core.roles import Capability
from fupin.fieldwork.models import FollowUpStatus, Measure, Pairing, Visit
from fupin.registry import hooks

TEMPLATE = "fieldwork/_household_panel.html"


def fieldwork_panel(household, user):
    if not user.can(Capability.VIEW_REGISTRY):
        return None
    pairing = Pairing.objects.current().filter(household=household).select_related("cadre").first()
    # The panel shows each visit's visitors (one query for the ten), not its follow-ups: the
    # open ones are listed on their own below.
    visits = Visit.objects.filter(household=household).prefetch_related("visitors")[:10]
    return {
        "household": household,
        "pairing": pairing,
        "visits": visits,
        "open_follow_ups": household.follow_ups.filter(status=FollowUpStatus.OPEN)
        .select_related("owner")
        .order_by("due_on"),
        # The measures with their type and project joined: one query for the three plans.
        "plans": household.assistance_plans.prefetch_related(
            Prefetch("measures", queryset=Measure.objects.select_related("type", "project"))
        )[:3],
        "can_edit": user.can(Capability.EDIT_REGISTRY),
        # For who audits, the visits deleted from the diary, found in the history (the
        # household's own visits: one count on the history's household index).
        "deleted_visits": (
            Visit.history.filter(household_id=household.pk, history_type="-").count()
            if user.can(Capability.VIEW_AUDIT)
            else 0
        ),
    }


if not any(p.template == TEMPLATE for p in hooks.household_panels):
    hooks.household_panels.append(hooks.HouseholdPanel(TEMPLATE, fieldwork_panel))


# The household handbook (扶贫手册): its download links on the household page.
HANDBOOK_TEMPLATE = "fieldwork/festival/_household_handbook.html"


def handbook_panel(household, user):
    if not user.can(Capability.VIEW_REGISTRY):
        return None
    return {
        "household": household,
        "can_reveal": user.can(Capability.REVEAL_ID_NUMBERS),
        "can_run": user.can(Capability.RUN_TASKS),
    }


if not any(p.template == HANDBOOK_TEMPLATE for p in hooks.household_panels):
    hooks.household_panels.append(hooks.HouseholdPanel(HANDBOOK_TEMPLATE, handbook_panel))


# --- trainings and referrals ------------------------------------------------------------------

TRAININGS_TEMPLATE = "fieldwork/trainings/_household_panel.html"


def trainings_panel(household, user):
    from django.utils import timezone

    from fupin.fieldwork.trainings import born_between, default_ages

    if not user.can(Capability.VIEW_REGISTRY):
        return None
    earliest, latest = born_between(timezone.localdate(), *default_ages())
    return {
        "enrolments": household.enrolments.select_related("member", "programme").order_by(
            "-enrolled_on", "-id"
        ),
        "referrals": household.referrals.select_related("member", "programme"),
        "members": household.members.present()
        .filter(birth_date__range=(earliest, latest))
        .order_by("birth_date"),
        "can_edit": user.can(Capability.EDIT_REGISTRY),
    }


if not any(p.template == TRAININGS_TEMPLATE for p in hooks.household_panels):
    hooks.household_panels.append(hooks.HouseholdPanel(TRAININGS_TEMPLATE, trainings_panel))


# A registry write of a village's households (a status, a new or moved household, an import):
# its stored compliance figures are computed again.
def _households_changed(*villages):
    from fupin.fieldwork.compliance import forget

    forget(*villages)


if _households_changed.__name__ not in {f.__name__ for f in hooks.households_changed}:
    hooks.households_changed.append(_households_changed)
