from fractions import Fraction

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseModelFormSet, modelformset_factory
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin import areacodes
from fupin.assessment import selectors, services
from fupin.assessment.models import (
    AreaResult,
    AssessmentRun,
    ChecklistItem,
    HouseholdEvent,
    InspectionSample,
    MonitoringThreshold,
    MPIIndex,
    MPIIndicator,
    Outcome,
    PovertyLine,
    ProvinceRegion,
    RegionType,
    RuleSet,
    VillageChecklistEntry,
)
from fupin.assessment.tasks import run_assessment
from fupin.core import forms as core_forms
from fupin.core.access import ACTION, FORM, may, require
from fupin.core.jobs import job_start
from fupin.core.models import Area
from fupin.core.paging import page_of
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.registry.models import Household

WEIGHTS_NOT_ONE = gettext_lazy("The weights of %(index)s add up to %(total)s, not 1.")
YEARS = (2011, 2100)


class YearForm(core_forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=YEARS[0], max_value=YEARS[1])


class EventForm(core_forms.ModelForm):
    class Meta:
        model = HouseholdEvent
        fields = ["kind", "year", "amount", "note"]


class SampleUploadForm(core_forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file (UTF-8)"))
    source = forms.CharField(label=gettext_lazy("Source"), max_length=100, required=False)


class IndicatorFormSet(BaseModelFormSet):
    def clean(self):
        super().clean()
        totals: dict = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if data and data.get("index") and data.get("weight"):
                totals.setdefault(data["index"], Fraction(0))
                totals[data["index"]] += Fraction(data["weight"])
        for index, total in totals.items():
            if total != 1:
                raise ValidationError(WEIGHTS_NOT_ONE % {"index": index, "total": total})


# Each standards table an administrator edits on its own page: slug -> (model, fields, title).
STANDARD_TABLES = {
    "lines": (PovertyLine, ["year", "province", "amount", "note"], gettext_lazy("Poverty lines")),
    "thresholds": (
        MonitoringThreshold,
        ["year", "province", "amount", "note"],
        gettext_lazy("Monitoring thresholds"),
    ),
    "regions": (
        RegionType,
        ["code", "name", "incidence_threshold", "is_default"],
        gettext_lazy("Region types"),
    ),
    "provinces": (ProvinceRegion, ["province", "name", "region"], gettext_lazy("Province regions")),
    "rules": (
        RuleSet,
        [f.name for f in RuleSet._meta.concrete_fields if f.name != "id"],
        gettext_lazy("Exit and monitoring rules"),
    ),
    "checklist": (
        ChecklistItem,
        ["province", "code", "name", "name_en", "order", "active"],
        gettext_lazy("Village exit checklists"),
    ),
    "indices": (
        MPIIndex,
        ["code", "name", "name_en", "cutoff", "order"],
        gettext_lazy("Multidimensional poverty indices"),
    ),
    "indicators": (
        MPIIndicator,
        ["index", "code", "dimension", "weight", "order"],
        gettext_lazy("Index indicators and weights"),
    ),
}


def _render(request, template: str, context: dict):
    """Render with `can`: what the user's role may do, for the links and forms shown."""
    user = request.user
    context["can"] = {
        "run": user.can(Capability.RUN_TASKS),
        "registry": user.can(Capability.VIEW_REGISTRY),
        "edit": user.can(Capability.EDIT_REGISTRY),
        "review": user.can(Capability.REVIEW),
        "approve": user.can(Capability.APPROVE),
        "standards": may(user, EDIT_STANDARDS, all_areas=True),
    }
    return render(request, template, context)


def _default_year() -> int:
    return timezone.localdate().year - 1


@require()
def assessment_home(request):
    user = request.user
    top = Area.objects.for_user(user).order_by("level", "code").first()
    runs = AssessmentRun.objects.for_user(user).select_related("area", "started_by")[:20]
    return _render(
        request,
        "assessment/home.html",
        {
            "top_area": top,
            "children": Area.objects.children_of(top).order_by("code") if top else [],
            "runs": runs,
            "form": YearForm(initial={"year": _default_year()}),
        },
    )


@require(Capability.RUN_TASKS, methods=ACTION)
def assessment_start(request, code):
    area = get_scoped_or_404(Area, request.user, code=code)
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Give a year between %(low)s and %(high)s.")
            % {
                "low": YEARS[0],
                "high": YEARS[1],
            },
        )
        return redirect("assessment-area", code=area.code)
    job = job_start(
        task_obj=run_assessment, owner=request.user, area=area, year=form.cleaned_data["year"]
    )
    messages.info(request, _("The assessment is running."))
    return redirect("job-detail", job_id=job.pk)


@require()
def assessment_area(request, code):
    user = request.user
    area = get_scoped_or_404(Area, user, code=code)
    results = selectors.area_results(user, code)
    latest = results[0] if results else None
    previous = results[1] if len(results) > 1 else None
    children, changes, change_count = [], None, 0
    if latest:
        children = (
            AreaResult.objects.for_user(user)
            .filter(run=latest.run, area__parent=area)
            .select_related("area")
            .order_by("area_id")
        )
        if previous and user.can(Capability.VIEW_REGISTRY):
            found = selectors.changes_between(user, latest.run, previous.run, code)
            change_count = found.count()
            changes = found[:100]
    return _render(
        request,
        "assessment/area.html",
        {
            "area": area,
            "ancestors": [a for a in area.ancestors() if user.may_see_area(a.code)],
            "latest": latest,
            "previous": previous,
            "f": latest.figures if latest else None,
            "children": children,
            "changes": changes,
            "change_count": change_count,
            "form": YearForm(initial={"year": latest.run.year if latest else _default_year()}),
            "is_village": area.level == areacodes.Level.VILLAGE,
        },
    )


