"""Procedure pages: the list and one procedure, starting, recording the next step, reversing,
withdrawing, objections, a village's batch, the queue, the area's overview by step, the
notices and their printed documents.

Thin: check the role, read through `for_user` (404 outside the area), call one service,
show a refusal's messages (`StepRefused.messages`) on the form — the service writes all or
nothing, so a refused step leaves nothing half-written."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from fupin import areacodes
from fupin.core.access import FORM, require
from fupin.core.models import Area
from fupin.core.paging import page_of
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.procedures import documents, queries, selectors, services
from fupin.procedures.forms import (
    BatchPickForm,
    BatchStepForm,
    ListForm,
    ObjectionForm,
    ReasonForm,
    ResolveForm,
    StartForm,
    StepForm,
)
from fupin.procedures.models import (
    Attachment,
    Batch,
    Kind,
    Notice,
    Objection,
    Procedure,
    StepRecord,
)
from fupin.registry.models import Household

PAGE = 100


def _acting(user) -> None:
    """403 before anything is looked up for a role that acts at no step (inspectors,
    bureaus, the administrator): they read procedures, never change them."""
    if user.role not in queries.ACTING_ROLES:
        raise PermissionDenied


def _refused(form, error: services.StepRefused) -> int:
    for text in error.messages:
        form.add_error(None, text)
    return 409 if error.status not in (403, 404) else error.status


def _procedure_or_404(user, pk):
    return get_scoped_or_404(
        Procedure.objects.select_related("household", "village", "workflow", "step"), user, pk=pk
    )


def request_pick(chosen: dict) -> dict:
    """The batch page's validated choice, to come back to it after recording."""
    return {key: chosen[key] for key in ("village", "kind", "year", "step")}


def _villages(user):
    return Area.objects.for_user(user).filter(level=areacodes.Level.VILLAGE).order_by("code")


# --- reading --------------------------------------------------------------------------------


@require(Capability.VIEW_REGISTRY)
def procedure_list(request):
    user = request.user
    areas = Area.objects.for_user(user).filter(level__gte=areacodes.Level.TOWNSHIP)
    form = ListForm(
        request.GET or None, areas=areas.order_by("code").values_list("code", "name")[:2000]
    )
    chosen = form.cleaned_data if form.is_valid() else {}
    step = chosen.get("step") or None
    found = selectors.procedure_list(
        user,
        kind=chosen.get("kind") or None,
        step=None if step == "none" else step,
        area=chosen.get("village") or None,
        year=chosen.get("year"),
        status=chosen.get("status") or None,
    )
    if step == "none":
        found = found.filter(step__isnull=True)
    return render(
        request,
        "procedures/procedure_list.html",
        {"form": form, "page": page_of(request, found, PAGE)},
    )


@require(Capability.VIEW_REGISTRY)
def procedure_detail(request, pk):
    user = request.user
    try:
        procedure = selectors.procedure_detail(user, pk)
    except Procedure.DoesNotExist:
        raise Http404 from None
    today = timezone.localdate()
    following = selectors.next_step_of(procedure)
    records = list(procedure.records.all())
    standing = [r for r in records if r.reversed_at is None]
    latest = max(standing, key=lambda r: r.step.order) if standing else None
    acting = user.role in queries.ACTING_ROLES
    is_open = procedure.status == "open"
    rows = [
        {
            "record": r,
            "notice": queries.notice_state(r.notice, today) if r.notice else None,
            "outcome": queries.outcome_label(r.checks.get("outcome")),
            "hits": queries.hits_shown(r.checks.get("exclusions")),
        }
        for r in records
    ]
    return render(
        request,
        "procedures/procedure_detail.html",
        {
            "procedure": procedure,
            "household": procedure.household,
            "rows": rows,
            "following": following,
            "latest": latest,
            "may_take": is_open and queries.may_take(following, user.role),
            "may_reverse": is_open
            and latest is not None
            and (user.role in latest.step.roles or user.role == services.rules.COUNTY_APPROVER),
            "acting": acting and is_open,
            "acting_any": acting,
            "objections": list(procedure.objections.all()),
            "current": queries.notice_state(selectors.current_notice(procedure), today),
            "is_exit": procedure.kind == Kind.EXIT,
        },
    )


