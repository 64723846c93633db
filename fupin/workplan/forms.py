from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.workplan.models import (
    PHOTO_EXTENSIONS,
    Category,
    Department,
    Expenditure,
    ProgressUpdate,
    SourceKind,
    Status,
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


class ScopeForm(forms.Form):
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


class ProgressForm(forms.ModelForm):
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


class ExpenditureForm(forms.ModelForm):
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


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    on = forms.DateField(label=_("Date"), required=False, widget=DateInput())


class ObjectiveActualForm(forms.Form):
    actual = forms.CharField(label=_("Actual"), max_length=200, required=False)
    met = forms.NullBooleanField(
        label=_("Met"),
        widget=forms.Select(
            choices=[("unknown", _("Not judged")), ("true", _("Yes")), ("false", _("No"))]
        ),
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("plan", _("Annual work plan")), ("summary", _("Year-end summary"))]
    )
    language = forms.ChoiceField(choices=[("zh", "中文"), ("en", "English")])


class LedgerForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    area = forms.CharField(max_length=15)