@require(Capability.VIEW_REGISTRY)
def assessment_households(request, code):
    user = request.user
    area = get_scoped_or_404(Area, user, code=code)
    results = selectors.area_results(user, code, limit=1)
    outcome = request.GET.get("outcome", "")
    page = None
    if results:
        rows = selectors.outcomes_in(user, results[0].run, code).order_by("household__household_no")
        if outcome in Outcome.values:
            rows = rows.filter(outcome=outcome)
        page = page_of(request, rows, 50)
    return _render(
        request,
        "assessment/households.html",
        {
            "area": area,
            "result": results[0] if results else None,
            "page": page,
            "outcome": outcome,
            "outcomes": Outcome.choices,
        },
    )


@require(Capability.VIEW_REGISTRY)
def assessment_household(request, pk):
    household = get_scoped_or_404(Household, request.user, pk=pk)
    outcomes = selectors.outcomes_of(household)
    return _render(
        request,
        "assessment/household.html",
        {
            "household": household,
            "outcome": outcomes[0] if outcomes else None,
            "earlier": outcomes[1:],
            "events": HouseholdEvent.objects.filter(household=household).order_by("-year", "-id"),
            "form": EventForm(initial={"year": _default_year()}),
        },
    )


@require(Capability.EDIT_REGISTRY, methods=ACTION)
def assessment_household_event(request, pk):
    household = get_scoped_or_404(Household, request.user, pk=pk)
    form = EventForm(request.POST)
    if form.is_valid():
        services.household_event_create(household=household, **form.cleaned_data)
        messages.success(request, _("The event is recorded."))
    else:
        messages.error(request, _("The event was not recorded: check the fields."))
    return redirect("assessment-household", pk=household.pk)


@require()
def assessment_standards(request):
    tables = [
        (slug, title, model._meta.verbose_name_plural, model.objects.all(), fields)
        for slug, (model, fields, title) in STANDARD_TABLES.items()
    ]
    return _render(request, "assessment/standards.html", {"tables": tables})


# Standards apply to a province or to the whole country, never to one county (the tables have
# no county scope: a county's households are judged by its province's line and rules, so
# that counties of one province are judged alike). A change reaches beyond any area a county
# approver or a county's administrator is scoped to: only the all-areas administrator edits
# them (docs/assessment.md, "Standards"; the exclusion lists follow the same reasoning).
EDIT_STANDARDS = (Capability.APPROVE,)


@require(*EDIT_STANDARDS, methods=FORM, all_areas=True)
def assessment_standards_edit(request, table):
    model, fields, title = STANDARD_TABLES[table]
    formset_class = modelformset_factory(
        model,
        form=core_forms.ModelForm,
        fields=fields,
        extra=1,
        formset=IndicatorFormSet if model is MPIIndicator else BaseModelFormSet,
    )
    formset = formset_class(request.POST or None, queryset=model.objects.all())
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, _("The standards are saved. The next run uses them."))
        return redirect(f"assessment-standards-{table}")
    return _render(
        request,
        "assessment/standards_edit.html",
        {"formset": formset, "title": title, "table": table},
    )


@require(Capability.REVIEW, methods=FORM)
def assessment_checklist(request, code, year):
    village = get_scoped_or_404(Area, request.user, code=code)
    if village.level != areacodes.Level.VILLAGE:
        raise Http404
    items = list(ChecklistItem.objects.filter(province=code[:2], active=True))
    recorded = {
        e.item_id: e for e in VillageChecklistEntry.objects.filter(village=village, year=year)
    }
    if request.method == "POST":
        services.village_checklist_record(
            village=village,
            year=year,
            met={item.pk: request.POST.get(f"met-{item.pk}") == "on" for item in items},
            notes={item.pk: request.POST.get(f"note-{item.pk}", "")[:200] for item in items},
        )
        messages.success(request, _("The checklist is recorded."))
        return redirect("assessment-checklist", code=code, year=year)
    rows = [(item, recorded.get(item.pk)) for item in items]
    return _render(
        request,
        "assessment/checklist.html",
        {"village": village, "year": year, "rows": rows},
    )


@require(Capability.APPROVE, methods=FORM)
def assessment_inspection(request):
    form = SampleUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["file"].read().decode("utf-8-sig")
            count = services.inspection_samples_import(
                text=text, user=request.user, source=form.cleaned_data["source"]
            )
        except UnicodeDecodeError:
            messages.error(request, _("The file is not UTF-8 text."))
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, _("%(count)s samples imported.") % {"count": count})
            return redirect("assessment-inspection")
    samples = InspectionSample.objects.for_user(request.user).select_related("village")[:200]
    return _render(request, "assessment/inspection.html", {"form": form, "samples": samples})
