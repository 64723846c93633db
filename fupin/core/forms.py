from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from fupin.core.text import code_point, control_character


def add_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field if the form has it."""
    errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, messages in errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def _refuse_control_characters(field, multiline: bool):
    def validate(value):
        if isinstance(value, str) and (char := control_character(value, multiline=multiline)):
            raise ValidationError(
                _("Contains a control character (%(char)s), which text may not hold."),
                code="control_character",
                params={"char": code_point(char)},
            )

    field.validators.append(validate)


class TextRules:
    """Every form's base (through Form and ModelForm below): each text field refuses the
    control characters fupin.core.text names; tab and line breaks only in a Textarea."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_text_rules(self.fields.values())

    def apply_text_rules(self, fields) -> None:
        """The rule for `fields`: a form that adds fields after __init__ passes them here."""
        for field in fields:
            if isinstance(field, forms.CharField):
                _refuse_control_characters(field, isinstance(field.widget, forms.Textarea))


class Form(TextRules, forms.Form):
    pass


class ModelForm(TextRules, forms.ModelForm):
    pass


class QuickSelect(forms.Select):
    """A <select> whose options are written in Python.

    Django renders every option through a template, about 0.2 ms each: a county's six
    hundred villages made that most of the household list's time. Plain options only (no
    groups), which is all the filter forms offer.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in chosen else ""}>'
            f"{escape(label)}</option>"
            for key, label in self.choices
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            attributes,
            mark_safe(options),  # noqa: S308 - every key and label escaped above
        )


class QuickCheckboxes(forms.CheckboxSelectMultiple):
    """Ticked boxes whose rows are written in Python, as QuickSelect's options are: a
    village's 1,600 members took Django's per-option templates almost two seconds. Renders
    the rows in a `.wp-checklist` box with the id `<field id>-list`, for checklist.js's
    search box."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        attributes = self.build_attrs(self.attrs, attrs)
        rows = "".join(
            f'<label class="wp-check"><input type="checkbox" name="{escape(name)}" '
            f'value="{escape(key)}"{" checked" if str(key) in chosen else ""}> '
            f"{escape(label)}</label>"
            for key, label in self.choices
        )
        return format_html(
            '<div class="wp-checklist" id="{}-list" role="group">{}</div>',
            attributes.get("id", name),
            mark_safe(rows),  # noqa: S308 - every key and label escaped above
        )


class AreaUploadForm(Form):
    file = forms.FileField(label=_("Division list or group list (.xlsx or .csv)"))

    def clean_file(self):
        from fupin.core.reading import max_bytes

        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(_("Use an .xlsx or .csv file."))
        if upload.size > max_bytes():
            raise ValidationError(
                _("The file is larger than %(max)s MB.") % {"max": max_bytes() // 2**20}
            )
        return upload


class UserForm(Form):
    """A user as an administrator makes or changes them; `areas` are those within reach."""

    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[A-Za-z0-9_.@+-]{2,150}$",
        error_messages={"invalid": _("Letters, digits and _ . @ + - only, at least 2.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=60)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    role = forms.ChoiceField(label=_("Role"))
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, required=False)
    is_active = forms.BooleanField(label=_("May sign in"), required=False, initial=True)

    def __init__(self, *args, areas=None, editing=False, **kwargs):
        from fupin.core.roles import Role

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Role.choices
        self.fields["area"].queryset = areas
        self.fields["area"].empty_label = _("All areas (administrators only)")
        if editing:
            self.fields["username"].disabled = True
        else:
            del self.fields["is_active"]


class UserUploadForm(Form):
    file = forms.FileField(label=_("User list (.xlsx or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(_("Use an .xlsx or .csv file."))
        return upload


class CountedPasswordChangeForm(TextRules, PasswordChangeForm):
    """The password change, its old password checked by signing in: a wrong one counts as a
    failed sign-in (django-axes), and a locked-out account cannot change its password, so
    the change page is no way round the sign-in page's lock for someone holding a session."""

    def __init__(self, user, *args, request=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        username = self.user.get_username()
        if authenticate(self.request, username=username, password=old_password) is None:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class DeletionsForm(Form):
    """The deleted records' filters: one kind of record, one household (its visits, say)."""

    kind = forms.ChoiceField(label=_("Kind of record"), required=False)
    household = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, kinds: dict[str, type], **kwargs):
        super().__init__(*args, **kwargs)
        named = sorted((label, str(model._meta.verbose_name)) for label, model in kinds.items())
        self.fields["kind"].choices = [("", _("All kinds")), *sorted(named, key=lambda c: c[1])]
