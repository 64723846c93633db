"""Hostile text for the structural tests: every free-text field of the domain models filled
through the ORM (as an import, a form or an old version might have left it)."""

import re

from django.apps import apps
from django.db import models

DOMAIN_APPS = ("core", "registry", "assessment", "workplan")
# Text that the sign-in or the jobs machinery needs as it is, or that is a code, not text.
KEPT = {("core", "user"): {"username", "password"}, ("core", "job"): {"kind", "task_result_id"}}

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
XSS = (SCRIPT, IMG)

FORMULAS = (
    '=HYPERLINK("http://x.example","y")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
# What a spreadsheet runs as a formula: =, @, a tab or carriage return before one, or a sign
# before anything but a plain number or a phone number.
_NUMBER_LIKE = re.compile(r"[+-][\d\s().-]*")


def is_live_formula(value) -> bool:
    if not isinstance(value, str) or not value:
        return False
    if value[0] in "=@\t\r":
        return True
    return value[0] in "+-" and not _NUMBER_LIKE.fullmatch(value)


def text_fields(model):
    kept = KEPT.get((model._meta.app_label, model._meta.model_name), set())
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, (models.CharField, models.TextField))
            and not field.primary_key
            and not field.choices
            and field.name not in kept
            and field.name != "id_number"  # the ID-number tests own these
        ):
            yield field


def domain_models():
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            if not model._meta.managed or model._meta.proxy:
                continue
            if model.__name__.startswith("Historical"):
                continue
            yield model


def fill_text_fields(payloads) -> list[tuple[str, str]]:
    """Every row's every free-text field set to one of `payloads` (the field's turn), with the
    row's key after it so that unique fields stay unique. Returns (model, field) filled."""
    filled = []
    for model in domain_models():
        fields = list(text_fields(model))
        for row in model._default_manager.all():
            changes = {}
            for index, field in enumerate(fields):
                value = f"{payloads[index % len(payloads)]}{row.pk}"
                if field.max_length and len(value) > field.max_length:
                    continue
                changes[field.attname] = value
            if changes:
                model._default_manager.filter(pk=row.pk).update(**changes)
                filled.extend((model.__name__, name) for name in changes)
    return sorted(set(filled))
