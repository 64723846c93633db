from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fupin.core import forms as core_forms
from fupin.core.forms import QuickSelect
from fupin.registry import choices as c
from fupin.registry.errors import MESSAGES
from fupin.registry.excel import looks_like_formula
from fupin.registry.models import ExclusionEntry, Household, Member, YearlyIncome

CATEGORIES = [
    ("dibao", _("Dibao household")),
    ("five_guarantee", _("Five-guarantee household")),
    ("special_support", _("Special-support (destitute)")),
    ("military_family", _("Military family")),
]
SORTS = [
    # The value names the page's first sort (links keep working); the order is HOUSEHOLD_ORDER.
    ("household_no", _("Village, then household number")),
    ("-per_capita", _("Per-capita income, highest first")),
    ("per_capita", _("Per-capita income, lowest first")),
    ("-updated_at", _("Recently changed")),
]


class HouseholdFilterForm(core_forms.Form):
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


def refuse_formula_like(value: str) -> None:
    """Refuse text a spreadsheet would run as a formula, as the import does: what the web
    accepts is then exported as it is and reads back the same."""
    if looks_like_formula(value):
        raise ValidationError(MESSAGES["formula_like"], code="formula_like")


class FreeTextForm(core_forms.ModelForm):
    """A form whose every text field refuses formula-like text, but those in `coded_text`
    (an ID number, which has its own format and message)."""

    coded_text: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and name not in self.coded_text:
                field.validators.append(refuse_formula_like)


class HouseholdForm(FreeTextForm):
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

    def clean(self):
        # The database's rule reads both ways, its message one way (a cancelled household
        # needs a reason): the other way is said here, at the field, in its own words.
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and status != c.Status.CANCELLED and cleaned.get("cancel_reason"):
            self.add_error("cancel_reason", MESSAGES["cancel_reason_unexpected"])
        return cleaned


class NewHouseholdForm(HouseholdForm):
    """A household registered on the web: its number and village too, the village one of
    the user's, the group one of that village's."""

    class Meta(HouseholdForm.Meta):
        fields = ["household_no", "village", *HouseholdForm.Meta.fields]

    def __init__(self, *args, villages, groups, **kwargs):
        super().__init__(*args, groups=groups, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["reason"].help_text = _("Why the household is registered; kept in its history.")

    def clean_household_no(self):
        number = self.cleaned_data["household_no"].strip()
        taken = Household.objects.filter(household_no=number).values_list("village", flat=True)
        village = taken.first()
        if village is not None:
            # As the import says it: a number of another area is told apart from one of the
            # user's own, never where it is (docs/import-format.md, household_outside_area).
            if not self.fields["village"].queryset.filter(pk=village).exists():
                raise ValidationError(
                    MESSAGES["household_outside_area"], code="household_outside_area"
                )
            raise ValidationError(
                _("This household number is already registered."), code="household_no_taken"
            )
        return number

    def clean(self):
        cleaned = super().clean()
        village, group = cleaned.get("village"), cleaned.get("group")
        if village and group and group.parent_id != village.pk:
            self.add_error("group", _("This group is not in the village chosen."))
        return cleaned


class MemberForm(FreeTextForm):
    former_head_relation = forms.ChoiceField(
        label=_("The present head's new relation"),
        required=False,
        choices=[("", "—")] + [(v, lbl) for v, lbl in c.Relation.choices if v != c.Relation.HEAD],
        help_text=_("Only when this member becomes the head in place of the present one."),
    )
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=200)
    coded_text = ("id_number",)

    def _get_validation_exclusions(self):
        # An ID number already registered is member_save's to say, in the words the user's
        # area allows (the model's "already exists" would say it of any area).
        return super()._get_validation_exclusions() | {"id_number"}

    class Meta:
        model = Member
        fields = [
            "relation", "name", "id_number", "ethnicity", "education", "schooling", "health",
            "disability_grade", "labour", "migrant_months", "migrant_place", "plans_migrant_work",
            "medical_insurance", "serious_illness_insurance", "pension_insurance",
            "party_member", "veteran", "college_student", "status", "departed_on",
        ]  # fmt: skip
        widgets = {"departed_on": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        # As HouseholdForm.clean: the database's rule says "a departed member needs the
        # date"; a present member with a date is told so here, at the field.
        cleaned = super().clean()
        if cleaned.get("status") == c.MemberStatus.PRESENT and cleaned.get("departed_on"):
            self.add_error("departed_on", MESSAGES["departed_date_unexpected"])
        return cleaned


class MemberMoveForm(core_forms.Form):
    household_no = forms.CharField(
        label=_("Household it moves to"),
        max_length=Household._meta.get_field("household_no").max_length,
        help_text=_("The household number, as the household list shows it."),
    )
    relation = forms.ChoiceField(label=_("Relation to the head there"), choices=c.Relation.choices)
    reason = forms.CharField(
        label=_("Reason for the move"),
        max_length=200,
        validators=[refuse_formula_like],
        help_text=_("For example a marriage or a household split; kept in the change history."),
    )


class IncomeForm(core_forms.ModelForm):
    class Meta:
        model = YearlyIncome
        fields = [
            "year", "members", "wage", "operating_income", "operating_costs", "property",
            "transfer_pension", "transfer_dibao", "transfer_subsidy", "transfer_other",
            "excluded_earmarked", "excluded_one_off",
        ]  # fmt: skip


class UploadForm(core_forms.Form):
    file = forms.FileField(label=_("Registry file (.xlsx or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Use the template as .xlsx or .csv."))
        from fupin.core.reading import max_bytes

        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB. Split it by village.")
                % {"max": max_bytes() // 2**20}
            )
        return upload


class ExportForm(core_forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV (UTF-8)")]
    )
    full_id_numbers = forms.BooleanField(
        label=_("Full ID numbers (the export is recorded)"), required=False
    )


class ExclusionUploadForm(core_forms.Form):
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
        from fupin.core.reading import max_bytes

        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB.") % {"max": max_bytes() // 2**20}
            )
        return upload
