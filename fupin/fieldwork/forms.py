from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core import forms as core_forms
from fupin.fieldwork.models import (
    AssistancePlan,
    Cadre,
    DisputeType,
    FestivalVisit,
    Measure,
    MeasureType,
    MediationCase,
    MediationStatus,
    Meeting,
    MeetingType,
    Visit,
    closing_day,
)

FOLLOW_UP_FIELDS = ("follow_up_action", "follow_up_owner", "follow_up_due")


class VisitForm(core_forms.ModelForm):
    """The diary entry, quick on a phone: date, visitors, purpose and what was found, with one
    optional follow-up. Correcting a visit (`with_follow_up=False`) is the same form without
    the follow-up: a visit's follow-ups have their own status, closed on the household page."""

    follow_up_action = forms.CharField(label=_("Follow-up action"), max_length=200, required=False)
    follow_up_owner = forms.ModelChoiceField(
        label=_("Follow-up owner"), queryset=Cadre.objects.none(), required=False
    )
    follow_up_due = forms.DateField(
        label=_("Follow-up due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Visit
        fields = list(Visit.WRITTEN)
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "visitors": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, cadres=None, with_follow_up=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitors"].queryset = cadres
        self.fields["follow_up_owner"].queryset = cadres
        if not with_follow_up:
            for name in FOLLOW_UP_FIELDS:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        parts = [data.get(k) for k in FOLLOW_UP_FIELDS]
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


class VisitDeleteForm(core_forms.Form):
    """Why a visit is deleted: kept in its history and its follow-ups'."""

    reason = forms.CharField(
        label=_("Why is the visit deleted?"),
        max_length=200,
        help_text=_("For example: recorded twice, or for the wrong household."),
    )


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


class CadreEditForm(core_forms.ModelForm):
    """A cadre's details, whether they still serve, and the Fupin user they sign in as
    (`accounts`: selectors.accounts_for_cadre)."""

    class Meta:
        model = Cadre
        fields = ["name", "phone", "unit", "active", "two_committees", "user"]
        help_texts = {
            "active": _("Untick for a cadre who has left: kept on their past visits."),
            "two_committees": _("Listed for the Spring Festival visits."),
        }

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts
        self.fields["user"].label = _("Signs in as")


class ComplianceForm(core_forms.Form):
    on = forms.DateField(
        label=_("On"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AssistancePlanForm(core_forms.ModelForm):
    """A household plan's year and goal. The API sets them; the pages make a year's plan
    with its first measure (MeasureForm's year)."""

    class Meta:
        model = AssistancePlan
        fields = ["year", "goal"]


class MeasureForm(core_forms.ModelForm):
    """A measure of a household plan: added with its plan's year, changed (an instance)
    without it."""

    year = forms.IntegerField(label=_("Plan year"), min_value=2000, max_value=2100)

    class Meta:
        model = Measure
        fields = list(Measure.WRITTEN)
        widgets = {
            "start_on": forms.DateInput(attrs={"type": "date"}),
            "end_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        types = MeasureType.objects.filter(active=True)
        if self.instance.pk:
            # A measure changed keeps its plan (so no year), and its type even if retired.
            del self.fields["year"]
            types = MeasureType.objects.filter(Q(active=True) | Q(pk=self.instance.type_id))
        self.fields["type"].queryset = types
        self.fields["project"].queryset = projects
        if "year" in self.fields:
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


# --- meetings and activities; dispute mediation ---------------------------------------------


def _no_members():
    from fupin.registry.models import Member

    return Member.objects.none()


class MemberChoiceField(forms.ModelMultipleChoiceField):
    """The village's members by name and household number, ticked in a searchable list."""

    widget = core_forms.QuickCheckboxes

    def label_from_instance(self, member):
        return f"{member.name}（{member.household.household_no}）"


class MeetingForm(core_forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["type", "date", "place", "topic", "participant_count", "members", "minutes"]
        field_classes = {"members": MemberChoiceField}
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = MeetingType.objects.filter(active=True)
        self.fields["members"].queryset = members if members is not None else _no_members()


class DecisionForm(core_forms.Form):
    """A decision of a meeting, which becomes a follow-up with an owner and a due date."""

    action = forms.CharField(label=_("Decision (follow-up action)"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Cadre.objects.none())
    due_on = forms.DateField(label=_("Due by"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, cadres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = cadres


class MeetingFilterForm(core_forms.Form):
    type = forms.ModelChoiceField(
        label=_("Type"), queryset=MeetingType.objects.all(), required=False
    )
    village = forms.ModelChoiceField(label=_("Village"), queryset=None, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class MediationCaseForm(core_forms.ModelForm):
    class Meta:
        model = MediationCase
        fields = [
            "type",
            "petition",
            "received_on",
            "parties",
            "party_members",
            "summary",
            "mediator",
            "status",
            "outcome",
            "closed_on",
        ]
        field_classes = {"party_members": MemberChoiceField}
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}),
            "closed_on": forms.DateInput(attrs={"type": "date"}),
            "parties": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"closed_on": _("Blank: today, when the case is resolved or referred.")}

    def __init__(self, *args, members=None, cadres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = DisputeType.objects.filter(active=True)
        self.fields["party_members"].queryset = members if members is not None else _no_members()
        self.fields["mediator"].queryset = cadres

    def clean(self):
        from django.utils import timezone

        data = super().clean()
        # Before the model's own check: a case resolved without a day given closes today.
        if status := data.get("status"):
            data["closed_on"] = closing_day(status, data.get("closed_on"), timezone.localdate())
        return data


class MediationStepForm(core_forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    by = forms.ModelChoiceField(
        label=pgettext_lazy("mediation step", "By"), queryset=Cadre.objects.none(), required=False
    )

    def __init__(self, *args, cadres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by"].queryset = cadres


class MediationFilterForm(core_forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "---------"), *MediationStatus.choices], required=False
    )
    type = forms.ModelChoiceField(
        label=_("Type"), queryset=DisputeType.objects.all(), required=False
    )
    village = forms.ModelChoiceField(label=_("Village"), queryset=None, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    petition = forms.BooleanField(label=_("Petitions only"), required=False)
    stale = forms.BooleanField(label=_("Unresolved past the warning days"), required=False)

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
