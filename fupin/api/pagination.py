"""Keyset pagination: a page is the rows after the last key of the previous one, so page
1,000 costs what page 1 does (an index range, never an OFFSET)."""

import base64
import binascii

from django.db.models import F
from django.db.models.fields.tuple_lookups import TupleGreaterThan, TupleGreaterThanOrEqual
from django.utils.translation import gettext as _

from fupin.api.errors import ApiError

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
SEPARATOR = "|"  # between the parts of a key of several fields: see _parts


def encode(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def decode(cursor: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = base64.b64decode(padded, altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ApiError(400, "bad_cursor", _("The cursor is not valid.")) from None
    if not key or "\x00" in key:
        raise ApiError(400, "bad_cursor", _("The cursor is not valid."))
    return key


def _bad_cursor():
    return ApiError(400, "bad_cursor", _("The cursor is not valid."))


def keyset_page(queryset, key: str | tuple[str, ...], cursor: str | None, limit: int):
    """Up to `limit` rows ordered by the unique field `key` (or the unique tuple of fields),
    after `cursor`; and the next page's cursor (None on the last page).

    A tuple, such as (village, household number), is compared as a row value,
    `(a, b) > (x, y)`: one range of a composite index on those fields, whatever the depth.
    A tuple that ends in a field of the row itself after the fields of a parent (a member
    by its household's village and number, then its id) also states `(a, b) >= (x, y)` on
    the parent's fields alone, the range the parent's index reads in order."""
    keys = (key,) if isinstance(key, str) else tuple(key)
    if cursor:
        after = decode(cursor)
        if len(keys) == 1:
            queryset = queryset.filter(**{f"{key}__gt": after})
        else:
            parts = _parts(after, keys)
            queryset = queryset.filter(TupleGreaterThan(tuple(F(k) for k in keys), tuple(parts)))
            if len(keys) > 2:
                prefix = tuple(F(k) for k in keys[:-1])
                queryset = queryset.filter(TupleGreaterThanOrEqual(prefix, tuple(parts[:-1])))
    rows = list(queryset.order_by(*keys)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if not more:
        return rows, None
    return rows, encode(SEPARATOR.join(str(_value(rows[-1], name)) for name in keys))


def _parts(after: str, keys: tuple[str, ...]) -> list[str]:
    """The cursor's parts: area codes never hold the separator, ids are digits, and the one
    free text (a household number) is the part left between them."""
    if keys[-1] == "id":
        body, sep, last = after.rpartition(SEPARATOR)
        parts = [*body.split(SEPARATOR, len(keys) - 2), last] if sep else []
        if parts and not last.isdigit():
            parts = []
    else:
        parts = after.split(SEPARATOR, len(keys) - 1)
    if len(parts) != len(keys):
        raise _bad_cursor()
    return parts


def _value(row, path: str):
    for name in path.split("__"):
        row = getattr(row, name)
    return row
