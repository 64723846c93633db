"""The Spring Festival visit list: generate it, record what was given, print the sign-off
sheet. A village's sheet is a direct download (a few dozen rows); a township's or county's
is a background job (thousands of rows over hundreds of villages)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fupin import areacodes
from fupin.core.access import ACTION, FORM, require
from fupin.core.forms import add_validation_error
from fupin.core.jobs import job_start
from fupin.core.models import Area
from fupin.core.roles import Capability
from fupin.core.scoping import area_for_user_or_404, get_scoped_or_404
from fupin.fieldwork import festival, festival_documents, tasks
from fupin.fieldwork.forms import FestivalExportForm, FestivalGenerateForm, FestivalGiftForm
from fupin.fieldwork.models import FestivalCategory, FestivalList, FestivalVisit

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _area(request, code=None):
    user = request.user
    code = code or request.GET.get("area") or user.area_id
    if code:
        return area_for_user_or_404(user, code)
    # An all-areas administrator without an area starts at the first county.
    return Area.objects.filter(level=areacodes.Level.COUNTY).order_by("code").first()


def _year(value) -> int:
    text = str(value or "")
    year = int(text) if text.isdigit() else timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _is_village(area) -> bool:
    return area is not None and area.level == areacodes.Level.VILLAGE


@require(Capability.VIEW_REGISTRY)
def festival_page(request):
    user = request.user
    area = _area(request)
    year = _year(request.GET.get("year"))
    entries = FestivalVisit.objects.none()
    if area is not None:
        entries = FestivalVisit.objects.for_user(user).in_area(area.code)
        entries = entries.filter(festival_list__year=year)
    context = {
        "area": area,
        "year": year,
        "totals": festival.festival_totals(entries),
        "can_edit": user.can(Capability.EDIT_REGISTRY),
        "can_run": user.can(Capability.RUN_TASKS),
        "is_village": _is_village(area),
        "generate_form": FestivalGenerateForm(
            initial={
                "year": year,
                "party_member_age": festival.party_member_age_for(area.code)
                if area
                else festival.DEFAULT_PARTY_MEMBER_AGE,
            }
        ),
    }
    if _is_village(area):
        labels = dict(FestivalCategory.choices)
        rows = list(
            entries.select_related("household__group", "given_by").order_by(
                "household__household_no", "id"
            )
        )
        context["groups"] = [
            (labels[code], [e for e in rows if e.category == code])
            for code in FestivalCategory.values
            if any(e.category == code for e in rows)
        ]
        context["festival_list"] = FestivalList.objects.filter(village=area, year=year).first()
    elif area is not None:
        context["villages"] = _village_rows(entries)
    return render(request, "fieldwork/festival/list.html", context)


def _village_rows(entries):
    rows = (
        entries.order_by()
        .values("village", "village__name")
        .annotate(n=Count("pk"), given=Count("pk", filter=~Q(gift_kind="")), yuan=Sum("value"))
        .order_by("village")
    )
    return list(rows)


@require(Capability.EDIT_REGISTRY, methods=ACTION)
def festival_generate(request):
    area = _area(request, request.POST.get("area"))
    form = FestivalGenerateForm(request.POST)
    if area is None or not form.is_valid():
        messages.error(request, _("Give a year and an age for old party members."))
        return redirect("festival-list")
    year = form.cleaned_data["year"]
    if not _is_village(area):
        # A township's or county's thousands of entries: the worker's (docs/fieldwork.md).
        if not request.user.can(Capability.RUN_TASKS):
            raise PermissionDenied
        job = job_start(
            task_obj=tasks.generate_festival_lists,
            owner=request.user,
            area=area,
            year=year,
            party_member_age=form.cleaned_data["party_member_age"],
            language=translation.get_language(),
        )
        return redirect("job-detail", job_id=job.pk)
    try:
        made = festival.festival_list_generate(
            area=area,
            year=year,
            party_member_age=form.cleaned_data["party_member_age"],
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "The list was generated: %(added)s added, %(removed)s removed, "
                "%(kept)s with a gift recorded kept."
            )
            % vars(made),
        )
    return redirect(f"{_page_url()}?area={area.code}&year={year}")


def _page_url() -> str:
    return reverse("festival-list")


@require(Capability.EDIT_REGISTRY, methods=FORM)
def festival_gift(request, entry_id):
    entry = get_scoped_or_404(
        FestivalVisit.objects.select_related("festival_list", "household__group", "given_by"),
        request.user,
        pk=entry_id,
    )
    form = FestivalGiftForm(
        request.POST or None,
        instance=entry,
        cadres=festival.givers_for(entry.village_id),
        initial={} if entry.given_on else {"given_on": timezone.localdate()},
    )
    htmx = request.headers.get("HX-Request") == "true"
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                festival.festival_visit_record(
                    entry=entry,
                    gift_kind=data["gift_kind"],
                    gift=data["gift"],
                    value=data["value"],
                    given_by=data["given_by"],
                    given_on=data["given_on"],
                    signed=data["signed"],
                    user=request.user,
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                if htmx:
                    return render(
                        request,
                        "fieldwork/festival/_entry_row.html",
                        {"entry": entry, "can_edit": True},
                    )
                messages.success(request, _("The gift was recorded."))
                return redirect(
                    f"{_page_url()}?area={entry.village_id}&year={entry.festival_list.year}"
                )
        # htmx swaps only a 2xx answer: the form with its errors comes back as one.
        status = 200 if htmx else 400
    template = "fieldwork/festival/_gift_form.html" if htmx else "fieldwork/festival/gift.html"
    return render(request, template, {"form": form, "entry": entry}, status=status)


@require(Capability.VIEW_REGISTRY)
def festival_download(request):
    """A village's sheet, straight away (a township's or county's: `festival_export`)."""
    area = _area(request)
    form = FestivalExportForm(request.GET)
    if not _is_village(area) or not form.is_valid():
        raise Http404
    year, kind = form.cleaned_data["year"], form.cleaned_data["format"]
    entries = festival.sheet_entries(area.code, year)
    today = timezone.localdate()
    if kind == "xlsx":
        data = festival_documents.festival_xlsx(entries, year=year, today=today)
    else:
        data = festival_documents.festival_docx(entries, area=area, year=year, today=today)
    response = HttpResponse(data, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="festival-{area.code}-{year}.{kind}"'
    return response


@require(Capability.VIEW_REGISTRY, Capability.RUN_TASKS, methods=ACTION)
def festival_export(request):
    area = _area(request, request.POST.get("area"))
    form = FestivalExportForm(request.POST)
    if area is None or not form.is_valid():
        raise Http404
    job = job_start(
        task_obj=tasks.export_festival_list,
        owner=request.user,
        area=area,
        year=form.cleaned_data["year"],
        file_format=form.cleaned_data["format"],
        language=translation.get_language(),
    )
    return redirect("job-detail", job_id=job.pk)
