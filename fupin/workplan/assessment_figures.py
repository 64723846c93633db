"""The assessment's figures for the year-end summary, where the assessment app is installed
(the work plan uses the assessment where it exists, never the other way round)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def figures(area, year: int):
    """(label, value) pairs from the latest assessment run of the area for the year."""
    from fupin.assessment.models import AreaResult

    result = (
        AreaResult.objects.filter(area=area, run__year=year)
        .order_by("-run__created_at")
        .values_list("figures", flat=True)
        .first()
    )
    if not result:
        return None
    incidence = result.get("incidence")
    return [
        (_("Households assessed"), str(result.get("households", 0))),
        (pgettext("count", "Persons"), str(result.get("persons", 0))),
        (_("Remaining registered poor persons"), str(result.get("registered_poor_persons", 0))),
        (_("Poverty incidence"), "—" if incidence is None else f"{incidence * 100:.2f}%"),
        (_("Households meeting the exit standard"), str(result.get("meets_exit", 0))),
        (_("Registered households not yet meeting it"), str(result.get("not_meets_exit", 0))),
        (_("Possibly missed households"), str(result.get("identification_candidates", 0))),
        (_("Monitoring flags"), str(result.get("monitoring_flags", 0))),
    ]
