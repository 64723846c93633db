"""Forms of trainings and referrals (the pages' and the API's)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.core import forms as core_forms
from fupin.fieldwork.models import (
    Enrolment,
    Referral,
    ReferralKind,
    ReferralStatus,
    TrainingProgramme,
)
from fupin.fieldwork.trainings import BAD_AGES

DATE = forms.DateInput(attrs={"type": "date"})


class ProgrammeForm(core_forms.ModelForm):
    class Meta:
        model = TrainingProgramme
        fields = ["provider", "course", "area", "starts_on", "ends_on", "capacity", "notes"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class EnrolForm(core_forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    enrolled_on = forms.DateField(label=_("Enrolled on"), widget=DATE)


class MemberSearchForm(core_forms.Form):
    q = forms.CharField(label=_("Name or household number"), max_length=50, required=False)


class EnrolmentOutcomeForm(core_forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = ["status", "certificate", "employed", "employer", "monthly_income"]


class CandidateForm(core_forms.Form):
    on = forms.DateField(label=_("On"), required=False, widget=DATE)
    min_age = forms.IntegerField(label=_("Age from"), min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label=_("Age to"), min_value=0, max_value=120, required=False)

    def clean_on(self):
        on = self.cleaned_data.get("on")
        if on is not None and not 1900 <= on.year <= 2100:
            raise forms.ValidationError(_("Give a day between 1900 and 2100."))
        return on

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("min_age", BAD_AGES)
        return data


class ReferralForm(core_forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["kind", "programme", "destination", "referred_on", "notes"]
        widgets = {"referred_on": DATE}

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ReferralKind.PROGRAMME and not data.get("programme"):
            self.add_error("programme", _("Choose the programme."))
        if kind and kind != ReferralKind.PROGRAMME and not data.get("destination"):
            self.add_error("destination", _("Name the school or employer."))
        return data

    def _post_clean(self):
        # The member, household and village are the service's to set; the model's own
        # constraints are checked there, with the whole record.
        pass


OUTCOMES = [(v, label) for v, label in ReferralStatus.choices if v != ReferralStatus.REFERRED]


class ReferralOutcomeForm(core_forms.Form):
    status = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES)
    outcome_on = forms.DateField(label=_("Outcome on"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)
