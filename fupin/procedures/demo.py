"""The demo's procedures, through the services as a village would record them: the 2019
identification round (households at several steps up to the first public notice), the 2019
exit round (the village notice posted, one objection open, one verification the county
overrode), and a 2026 monitoring round (households included, one risk removed).

Runs after the registry's, the assessment's and the fieldwork's demos (so the households its
rounds register or put under monitoring are not yet paired with a cadre: the compliance
page counts them as households paired to no cadre, as it would in a real round). Idempotent: loaded
once (nothing is added when the village already has procedures)."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction

from fupin.assessment.models import HouseholdOutcome
from fupin.assessment.selectors import covering_runs
from fupin.procedures import rules, selectors, services
from fupin.procedures.defaults import ensure_defaults
from fupin.procedures.models import Procedure, RiskType
from fupin.registry.models import Household

D = datetime.date
YEAR = 2019
MONITORING_YEAR = 2026


def _meeting(votes_for=27, eligible=36):
    return rules.Votes(votes_for=votes_for, against=2, abstain=1, attendance=30, eligible=eligible)


def _by_outcome(village, year) -> dict[str, list[int]]:
    run = covering_runs(village.code).filter(year=year).values_list("pk", flat=True).first()
    found: dict[str, list[int]] = {}
    if run is None:
        return found
    rows = HouseholdOutcome.objects.filter(run_id=run, village_id=village.code)
    for household, outcome in rows.values_list("household_id", "outcome"):
        found.setdefault(outcome, []).append(household)
    return found


def _households(village, ids, status, limit, **more):
    chosen = Household.objects.in_area(village.code).filter(status=status, **more)
    if ids is not None:
        chosen = chosen.filter(pk__in=ids)
    return list(chosen.order_by("household_no")[:limit])


def _batch(procedures, step, user, on, **more):
    if procedures:
        services.step_record_batch(
            procedures=procedures, step_code=step, user=user, on=on, today=on, **more
        )


def load_demo(context) -> None:
    village = context.village
    if Procedure.objects.in_area(village.code).exists():
        context.log.append("Procedures: already loaded.")
        return
    ensure_defaults()
    users = context.users
    clerk, team, township, county = (users[k] for k in ("clerk", "team", "township", "county"))
    outcomes = _by_outcome(village, YEAR)
    with transaction.atomic():
        counts = {
            "identification": _identification(village, outcomes, clerk, team),
            "exit": _exit(village, outcomes, clerk, team, township, county),
            "monitoring": _monitoring(village, clerk, team, township, county),
        }
    context.log.append(
        "Procedures: "
        + ", ".join(f"{kind} {n}" for kind, n in counts.items())
        + " households in rounds."
    )


def _identification(village, outcomes, clerk, team) -> int:
    """Twelve applications of 2019: all appraised by their groups, then fewer at each step;
    four are on the first public notice."""
    chosen = _households(village, outcomes.get("candidate"), "not_registered", 12)
    if len(chosen) < 12:  # no assessment: any households not registered
        chosen = _households(village, None, "not_registered", 12)
    started = services.procedure_start_batch(
        households=chosen,
        kind="identification",
        year=YEAR,
        user=clerk,
        on=D(2019, 3, 1),
        source="application",
    )
    _batch(started, "application", clerk, D(2019, 3, 1), note="农户自愿申请")
    _batch(
        started,
        "group_appraisal",
        clerk,
        D(2019, 3, 5),
        votes=_meeting(),
        note="村民小组会议民主评议",
    )
    _batch(
        started[:10],
        "exclusion_check",
        team,
        D(2019, 3, 8),
        exclusion_resolutions={p.pk: "已与车辆、财政供养、工商、房产名单比对" for p in started},
    )
    _batch(
        started[:8],
        "representatives_appraisal",
        clerk,
        D(2019, 3, 12),
        votes=_meeting(),
        note="村民代表会议评议",
    )
    _batch(started[:6], "village_verification", team, D(2019, 3, 15), note="入户核实")
    _batch(
        started[:4],
        "first_notice",
        clerk,
        D(2019, 3, 18),
        notice_place="村委会公示栏",
        notice_object_to="村委会 韦文书 0771-0000000",
    )
    return len(started)


def _exit(village, outcomes, clerk, team, township, county) -> int:
    """Ten registered households proposed for exit in 2019: verified against the 2019
    assessment (one below the standard, overridden by the county with its reason), the
    signed agreements, the village notice posted — and an anonymous objection open."""
    meeting = _households(
        village, outcomes.get("meets_exit"), "registered", 8, year_registered__lt=YEAR
    )
    below = _households(
        village, outcomes.get("not_meets_exit"), "registered", 2, year_registered__lt=YEAR
    )
    started = services.procedure_start_batch(
        households=meeting + below,
        kind="exit",
        year=YEAR,
        user=clerk,
        on=D(2019, 10, 8),
        source="proposal",
    )
    _batch(
        started, "appraisal", clerk, D(2019, 10, 8), votes=_meeting(), note="村民代表会议民主评议"
    )
    met = started[: len(meeting)]
    _batch(met[:7], "verification", team, D(2019, 10, 10), note="村两委和驻村工作队入户核实")
    if below:
        services.step_record(
            procedure=started[len(meeting)],
            step_code="verification",
            user=county,
            on=D(2019, 10, 11),
            today=D(2019, 10, 11),
            override_reason="年底产业分红已到账，经县扶贫办入户核实人均纯收入已超过标准",
        )
    verified = met[:7] + ([started[len(meeting)]] if below else [])
    signed = ContentFile(b"%PDF-1.4\n% demo: signed agreements\n", name="退出确认书.pdf")
    _batch(verified[:6], "agreement", clerk, D(2019, 10, 12), document=signed, note="户主签字确认")
    noticed = verified[:6]
    _batch(
        noticed,
        "village_notice",
        clerk,
        D(2019, 10, 14),
        notice_place="村委会公示栏",
        notice_object_to="村委会 韦文书 0771-0000000；镇扶贫站 0771-0000001",
    )
    if noticed:
        services.objection_raise(
            procedure=noticed[0],
            user=clerk,
            content="群众反映该户家中有小轿车，不符合退出条件",
            raised_on=D(2019, 10, 16),
        )
    return len(started)


def _monitoring(village, clerk, team, township, county) -> int:
    """Five exited households found at risk in 2026 (visits, a department's data, their own
    report): three included after the county confirmed, two still at the village; one
    included household's risk then removed after the notice."""
    exited = _households(village, None, "exited", 40)
    # Working capacity and secure guarantees in the latest assessment: the one whose risk
    # can be removed.
    removable = _removable(village, exited)
    order = ([removable] if removable else []) + [h for h in exited if h != removable]
    chosen = order[:5]
    if not chosen:
        return 0
    illness = list(RiskType.objects.filter(code__in=["illness", "income_shock"]))
    work = list(RiskType.objects.filter(code__in=["unstable_employment"]))
    procedures = []
    for index, household in enumerate(chosen):
        procedures.append(
            services.procedure_start(
                household=household,
                kind="monitoring",
                year=MONITORING_YEAR,
                user=clerk,
                on=D(2026, 2, 10),
                source=["cadre_visit", "department_data", "application"][index % 3],
                monitoring_kind="sudden_hardship" if index % 2 == 0 else "unstable_exited",
                risk_types=illness if index % 2 == 0 else work,
            )
        )
    _batch(procedures, "proposal", clerk, D(2026, 2, 10), note="走访排查和部门预警")
    _batch(procedures, "village_appraisal", clerk, D(2026, 2, 20), votes=_meeting())
    _batch(procedures[:3], "township_review", township, D(2026, 3, 2))
    _batch(procedures[:3], "county_confirmation", county, D(2026, 3, 10))
    if removable:
        removal = services.procedure_start(
            household=Household.objects.get(pk=removable.pk),
            kind="risk_removal",
            year=MONITORING_YEAR,
            user=clerk,
            on=D(2026, 10, 12),
            source="cadre_visit",
        )
        for step, user, day, more in [
            ("proposal", clerk, D(2026, 10, 12), {}),
            ("verification", team, D(2026, 10, 14), {"stable_months": 7}),
            ("village_appraisal", clerk, D(2026, 10, 16), {"votes": _meeting()}),
            ("notice", clerk, D(2026, 10, 19), {"notice_place": "村委会公示栏"}),
            ("township_review", township, D(2026, 10, 26), {}),
            ("county_confirmation", county, D(2026, 11, 2), {}),
        ]:
            services.step_record(
                procedure=removal, step_code=step, user=user, on=day, today=day, **more
            )
    return len(procedures)


def _removable(village, exited):
    """An exited household that can work and whose latest outcome finds nothing at risk."""
    if not exited:
        return None
    ids = [h.pk for h in exited]
    outcomes = selectors.latest_outcomes(village.code, MONITORING_YEAR, ids, exact=False)
    working = selectors.working_capacity(ids)
    for household in exited:
        _run, outcome, tests = outcomes.get(household.pk, (None, None, 0))
        if (
            outcome is not None
            and not tests
            & (rules.assessment.FLAG_BELOW_THRESHOLD | rules.assessment.GUARANTEE_FAILS)
            and working.get(household.pk)
        ):
            return household
    return None
