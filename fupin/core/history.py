"""Change history as people read it: each saved version of a record, with the fields it
changed (old → new). Resident ID numbers are masked for every reader: a full number is shown
only by the audited reveal (registry.services.id_number_reveal), never by a history page."""

from django.template.defaultfilters import yesno

from fupin import idnumbers

MASKED = {"id_number"}


def changes(record, previous) -> list[tuple[str, object, object]]:
    """(field's name, old, new) for each field `record` changed from `previous`, the version
    before it of the same object; none for a creation or a deletion."""
    if previous is None or record.history_type != "~":
        return []
    model = record.instance_type
    found = []
    for change in record.diff_against(previous).changes:
        field = model._meta.get_field(change.field)
        if getattr(field, "auto_now", False):
            continue  # a save's time, not a change anybody made (the row says when)
        old, new = change.old, change.new
        if change.field in MASKED:
            old, new = idnumbers.mask(old or ""), idnumbers.mask(new or "")
        elif field.choices:  # as the forms show it: 监测对象, not monitored
            labels = dict(field.flatchoices)
            old, new = labels.get(old, old), labels.get(new, new)
        elif isinstance(old, bool) or isinstance(new, bool):
            old, new = yesno(old), yesno(new)
        elif field.many_to_one:  # as people name it: the household's number, a group's name
            named = {
                str(related.pk): str(related)
                for related in field.related_model._base_manager.filter(pk__in={old, new} - {None})
            }
            old, new = named.get(str(old), old), named.get(str(new), new)
        found.append((field.verbose_name, old, new))
    return found


def with_changes(records, *, limit: int | None = None) -> list[dict]:
    """The newest `limit` of the history records of one or more objects, newest first, each
    with what it changed from the version before it of the same object (found among
    `records`, which must hold every version of each object from the oldest shown on)."""
    last, pairs = {}, []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        key = (type(record), record.id)
        pairs.append((record, last.get(key)))
        last[key] = record
    # Only the rows shown are compared with their previous version.
    return [
        {"record": record, "changes": changes(record, previous)}
        for record, previous in pairs[::-1][:limit]
    ]
