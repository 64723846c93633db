"""Writes of the assessment app: one function per action, keyword-only, validated."""

import csv
import io
import time
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from fupin import areacodes
from fupin.assessment import engine
from fupin.assessment.models import (
    AreaResult,
    AssessmentRun,
    ChecklistItem,
    HouseholdEvent,
    InspectionSample,
    VillageChecklistEntry,
)
from fupin.assessment.standards import load_standards
from fupin.core.models import Area, Job, User
from fupin.registry.models import Household

CSV_COLUMNS = ("village_code", *engine.SAMPLE_KEYS)
CSV_MISSING_COLUMNS = gettext_lazy("The CSV file lacks the columns: %(columns)s.")
CSV_BAD_ROW = gettext_lazy("Row %(row)s: %(error)s")
CSV_NOT_A_VILLAGE = gettext_lazy("%(code)s is not a village.")
CSV_OUTSIDE_AREA = gettext_lazy("%(code)s is outside your area.")
NOT_A_VILLAGE = gettext_lazy("A checklist is recorded for a village.")

# Stages of a run, as shares of its progress bar (percent).
LOADED, ASSESSED, FIGURED = 30, 45, 55


def _area_tree(area: Area | None) -> tuple[list[tuple], dict[str, list[str]]]:
    """The areas from `area` down to villages (all areas when None), and each one's children."""
    areas = Area.objects.filter(level__lte=areacodes.Level.VILLAGE)
    if area is not None:
        areas = areas.in_area(area.code)
    rows = list(areas.order_by("code").values_list("code", "level", "name", "parent_id"))
    children: dict[str, list[str]] = {}
    for code, _level, _name, parent in rows:
        children.setdefault(parent, []).append(code)
    if area is None:
        children[None] = [code for code, level, *_ in rows if level == areacodes.Level.PROVINCE]
    return [(code, level, name) for code, level, name, _parent in rows], children


@transaction.atomic
def assessment_run(
    *,
    area: Area | None,
    year: int,
    started_by: User | None = None,
    job: Job | None = None,
    progress: Callable | None = None,
) -> AssessmentRun:
    """Assess every household of `area` (every area when None) for `year`, set-based, and store
    the run, its figures per area and one outcome per household, immutably."""
    started = time.perf_counter()
    report = progress or (lambda **kw: None)
    code = area.code if area else None
    report(done=0, total=100, message=_("Reading the registry"))
    cols = engine.load_columns(code, year)
    provinces = {f"{p:02d}" for p in set((cols.village // 10**10).tolist())}
    if code:
        provinces.add(code[:2])
    standards = load_standards(year, provinces)
    report(done=LOADED, total=100, message=_("Assessing %(n)s households") % {"n": cols.n})
    results = engine.assess(cols, standards)
    report(done=ASSESSED, total=100, message=_("Computing the figures of each area"))
    areas, children = _area_tree(area)
    low, high = engine._sql_scope(code)
    samples = list(
        InspectionSample.objects.filter(year=year, village__gte=low, village__lt=high)
        .order_by("village_id")
        .values_list("village_id", *engine.SAMPLE_KEYS)
    )
    checklist = {
        (village, item): met
        for village, item, met in VillageChecklistEntry.objects.filter(
            year=year, village__gte=low, village__lt=high
        ).values_list("village_id", "item__code", "met")
    }
    top = code or "*"
    figures = engine.area_figures(
        cols,
        results,
        standards,
        areas if area else [*areas, ("*", 0, "")],
        samples=[(int(v), *rest) for v, *rest in samples],
        checklist=checklist,
    )
    if not area:
        children["*"] = children.pop(None)
    summary = engine.summary_tree(figures, top, children)
    digest = cols.digest()
    digest.update(repr((code, samples, sorted(checklist.items()))).encode())
    report(done=FIGURED, total=100, message=_("Storing the outcomes"))
    with transaction.atomic():
        run = AssessmentRun(
            area=area,
            year=year,
            started_by=started_by,
            job=job,
            created_at=timezone.now(),
            standards_version=standards.version,
            standards=standards.snapshot,
            inputs_hash=digest.hexdigest(),
            households=cols.n,
            persons=int(results.persons.sum()),
            summary=summary,
            seconds=0.0,
        )
        run.seconds = round(time.perf_counter() - started, 3)
        run.full_clean()
        run.save()
        AreaResult.objects.bulk_create(
            AreaResult(run=run, area_id=c, figures=f) for c, f in figures.items() if c != "*"
        )
        engine.write_outcomes(
            run.pk,
            cols,
            results,
            progress=lambda done: report(
                done=FIGURED + (100 - FIGURED) * done // max(cols.n, 1),
                total=100,
                message=_("Storing the outcomes"),
            ),
        )
    report(done=100, total=100, message=pgettext("progress", "Done"))
    return run


def household_event_create(
    *, household: Household, kind: str, year: int, amount: Decimal = Decimal(0), note: str = ""
) -> HouseholdEvent:
    event = HouseholdEvent(household=household, kind=kind, year=year, amount=amount, note=note)
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def village_checklist_record(
    *, village: Area, year: int, met: dict[int, bool], notes: dict[int, str] | None = None
) -> list[VillageChecklistEntry]:
    """Record, for each checklist item (by id), whether the village met it in `year`."""
    if village.level != areacodes.Level.VILLAGE:
        raise ValidationError(NOT_A_VILLAGE)
    notes = notes or {}
    entries = []
    for item in ChecklistItem.objects.filter(pk__in=met.keys()):
        entry = VillageChecklistEntry.objects.filter(village=village, year=year, item=item).first()
        entry = entry or VillageChecklistEntry(village=village, year=year, item=item)
        entry.met, entry.note = bool(met[item.pk]), notes.get(item.pk, "")
        entry.full_clean()
        entry.save()
        entries.append(entry)
    return entries


def _sample_rows(text: str) -> Iterable[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if "year" not in (reader.fieldnames or []):
        missing.append("year")
    if missing:
        raise ValidationError(CSV_MISSING_COLUMNS % {"columns": ", ".join(missing)})
    yield from enumerate(reader, start=2)


@transaction.atomic
def inspection_samples_import(*, text: str, user: User | None = None, source: str = "") -> int:
    """Import inspection samples from CSV text (docs/assessment.md): all rows or none.

    A row replaces the sample of the same village and year. With `user`, every village must
    lie in the user's area.
    """
    count = 0
    for number, row in _sample_rows(text):
        try:
            code = (row.get("village_code") or "").strip()
            village = Area.objects.filter(code=code, level=areacodes.Level.VILLAGE).first()
            if village is None:
                raise ValidationError(CSV_NOT_A_VILLAGE % {"code": code})
            if user is not None and not user.may_see_area(code):
                raise ValidationError(CSV_OUTSIDE_AREA % {"code": code})
            year = int(row["year"])
            values = {key: int(row[key]) for key in engine.SAMPLE_KEYS}
            sample = InspectionSample.objects.filter(village=village, year=year).first()
            sample = sample or InspectionSample(village=village, year=year)
            for key, value in values.items():
                setattr(sample, key, value)
            sample.source = source
            sample.full_clean()
            sample.save()
        except (ValueError, TypeError, ValidationError) as error:
            text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            raise ValidationError(CSV_BAD_ROW % {"row": number, "error": text}) from None
        count += 1
    return count
