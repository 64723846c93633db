"""The procedures' forms: what a step needs, starting, reversing, withdrawing, objections,
the list's filters and a village's batch. Each derives from fupin.core.forms."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.core import forms as core_forms
from fupin.procedures import rules
from fupin.procedures.models import (
    Kind,
    MonitoringKind,
    Resolution,
    RiskType,
    Source,
    Status,
    StepDefinition,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 2})
VOTE_FIELDS = (
    ("votes_for", _("Votes for")),
    ("votes_against", _("Votes against")),
    ("votes_abstain", _("Abstentions")),
    ("attendance", _("Present at the meeting")),
    ("eligible", _("Entitled to attend")),
)


def _count(label, required=True):
    return forms.IntegerField(label=label, min_value=0, max_value=100_000, required=required)


def votes_from(data: dict, prefix: str = "") -> rules.Votes | None:
    values = [data.get(prefix + name) for name, _label in VOTE_FIELDS]
    if any(value is None for value in values):
        return None
    votes_for, against, abstain, attendance, eligible = values
    return rules.Votes(votes_for, against, abstain, attendance, eligible)


def _default_steps():
    return StepDefinition.objects.filter(workflow__province="").order_by("workflow__kind", "order")


class StepForm(core_forms.Form):
    """The next step of one household: only the fields the step asks for."""

    step_code = forms.CharField(widget=forms.HiddenInput, max_length=32)
    date = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(self, *args, definition: StepDefinition, findings=None, role="", **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("step_code", definition.code)
        kwargs["initial"].setdefault("date", datetime.date.today())
        super().__init__(*args, **kwargs)
        declared = set(self.fields)
        self.definition = definition
        findings = findings or {}
        if definition.vote:
            for name, label in VOTE_FIELDS:
                self.fields[name] = _count(label)
        if definition.auto_check == "exclusions" and findings.get("exclusions"):
            self.fields["exclusion_resolution"] = forms.CharField(
                label=_("How the exclusion-list hits were resolved"),
                max_length=500,
                widget=TEXT,
            )
        if definition.auto_check == "exit_standard" and role == rules.COUNTY_APPROVER:
            self.fields["override_reason"] = forms.CharField(
                label=_("County override: written reason"),
                help_text=_("Only when the exit standard is not met and the county decides so."),
                max_length=500,
                required=False,
                widget=TEXT,
            )
        if definition.auto_check == "risk_removal":
            self.fields["stable_months"] = forms.IntegerField(
                label=_("Months of income above the monitoring threshold"),
                min_value=0,
                max_value=120,
            )
        if definition.needs_document:
            self.fields["document"] = forms.FileField(
                label=_("Signed document (scan or photo)"),
            )
        if definition.is_notice:
            self.fields["notice_place"] = forms.CharField(
                label=_("Posted at"), max_length=200, help_text=_("e.g. the village notice board")
            )
            self.fields["notice_object_to"] = forms.CharField(
                label=_("Where to object"),
                max_length=300,
                help_text=_("Office, person and phone that take objections."),
            )
        self.fields["note"] = forms.CharField(
            label=_("Note"), max_length=500, required=False, widget=TEXT
        )
        self.apply_text_rules(f for name, f in self.fields.items() if name not in declared)

    def clean_step_code(self):
        code = self.cleaned_data["step_code"]
        if code != self.definition.code:
            # Someone recorded a step meanwhile: the page showed another step than is next.
            raise forms.ValidationError(
                _("The procedure moved on since this page was opened: reload it.")
            )
        return code

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        document = data.get("document")
        return {
            "step_code": data["step_code"],
            "on": data["date"],
            "votes": votes_from(data),
            "note": data.get("note", ""),
            "documents": [document] if document else [],
            "override_reason": data.get("override_reason", ""),
            "exclusion_resolution": data.get("exclusion_resolution", ""),
            "stable_months": data.get("stable_months"),
            "notice_place": data.get("notice_place", ""),
            "notice_object_to": data.get("notice_object_to", ""),
        }


class StartForm(core_forms.Form):
    kind = forms.ChoiceField(label=_("Procedure"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    date = forms.DateField(label=_("Started on"), widget=DATE)
    source = forms.ChoiceField(
        label=_("Found by"), choices=[("", "—"), *Source.choices], required=False
    )
    monitoring_kind = forms.ChoiceField(
        label=_("Monitoring kind"),
        choices=[("", "—"), *MonitoringKind.choices],
        required=False,
        help_text=_("Monitoring inclusion only."),
    )
    risk_types = forms.ModelMultipleChoiceField(
        label=_("Risk types"),
        queryset=RiskType.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Monitoring inclusion only; several may apply."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)


class ReasonForm(core_forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        max_length=500,
        widget=TEXT,
        help_text=_("Kept in the procedure's history."),
    )


class ObjectionForm(core_forms.Form):
    raised_on = forms.DateField(label=_("Raised on"), widget=DATE)
    raised_by = forms.CharField(
        label=_("Raised by"),
        max_length=100,
        required=False,
        help_text=_("Leave blank for an anonymous objection."),
    )
    contact = forms.CharField(label=_("Contact"), max_length=100, required=False)
    content = forms.CharField(label=_("Objection"), widget=forms.Textarea(attrs={"rows": 4}))


class ResolveForm(core_forms.Form):
    handling = forms.CharField(
        label=_("How it was handled"), widget=forms.Textarea(attrs={"rows": 4})
    )
    resolution = forms.ChoiceField(
        label=_("Resolution"), choices=Resolution.choices, widget=forms.RadioSelect
    )


class ListForm(core_forms.Form):
    """The procedure list's filters (GET)."""

    kind = forms.ChoiceField(
        label=_("Procedure"), choices=[("", _("All")), *Kind.choices], required=False
    )
    step = forms.ChoiceField(label=_("At step"), required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Status.choices], required=False
    )
    village = forms.ChoiceField(label=_("Area"), required=False, widget=core_forms.QuickSelect)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        steps = {"": _("Any")}
        steps["none"] = _("No step yet")
        for definition in _default_steps():
            steps.setdefault(definition.code, str(definition))
        self.fields["step"].choices = list(steps.items())
        self.fields["village"].choices = [("", _("All")), *areas]


