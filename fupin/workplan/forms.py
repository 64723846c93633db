from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core import forms as core_forms
from fupin.workplan.models import (
    PHOTO_EXTENSIONS,
    PLAN_EXISTS,
    AnnualPlan,
    Category,
    Department,
    Expenditure,
    FundingSource,
    Objective,
    ProgressUpdate,
    Project,
    Quantity,
    SourceKind,
    Status,
    WorkItem,
)

FUTURE_DATE = _("The date cannot be in the future.")


def _not_future(day: date) -> date:
    if day and day > timezone.localdate():
        raise forms.ValidationError(FUTURE_DATE)
    return day


class DateInput(forms.DateInput):
    """The browser's date picker, which takes and gives ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ScopeForm(core_forms.Form):
    """Which area and year a page shows, and the project list's filters (GET)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "—"), *Category.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *Status.choices], required=False
    )
    late = forms.BooleanField(label=_("Late only"), required=False)

    def __init__(self, data, *, years, areas, departments):
        super().__init__(data)
        self.fields["year"].choices = [(y, y) for y in years]
        self.fields["area"].choices = [(a.code, a.name) for a in areas]
        self.fields["department"].queryset = departments


class ProgressForm(core_forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["date", "percent", "note", "photo"]
        widgets = {
            "date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
            "photo": forms.ClearableFileInput(
                attrs={"accept": ",".join(f".{ext}" for ext in PHOTO_EXTENSIONS)}
            ),
        }

    def clean_date(self):
        return _not_future(self.cleaned_data["date"])


class ExpenditureForm(core_forms.ModelForm):
    class Meta:
        model = Expenditure
        fields = ["date", "amount", "source", "voucher_no", "note"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = set(project.funding.values_list("kind", flat=True))
        self.fields["source"].choices = [(k, v) for k, v in SourceKind.choices if k in kinds]

    def clean_date(self):
        return _not_future(self.cleaned_data["date"])


class StatusForm(core_forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    on = forms.DateField(label=_("Date"), required=False, widget=DateInput())


class ObjectiveActualForm(core_forms.Form):
    actual = forms.CharField(label=_("Actual"), max_length=200, required=False)
    met = forms.NullBooleanField(
        label=pgettext_lazy("objective", "Met"),
        widget=forms.Select(
            choices=[("unknown", _("Not judged")), ("true", _("Yes")), ("false", _("No"))]
        ),
    )


class DocumentForm(core_forms.Form):
    kind = forms.ChoiceField(
        choices=[("plan", _("Annual work plan")), ("summary", _("Year-end summary"))]
    )
    language = forms.ChoiceField(choices=[("zh", "中文"), ("en", "English")])


class LedgerForm(core_forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    area = forms.CharField(max_length=15)


# --- editing plans, projects and departments ------------------------------------------------


class PlanForm(core_forms.ModelForm):
    """A plan's texts; the area and year are chosen once, when the plan is made."""

    class Meta:
        model = AnnualPlan
        fields = [
            "area",
            "year",
            "title",
            "preamble",
            "guiding_ideology",
            "objectives_intro",
            "closing",
            "title_en",
            "preamble_en",
            "guiding_ideology_en",
            "objectives_intro_en",
            "closing_en",
        ]
        widgets = {
            field: forms.Textarea(attrs={"rows": 4})
            for field in fields
            if field not in ("area", "year", "title", "title_en")
        }
        error_messages = {NON_FIELD_ERRORS: {"unique_together": PLAN_EXISTS}}

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["area"], self.fields["year"]
        else:
            self.fields["area"].queryset = areas
            self.fields["year"].min_value, self.fields["year"].max_value = 2000, 2100
            self.fields["year"].widget.attrs.update(min=2000, max=2100)


class ObjectiveForm(core_forms.ModelForm):
    class Meta:
        model = Objective
        fields = [
            "number",
            "description",
            "indicator",
            "target",
            "actual",
            "met",
            "description_en",
            "indicator_en",
            "target_en",
        ]


class WorkItemForm(core_forms.ModelForm):
    class Meta:
        model = WorkItem
        fields = ["number", "kind", "title", "body", "title_en", "body_en"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 5}),
            "body_en": forms.Textarea(attrs={"rows": 5}),
        }


class HouseholdChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, household):
        return f"{household.household_no} {household.head_name or '—'}"


class ProjectForm(core_forms.ModelForm):
    """What the plan says of a project; status and progress are changed on the project page."""

    class Meta:
        model = Project
        fields = [
            "number",
            "name",
            "category",
            "work_item",
            "lead_department",
            "partner_departments",
            "locations",
            "planned_start_month",
            "planned_completion_month",
            "schedule_note",
            "persons_served",
            "households_served",
            "beneficiary_households",
            "carried_over_from",
            "carry_over_amount",
            "carry_over_note",
            "description",
            "name_en",
            "description_en",
        ]
        field_classes = {"beneficiary_households": HouseholdChoiceField}
        widgets = {
            "partner_departments": forms.CheckboxSelectMultiple(),
            "locations": forms.CheckboxSelectMultiple(),
            "beneficiary_households": forms.CheckboxSelectMultiple(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, departments, locations, households, work_items, earlier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].queryset = departments
        self.fields["partner_departments"].queryset = departments
        self.fields["locations"].queryset = locations
        self.fields["beneficiary_households"].queryset = households
        self.fields["work_item"].queryset = work_items
        self.fields["carried_over_from"].queryset = earlier
        for month in ("planned_start_month", "planned_completion_month"):
            self.fields[month].choices = [("", _("Within the year"))] + [
                (m, _("Month %(month)s") % {"month": m}) for m in range(1, 13)
            ]


IN_KIND_NEEDS_WHAT = _("Say what is given in kind (for example: 50 tons of cement).")


class FundingSourceForm(core_forms.ModelForm):
    class Meta:
        model = FundingSource
        fields = ["kind", "department", "planned_amount", "allocated_amount", "in_kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Nothing allocated yet is the usual case when a plan is written: empty means 0, and
        # an empty row shows no 0, so that it counts as unchanged and is not saved.
        self.fields["allocated_amount"].required = False
        self.fields["allocated_amount"].initial = None

    def clean_allocated_amount(self):
        return self.cleaned_data["allocated_amount"] or Decimal(0)

    def clean(self):
        data = super().clean()
        if data.get("kind") == SourceKind.IN_KIND and not data.get("in_kind"):
            self.add_error("in_kind", IN_KIND_NEEDS_WHAT)
        return data


class QuantityForm(core_forms.ModelForm):
    class Meta:
        model = Quantity
        fields = ["description", "amount", "unit"]


class _ProjectRows(forms.BaseInlineFormSet):
    """A project's funding or quantity rows; `departments` limits who may provide funding."""

    def __init__(self, *args, departments=None, **kwargs):
        self.departments = departments
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "department" in form.fields and self.departments is not None:
            form.fields["department"].queryset = self.departments


FundingFormSet = forms.inlineformset_factory(
    Project, FundingSource, form=FundingSourceForm, formset=_ProjectRows, extra=2, can_delete=True
)
QuantityFormSet = forms.inlineformset_factory(
    Project, Quantity, form=QuantityForm, formset=_ProjectRows, extra=2, can_delete=True
)


class DepartmentForm(core_forms.ModelForm):
    class Meta:
        model = Department
        fields = ["area", "name", "name_en", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple()}

    def __init__(self, *args, areas, staff, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["area"]
        else:
            self.fields["area"].queryset = areas
        self.fields["members"].queryset = staff
        self.fields["members"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username}（{user.username}）"
        )
