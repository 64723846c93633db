from django import forms
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
        for field in self.fields.values():
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
