"""Keyset pagination: a page is the rows after the last key of the previous one, so page
1,000 costs what page 1 does (an index range, never an OFFSET)."""

import base64
import binascii

from django.utils.translation import gettext as _

from fupin.api.errors import ApiError

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


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


def keyset_page(queryset, key: str, cursor: str | None, limit: int):
    """Up to `limit` rows ordered by the unique field `key`, after `cursor`; and the next
    page's cursor (None on the last page)."""
    if cursor:
        queryset = queryset.filter(**{f"{key}__gt": decode(cursor)})
    rows = list(queryset.order_by(key)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode(str(getattr(rows[-1], key))) if more else None)
