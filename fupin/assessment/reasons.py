"""Reasons in words: each stored ``[code, params]`` rendered in the reader's language.

Outcomes store reason codes with parameters (fupin.assessment.rules), never sentences, so the
same run reads in Chinese or English and a wording can improve without re-running anything.
"""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext_lazy
from django.utils.translation import gettext as _

ASPECTS = {
    "quality": gettext_lazy("quality"),
    "quantity": pgettext_lazy("water", "quantity"),
    "convenience": gettext_lazy("convenience"),
    "reliability": gettext_lazy("reliability"),
}
LEVELS = {
    "unsafe": gettext_lazy("not safe"),
    "basic": gettext_lazy("basically safe"),
    "safe": gettext_lazy("safe"),
}
RATES = {
    "wrongful_exit_rate": gettext_lazy("wrongful-exit rate"),
    "omission_rate": gettext_lazy("omission rate"),
    "recognition": gettext_lazy("recognition"),
}


def yuan(fen) -> str:
    return number_format(Decimal(int(fen)) / 100, 2, force_grouping=True)


def percent(share) -> str:
    return number_format(Decimal(str(share)) * 100, 1) + "%"


def _item(p: dict) -> str:
    english = not (get_language() or "").startswith("zh")
    return (p.get("en") if english else "") or p.get("name") or p.get("item", "")


def explain(code: str, p: dict) -> str:
    """One reason as a sentence in the current language."""
    if code == "income_below_line":
        return _("per-capita income %(income)s yuan is below the line of %(line)s yuan") % {
            "income": yuan(p["income"]),
            "line": yuan(p["line"]),
        }
    if code == "no_income_record":
        return _("no income recorded for %(year)s") % p
    if code == "child_out_of_school":
        return _("%(name)s, %(age)s, out of school") % p
    if code == "no_medical_insurance":
        return (
            ngettext(
                "%(count)s member without basic medical insurance",
                "%(count)s members without basic medical insurance",
                p["count"],
            )
            % p
        )
    if code == "no_serious_illness_insurance":
        return (
            ngettext(
                "%(count)s member without serious-illness insurance",
                "%(count)s members without serious-illness insurance",
                p["count"],
            )
            % p
        )
    if code == "house_unsafe":
        return _("house grade %(grade)s") % p
    if code == "house_not_appraised":
        return _("house not appraised")
    if code == "water_below_standard":
        return _("drinking water %(aspect)s: %(level)s") % {
            "aspect": ASPECTS.get(p["aspect"], p["aspect"]),
            "level": LEVELS.get(p["level"], p["level"]),
        }
    if code == "water_not_assessed":
        return _("drinking water %(aspect)s not assessed") % {
            "aspect": ASPECTS.get(p["aspect"], p["aspect"])
        }
    if code == "registered_this_year":
        return _("registered in %(year)s: does not exit the same year") % p
    if code == "income_below_threshold":
        return _(
            "per-capita income %(income)s yuan is below the monitoring threshold of "
            "%(threshold)s yuan"
        ) % {"income": yuan(p["income"]), "threshold": yuan(p["threshold"])}
    if code == "income_fell":
        return _("per-capita income fell from %(previous)s to %(income)s yuan") % {
            "previous": yuan(p["previous"]),
            "income": yuan(p["income"]),
        }
    if code == "large_medical_expense":
        return _("large medical expense of %(amount)s yuan") % {"amount": yuan(p["amount"])}
    if code == "disaster":
        return ngettext("%(count)s disaster", "%(count)s disasters", p["count"]) % p
    if code == "incidence_not_below":
        share = p["poor"] / p["persons"] if p["persons"] else 0
        return _("poverty incidence %(incidence)s is not below %(threshold)s") % {
            "incidence": percent(share),
            "threshold": percent(p["threshold"]),
        }
    if code == "checklist_not_met":
        return _("not met: %(item)s") % {"item": _item(p)}
    if code == "checklist_not_recorded":
        return _("not recorded: %(item)s") % {"item": _item(p)}
    if code == "no_inspection_sample":
        return _("no inspection sample for the %(rate)s") % {"rate": RATES.get(p["rate"], "")}
    if code == "rate_not_below":
        return _("%(rate)s is not below %(limit)s") % {
            "rate": RATES.get(p["rate"], ""),
            "limit": percent(p["limit"]),
        }
    if code == "recognition_not_above":
        return _("recognition is not above %(limit)s") % {"limit": percent(p["limit"])}
    return code  # a code this version does not know: shown as it is


def explain_all(reasons) -> list[str]:
    return [explain(code, params) for code, params in reasons or []]