class BatchPickForm(core_forms.Form):
    """Which village, round and step a batch is for (GET)."""

    village = forms.ChoiceField(label=_("Village"), widget=core_forms.QuickSelect)
    kind = forms.ChoiceField(label=_("Procedure"), choices=Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    step = forms.ChoiceField(label=_("Step"))

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = list(villages)
        steps = {}
        for definition in _default_steps():
            steps.setdefault(definition.code, str(definition))
        self.fields["step"].choices = list(steps.items())


class BatchStepForm(core_forms.Form):
    """One step for the chosen households: one date, one tally or a tally per household,
    one notice, one document; a resolution per household that an exclusion list names."""

    step_code = forms.CharField(widget=forms.HiddenInput, max_length=32)
    date = forms.DateField(label=_("Date"), widget=DATE)
    per_household = forms.BooleanField(
        label=_("A tally for each household"),
        required=False,
        help_text=_("Otherwise the one tally below counts for every household."),
    )

    def __init__(self, *args, definition, procedures, findings=None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("step_code", definition.code)
        kwargs["initial"].setdefault("date", datetime.date.today())
        super().__init__(*args, **kwargs)
        declared = set(self.fields)
        self.definition = definition
        self.procedures = list(procedures)
        self.findings = findings or {}
        self.rows = []
        for procedure in self.procedures:
            pick = f"pick_{procedure.pk}"
            self.fields[pick] = forms.BooleanField(required=False, initial=True)
            row = {"procedure": procedure, "pick": self[pick], "votes": [], "resolution": None}
            if definition.vote:
                for name, label in VOTE_FIELDS:
                    key = f"p{procedure.pk}_{name}"
                    self.fields[key] = _count(label, required=False)
                    row["votes"].append(self[key])
            if self.findings.get(procedure.pk):
                key = f"resolution_{procedure.pk}"
                self.fields[key] = forms.CharField(
                    label=_("How the exclusion-list hits were resolved"),
                    max_length=500,
                    required=False,
                    widget=forms.TextInput,
                )
                row["resolution"] = self[key]
                row["hits"] = self.findings[procedure.pk]
            self.rows.append(row)
        if definition.vote:
            for name, label in VOTE_FIELDS:
                self.fields[name] = _count(label, required=False)
        if definition.needs_document:
            self.fields["document"] = forms.FileField(label=_("Signed document or minutes"))
        if definition.is_notice:
            self.fields["notice_place"] = forms.CharField(label=_("Posted at"), max_length=200)
            self.fields["notice_object_to"] = forms.CharField(
                label=_("Where to object"), max_length=300
            )
        self.fields["note"] = forms.CharField(label=_("Note"), max_length=300, required=False)
        self.apply_text_rules(f for name, f in self.fields.items() if name not in declared)

    def tally_fields(self):
        return [self[name] for name, _label in VOTE_FIELDS if name in self.fields]

    def notice_fields(self):
        return [
            self[name]
            for name in ("notice_place", "notice_object_to", "document", "note")
            if name in self.fields
        ]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not self.chosen():
            raise forms.ValidationError(_("Choose at least one household."))
        if data.get("step_code") != self.definition.code:
            raise forms.ValidationError(_("The step changed since this page was opened."))
        return data

    def chosen(self) -> list[int]:
        data = getattr(self, "cleaned_data", {})
        return [p.pk for p in self.procedures if data.get(f"pick_{p.pk}")]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        chosen = self.chosen()
        votes = None
        if self.definition.vote:
            if data.get("per_household"):
                votes = {
                    pk: tally
                    for pk in chosen
                    if (tally := votes_from(data, prefix=f"p{pk}_")) is not None
                }
            else:
                votes = votes_from(data)
        return {
            "procedures": chosen,
            "step_code": data["step_code"],
            "on": data["date"],
            "votes": votes,
            "note": data.get("note", ""),
            "document": data.get("document"),
            "exclusion_resolutions": {
                pk: data.get(f"resolution_{pk}", "")
                for pk in chosen
                if data.get(f"resolution_{pk}")
            },
            "notice_place": data.get("notice_place", ""),
            "notice_object_to": data.get("notice_object_to", ""),
        }
