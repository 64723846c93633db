from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.core import forms as core_forms
from fupin.fieldwork.models import Cadre, FestivalVisit, Measure, MeasureType, Visit


class VisitForm(core_forms.ModelForm):
    """The diary entry, quick on a phone: date, visitors, purpose and what was found, with one
    optional follow-up."""

    follow_up_action = forms.CharField(label=_("Follow-up action"), max_length=200, required=False)
    follow_up_owner = forms.ModelChoiceField(
        label=_("Follow-up owner"), queryset=Cadre.objects.none(), required=False
    )
    follow_up_due = forms.DateField(
        label=_("Follow-up due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Visit
        fields = [
            "date",
            "visitors",
            "purpose",
            "income_change",
            "illness",
            "schooling",
            "housing",
            "water",
            "notes",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "visitors": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, cadres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitors"].queryset = cadres
        self.fields["follow_up_owner"].queryset = cadres

    def clean(self):
        data = super().clean()
        parts = [data.get(k) for k in ("follow_up_action", "follow_up_owner", "follow_up_due")]
        if any(parts) and not all(parts):
            raise forms.ValidationError(
                _("A follow-up needs its action, its owner and its due date.")
            )
        return data

    def follow_up(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("follow_up_action"):
            return None
        return {
            "action": data["follow_up_action"],
            "owner": data["follow_up_owner"],
            "due_on": data["follow_up_due"],
        }


class PairingForm(core_forms.Form):
    cadre = forms.ModelChoiceField(label=_("Responsible cadre"), queryset=Cadre.objects.none())
    started_on = forms.DateField(
        label=_("Paired on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, cadres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres


class CadreForm(core_forms.ModelForm):
    class Meta:
        model = Cadre
        fields = ["name", "phone", "unit", "area"]

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class ComplianceForm(core_forms.Form):
    on = forms.DateField(
        label=_("On"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MeasureForm(core_forms.ModelForm):
    year = forms.IntegerField(label=_("Plan year"), min_value=2000, max_value=2100)

    class Meta:
        model = Measure
        fields = [
            "type",
            "description",
            "amount",
            "funding_source",
            "project",
            "start_on",
            "end_on",
            "status",
            "outcome",
        ]
        widgets = {
            "start_on": forms.DateInput(attrs={"type": "date"}),
            "end_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = MeasureType.objects.filter(active=True)
        self.fields["project"].queryset = projects
        self.order_fields(["year"])


# --- Spring Festival visits and household handbooks ------------------------------------------


class FestivalGenerateForm(core_forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    party_member_age = forms.IntegerField(
        label=_("Old party members from the age of"),
        min_value=18,
        max_value=120,
        help_text=_("Party members who reach this age in the year are listed."),
    )


class FestivalGiftForm(core_forms.ModelForm):
    """What was given to one entry of the list: quick, one row of the page."""

    class Meta:
        model = FestivalVisit
        fields = ["gift_kind", "gift", "value", "given_by", "given_on", "signed"]
        widgets = {"given_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, cadres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_by"].queryset = cadres if cadres is not None else Cadre.objects.none()


class FestivalExportForm(core_forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    format = forms.ChoiceField(choices=[("xlsx", ".xlsx"), ("docx", ".docx")])


class HandbooksForm(core_forms.Form):
    full_id_numbers = forms.BooleanField(label=_("Full ID numbers"), required=False)