# --- writing --------------------------------------------------------------------------------


@require(Capability.VIEW_REGISTRY, Capability.TAKE_STEPS, methods=FORM)
def procedure_start(request, household_id):
    user = request.user
    kinds = queries.startable_kinds(user.role)
    if not kinds:
        raise PermissionDenied
    household = get_scoped_or_404(
        Household.objects.select_related("village"), user, pk=household_id
    )
    today = timezone.localdate()
    initial = {"year": today.year, "date": today}
    # The monitoring proposals page links here with the kind and the source chosen.
    for name in ("kind", "source"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = StartForm(request.POST or None, kinds=kinds, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                procedure = services.procedure_start(
                    household=household,
                    kind=data["kind"],
                    year=data["year"],
                    user=user,
                    on=data["date"],
                    source=data["source"],
                    monitoring_kind=data["monitoring_kind"],
                    risk_types=list(data["risk_types"]),
                    note=data["note"],
                )
            except services.StepRefused as error:
                status = _refused(form, error)
            else:
                messages.success(request, _("The procedure was started."))
                return redirect("procedure-detail", pk=procedure.pk)
    return render(
        request,
        "procedures/procedure_start.html",
        {"form": form, "household": household},
        status=status,
    )


@require(Capability.VIEW_REGISTRY, Capability.TAKE_STEPS, methods=FORM)
def step_create(request, pk):
    user = request.user
    _acting(user)
    procedure = _procedure_or_404(user, pk)
    definition = selectors.next_step_of(procedure)
    if procedure.status != "open" or definition is None:
        messages.error(request, _("The procedure is closed: no step can be recorded."))
        return redirect("procedure-detail", pk=procedure.pk)
    if not queries.may_take(definition, user.role):
        raise PermissionDenied
    findings = queries.step_findings(procedure, definition)
    form = StepForm(
        request.POST or None,
        request.FILES or None,
        definition=definition,
        findings=findings,
        role=user.role,
        initial={"date": timezone.localdate()},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.step_record(procedure=procedure, user=user, **form.service_arguments())
            except services.StepRefused as error:
                status = _refused(form, error)
            else:
                messages.success(request, _("%(step)s was recorded.") % {"step": definition.label})
                return redirect("procedure-detail", pk=procedure.pk)
    today = timezone.localdate()
    return render(
        request,
        "procedures/step_form.html",
        {
            "form": form,
            "procedure": procedure,
            "household": procedure.household,
            "definition": definition,
            "findings": findings,
            "current": queries.notice_state(selectors.current_notice(procedure), today),
            "open_objections": Objection.objects.unresolved().filter(procedure=procedure).count(),
        },
        status=status,
    )


def _reason_page(request, form, template, context, status):
    return render(request, template, {"form": form, **context}, status=status)


@require(Capability.VIEW_REGISTRY, Capability.TAKE_STEPS, methods=FORM)
def step_reverse(request, record_id):
    user = request.user
    _acting(user)
    record = get_scoped_or_404(
        StepRecord.objects.select_related("procedure", "procedure__household", "step"),
        user,
        pk=record_id,
    )
    procedure = record.procedure
    if user.role not in record.step.roles and user.role != services.rules.COUNTY_APPROVER:
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.step_reverse(record=record, user=user, reason=form.cleaned_data["reason"])
            except services.StepRefused as error:
                status = _refused(form, error)
            else:
                messages.success(request, _("The step was reversed."))
                return redirect("procedure-detail", pk=procedure.pk)
    return _reason_page(
        request,
        form,
        "procedures/reverse_form.html",
        {"record": record, "procedure": procedure, "household": procedure.household},
        status,
    )


@require(Capability.VIEW_REGISTRY, Capability.TAKE_STEPS, methods=FORM)
def procedure_withdraw(request, pk):
    user = request.user
    _acting(user)
    procedure = _procedure_or_404(user, pk)
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.procedure_withdraw(
                    procedure=procedure, user=user, reason=form.cleaned_data["reason"]
                )
            except services.StepRefused as error:
                status = _refused(form, error)
            else:
                messages.success(request, _("The procedure was withdrawn."))
                return redirect("procedure-detail", pk=procedure.pk)
    return _reason_page(
        request,
        form,
        "procedures/withdraw_form.html",
        {"procedure": procedure, "household": procedure.household},
        status,
    )


@require(Capability.VIEW_REGISTRY, Capability.TAKE_STEPS, methods=FORM)
def objection_raise(request, pk):
    user = request.user
    _acting(user)
    procedure = _procedure_or_404(user, pk)
    form = ObjectionForm(request.POST or None, initial={"raised_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.objection_raise(
                    procedure=procedure,
                    user=user,
                    content=data["content"],
                    raised_by=data["raised_by"],
                    contact=data["contact"],
                    raised_on=data["raised_on"],
                )
            except services.StepRefused as error:
                status = _refused(form, error)
            else:
                messages.success(
                    request, _("The objection was recorded: it holds the procedure until resolved.")
                )
                return redirect("procedure-detail", pk=procedure.pk)
    return _reason_page(
        request,
        form,
        "procedures/objection_form.html",
        {"procedure": procedure, "household": procedure.household},
        status,
    )


@require(Capability.VIEW_REGISTRY, Capability.TAKE_STEPS, methods=FORM)
def objection_resolve(request, objection_id):
    user = request.user
    _acting(user)
    objection = get_scoped_or_404(
        Objection.objects.select_related("procedure", "procedure__household"),
        user,
        pk=objection_id,
    )
    form = ResolveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.objection_resolve(objection=objection, user=user, **form.cleaned_data)
            except services.StepRefused as error:
                status = _refused(form, error)
            else:
                messages.success(request, _("The objection was resolved."))
                return redirect("procedure-detail", pk=objection.procedure_id)
    return _reason_page(
        request,
        form,
        "procedures/resolve_form.html",
        {
            "objection": objection,
            "procedure": objection.procedure,
            "household": objection.procedure.household,
        },
        status,
    )


# --- a village's batch ------------------------------------------------------------------------


@require(Capability.VIEW_REGISTRY, Capability.TAKE_STEPS, methods=FORM)
def batch(request):
    user = request.user
    _acting(user)
    if request.GET.get("village"):
        get_scoped_or_404(Area, user, code=request.GET["village"])  # 404 outside the area
    villages = list(_villages(user).values_list("code", "name")[:2000])
    pick = BatchPickForm(request.GET or None, villages=villages)
    context = {"pick": pick, "form": None, "refused": [], "definition": None}
    if not pick.is_valid():
        return render(request, "procedures/batch.html", context)
    chosen = pick.cleaned_data
    village = get_scoped_or_404(Area, user, code=chosen["village"])
    definition, candidates = queries.batch_candidates(
        user,
        village_code=village.code,
        kind=chosen["kind"],
        year=chosen["year"],
        step_code=chosen["step"],
    )
    context.update(village=village, definition=definition)
    if definition is None:
        pick.add_error("step", _("This procedure has no such step."))
        return render(request, "procedures/batch.html", context, status=400)
    if not queries.may_take(definition, user.role):
        raise PermissionDenied
    candidates = list(candidates[:1000])
    findings = queries.batch_findings(candidates, definition)
    form = BatchStepForm(
        request.POST or None,
        request.FILES or None,
        definition=definition,
        procedures=candidates,
        findings=findings,
        initial={"date": timezone.localdate()},
    )
    context["form"] = form
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                made = services.step_record_batch(user=user, **form.service_arguments())
            except services.StepRefused as error:
                status = _refused(form, error)
                numbers = {p.pk: p.household.household_no for p in candidates}
                context["refused"] = [
                    {
                        "household_no": numbers.get(pk, pk),
                        "messages": [
                            services.StepRefused([r], names=error.names).message for r in rs
                        ],
                    }
                    for pk, rs in error.by_procedure.items()
                ]
            else:
                messages.success(
                    request,
                    _("%(step)s was recorded for %(count)s household(s).")
                    % {"step": definition.label, "count": made.households},
                )
                if made.notice_id:
                    return redirect("notice-detail", pk=made.notice_id)
                again = reverse("procedure-batch") + "?" + urlencode(request_pick(chosen))
                return redirect(again)
    return render(request, "procedures/batch.html", context, status=status)


# --- queues and overview ------------------------------------------------------------------------


@require(Capability.VIEW_REGISTRY)
def waiting(request):
    user = request.user
    today = timezone.localdate()
    found = selectors.waiting_for(user)[:500]
    rows = []
    for procedure in found:
        since = procedure.waiting_since or procedure.started_on
        rows.append({"procedure": procedure, "since": since, "days": (today - since).days})
    return render(
        request,
        "procedures/waiting.html",
        {"rows": rows, "summary": queries.waiting_summary(user, today)},
    )


@require(Capability.VIEW_REGISTRY)
def monitoring_proposals(request):
    """The households a village's latest assessment of the year flags for monitoring and that
    no open monitoring procedure holds yet: the automatic proposals, each a link to start one."""
    user = request.user
    today = timezone.localdate()
    villages = list(_villages(user))
    codes = {village.code for village in villages}
    chosen = request.GET.get("village") or (villages[0].code if len(villages) == 1 else "")
    if chosen and chosen not in codes:
        raise Http404
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    proposals = (
        selectors.monitoring_candidates(user, chosen, year).select_related("village")[:500]
        if chosen
        else []
    )
    return render(
        request,
        "procedures/monitoring_proposals.html",
        {
            "villages": villages,
            "chosen": chosen,
            "year": year,
            "proposals": proposals,
            "can_start": "monitoring" in dict(queries.startable_kinds(user.role)),
        },
    )


@require(Capability.VIEW_REGISTRY)
def overview(request):
    user = request.user
    code = request.GET.get("area") or user.area_id
    area = get_scoped_or_404(Area, user, code=code) if code else None
    year = request.GET.get("year", "")
    if year.isdigit():
        year = min(max(int(year), 2000), 2100)
    else:
        # The latest year with procedures in the area (a round is often finished in the next
        # calendar year), else this year.
        scoped = Procedure.objects.for_user(user)
        if area:
            scoped = scoped.in_area(area.code)
        year = scoped.aggregate(latest=Max("year"))["latest"] or timezone.localdate().year
    table = queries.by_step(user, area=area.code if area else None, year=year)
    children = Area.objects.children_of(area).order_by("code") if area else []
    return render(
        request,
        "procedures/overview.html",
        {"area": area, "year": year, "table": table, "children": children},
    )


# --- notices and documents ----------------------------------------------------------------------


@require(Capability.VIEW_REGISTRY)
def notice_list(request):
    notices = Notice.objects.for_user(request.user).select_related("area", "step")[:200]
    return render(
        request,
        "procedures/notice_list.html",
        {"notices": notices, "today": timezone.localdate()},
    )


@require(Capability.VIEW_REGISTRY)
def notice_detail(request, pk):
    user = request.user
    notice = get_scoped_or_404(Notice.objects.select_related("area", "step"), user, pk=pk)
    return render(
        request,
        "procedures/notice_detail.html",
        {
            "notice": notice,
            "state": queries.notice_state(notice, timezone.localdate()),
            "rows": queries.notice_rows(user, notice),
            "announcement": documents.is_announcement(notice),
            "objections": Objection.objects.for_user(user)
            .filter(notice=notice)
            .select_related("procedure__household"),
        },
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(name: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require(Capability.VIEW_REGISTRY)
def notice_docx(request, pk):
    notice = get_scoped_or_404(Notice.objects.select_related("area", "step"), request.user, pk=pk)
    return _docx(*documents.notice_document(request.user, notice))


@require(Capability.VIEW_REGISTRY)
def agreement_docx(request, pk):
    procedure = _procedure_or_404(request.user, pk)
    if procedure.kind != Kind.EXIT:
        raise Http404
    return _docx(*documents.agreement_document(procedure))


@require(Capability.VIEW_REGISTRY)
def attachment_file(request, pk):
    attachment = get_scoped_or_404(Attachment, request.user, pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name or attachment.file.name.rsplit("/", 1)[-1],
    )


@require(Capability.VIEW_REGISTRY)
def batch_document(request, pk):
    made = get_scoped_or_404(Batch, request.user, pk=pk)
    if not made.document:
        raise Http404
    return FileResponse(
        made.document.open("rb"), as_attachment=True, filename=made.document.name.rsplit("/", 1)[-1]
    )
