from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.core.forms import QuickSelect
from fupin.registry import choices as c
from fupin.registry.models import ExclusionEntry, Household, Member, YearlyIncome

CATEGORIES = [
    ("dibao", _("Dibao household")),
    ("five_guarantee", _("Five-guarantee household")),
    ("special_support", _("Special-support (destitute)")),
    ("military_family", _("Military family")),
]
SORTS = [
    ("household_no", _("Household number")),
    ("-per_capita", _("Per-capita income, highest first")),
    ("per_capita", _("Per-capita income, lowest first")),
    ("-updated_at", _("Recently changed")),
]


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, ID number or household number")}
        ),
    )
    village = forms.ChoiceField(label=_("Village"), required=False)
    group = forms.ChoiceField(label=_("Group"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + c.Status.choices
    )
    attribute = forms.ChoiceField(
        label=_("Poverty attribute"), required=False, choices=[("", _("All"))] + c.Attribute.choices
    )
    cause = forms.ChoiceField(
        label=_("Main cause of poverty"),
        required=False,
        choices=[("", _("All"))] + c.PovertyCause.choices,
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All"))] + CATEGORIES
    )
    income_year = forms.IntegerField(
        label=_("Income year"), required=False, min_value=1949, max_value=2100
    )
    income_min = forms.DecimalField(label=_("Per-capita income from"), required=False, min_value=0)
    income_max = forms.DecimalField(label=_("Per-capita income below"), required=False, min_value=0)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)

    def __init__(self, *args, villages=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.widget = QuickSelect(choices=field.choices)
        self.fields["village"].choices = [("", _("All")), *villages]
        self.fields["group"].choices = [("", _("All")), *groups]
        if len(villages) <= 1:
            del self.fields["village"]
        if not groups:
            del self.fields["group"]


class HouseholdForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=200,
        help_text=_("Required when the status changes; kept in the change history."),
    )

    class Meta:
        model = Household
        fields = [
            "group", "address", "phone", "status", "cancel_reason", "attribute",
            "year_registered", "year_exited", "poverty_cause", "dibao", "five_guarantee",
            "special_support", "military_family", "housing_grade", "housing_renovation",
            "water_quality", "water_quantity", "water_convenience", "water_reliability",
            "electricity", "road",
        ]  # fmt: skip

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["group"].queryset = groups


class MemberForm(forms.ModelForm):
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=200)

    class Meta:
        model = Member
        fields = [
            "relation", "name", "id_number", "ethnicity", "education", "schooling", "health",
            "disability_grade", "labour", "migrant_months", "migrant_place",
            "medical_insurance", "serious_illness_insurance", "pension_insurance",
            "party_member", "veteran", "college_student", "status", "departed_on",
        ]  # fmt: skip
        widgets = {"departed_on": forms.DateInput(attrs={"type": "date"})}


class IncomeForm(forms.ModelForm):
    class Meta:
        model = YearlyIncome
        fields = [
            "year", "members", "wage", "operating_income", "operating_costs", "property",
            "transfer_pension", "transfer_dibao", "transfer_subsidy", "transfer_other",
            "excluded_earmarked", "excluded_one_off",
        ]  # fmt: skip


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Registry file (.xlsx or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Use the template as .xlsx or .csv."))
        from fupin.registry.reading import max_bytes

        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB. Split it by village.")
                % {"max": max_bytes() // 2**20}
            )
        return upload


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV (UTF-8)")]
    )
    full_id_numbers = forms.BooleanField(
        label=_("Full ID numbers (the export is recorded)"), required=False
    )


class ExclusionUploadForm(forms.Form):
    file = forms.FileField(label=_("List file (.xlsx or .csv)"))
    kind = forms.ChoiceField(
        label=_("List"),
        required=False,
        choices=[("", _("As the file's 名单类别 column says"))] + ExclusionEntry.Kind.choices,
        help_text=_("Choose one when the whole file is one department's list."),
    )
    source = forms.CharField(
        label=_("Source department"),
        required=False,
        max_length=100,
        help_text=_("For the rows whose 来源部门 is blank."),
    )
    replace = forms.BooleanField(
        label=_("The file is the whole list: remove the entries it no longer names"),
        required=False,
        help_text=_(
            "Only from the lists in the file (or the list chosen above). Without this, "
            "entries are only added and updated."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Use an .xlsx or .csv file."))
        from fupin.registry.reading import max_bytes

        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB.") % {"max": max_bytes() // 2**20}
            )
        return upload
