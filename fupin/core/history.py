"""Change history as people read it: each saved version of a record, with the fields it
changed (old → new). Resident ID numbers are masked for every reader: a full number is shown
only by the audited reveal (registry.services.id_number_reveal), never by a history page.
A reference to another record is shown by its name (a household's number, a group's name),
and only if the reader may see that record: a household a member moved to in another
village is "outside your area" to a clerk of the first."""

from collections import defaultdict
from functools import cache

from django.apps import apps
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast
from django.http import Http404
from django.template.defaultfilters import yesno
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fupin import idnumbers
from fupin.core.scoping import history_for_user, is_area_scoped

MASKED = {"id_number"}
# Eight digits of the ID number: a birth date's change beside the masked number would give
# them back, so a record with an ID number never shows it (its ID number's change says it).
FROM_ID_NUMBER = {"birth_date"}
OUTSIDE = _("(outside your area)")


def described(pairs, *, user) -> list[dict]:
    """{"record", "changes"} for each (record, previous version of the same object or
    None), in the order given; `changes` holds (field's name, old, new) as `user` may read
    them. One query per kind of record referred to, not one per change."""
    found = [(record, _changes(record, previous)) for record, previous in pairs]
    wanted = defaultdict(set)
    for _record, fields in found:
        for field, old, new in fields:
            if field.many_to_one:
                wanted[field.related_model] |= {old, new} - {None}
    names = {model: _names(model, keys, user) for model, keys in wanted.items()}
    rows = []
    for record, fields in found:
        shown = []
        for field, old, new in fields:
            if field.many_to_one:
                old, new = (_name(names[field.related_model], field, key) for key in (old, new))
            shown.append((field.verbose_name, old, new))
        rows.append({"record": record, "changes": shown})
    return rows


def with_changes(records, *, user, limit: int | None = None, keep=None) -> list[dict]:
    """The newest `limit` of the history records of one or more objects, newest first, each
    with what it changed from the version before it of the same object (found among
    `records`, which must hold every version of each object from the oldest shown on).
    `keep(record, previous)`, if given, says which of them to show."""
    last, pairs = {}, []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        key = (type(record), record.id)
        if keep is None or keep(record, last.get(key)):
            pairs.append((record, last.get(key)))
        last[key] = record
    # Only the rows shown are compared with their previous version.
    return described(pairs[::-1][:limit], user=user)


def _changes(record, previous) -> list[tuple]:
    """(field, old, new) for each field `record` changed from `previous`; none for a
    creation or a deletion. References stay keys here (described() names them)."""
    if previous is None or record.history_type != "~":
        return []
    model = record.instance_type
    found = []
    for change in record.diff_against(previous).changes:
        field = model._meta.get_field(change.field)
        if getattr(field, "auto_now", False):
            continue  # a save's time, not a change anybody made (the row says when)
        if change.field in FROM_ID_NUMBER and hasattr(previous, "id_number"):
            continue
        old, new = change.old, change.new
        if change.field in MASKED:
            old, new = idnumbers.mask(old or ""), idnumbers.mask(new or "")
        elif field.choices:  # as the forms show it: 监测对象, not monitored
            labels = dict(field.flatchoices)
            old, new = labels.get(old, old), labels.get(new, new)
        elif isinstance(old, bool) or isinstance(new, bool):
            old, new = yesno(old), yesno(new)
        found.append((field, old, new))
    return found


def _names(model, keys, user) -> dict[str, str]:
    records = model._default_manager.all()
    if is_area_scoped(model):
        records = records.for_user(user)
    # A record with names in both languages (a department, a project) by the reader's.
    language = "en" if (get_language() or "").startswith("en") else "zh"
    return {
        str(record.pk): record.label(language) if hasattr(record, "label") else str(record)
        for record in records.filter(pk__in=keys)
    }


def _name(names: dict, field, key):
    if key is None:
        return None
    if str(key) in names:
        return names[str(key)]
    # Out of sight, or deleted: an area-scoped record's key would tell what the reader may
    # not know; another's is shown as it is.
    return OUTSIDE if is_area_scoped(field.related_model) else key


@cache
def audited_models() -> dict[str, type]:
    """The models whose records the audit pages show, by label ("fieldwork.visit"): those
    with a history and an area (the area decides who may read it)."""
    return {
        model._meta.label_lower: model
        for model in apps.get_models()
        if is_area_scoped(model) and hasattr(model, "history")
    }


def versions(model, pk):
    """Every history row of the record `pk` of `model`, stored or deleted, newest first."""
    return model.history.filter(**{model._meta.pk.attname: pk}).order_by(
        "-history_date", "-history_id"
    )


def last_version_or_404(model, user, pk):
    """The last history row of a record no longer stored (its deletion, as a rule), if the
    area that row names is in the user's: out of it, or never recorded, is 404 — as for a
    stored record, its existence does not leak."""
    last = versions(model, pk).first()
    if last is None or not history_for_user(model, user).filter(pk=last.pk).exists():
        raise Http404
    return last


def deletions(user, *, models=None, household=None):
    """The deletions of `models` (default: every audited model) the user may see, newest
    first, as dicts of deleted_kind (the model's label), deleted_pk (as text), history_id,
    history_date, history_user_id and history_change_reason: one query, a UNION of the
    history tables, to be sliced by page.
    `household`: only the records of that household (models without one are left out).
    Each deletion's area is the one its own row names (history_for_user)."""
    parts = []
    for model in models or audited_models().values():
        fields = {field.name for field in model.history.model._meta.fields}
        if household is not None and "household" not in fields:
            continue
        rows = history_for_user(model, user).filter(history_type="-")
        if household is not None:
            rows = rows.filter(household=household)
        parts.append(
            rows.order_by()
            .annotate(
                # names no model's field has (a model with a `label` field would refuse one)
                deleted_kind=Value(model._meta.label_lower, output_field=CharField()),
                deleted_pk=Cast(F(model._meta.pk.attname), CharField()),
            )
            .values(
                "deleted_kind",
                "deleted_pk",
                "history_id",
                "history_date",
                "history_user_id",
                "history_change_reason",
            )
        )
    if not parts:
        return []
    first, *others = parts
    return first.union(*others, all=True).order_by("-history_date", "-history_id")
