"""The one rule for the characters text may hold, wherever it enters Fupin (import cells,
exclusion lists, area and user imports, every form): no C0 or C1 control character, no NUL
(PostgreSQL's text cannot hold it; SQLite would store it) and no DEL; tab, line feed and
carriage return only in a field of several lines. Pure functions: the callers turn a refusal
into a row error (code `control_character`) or a field error."""

import re

# C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F).
_SINGLE_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")
# The same but tab, line feed and carriage return.
_MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character of `text` that it may not hold, or None."""
    found = (_MULTI_LINE if multiline else _SINGLE_LINE).search(text)
    return found.group(0) if found else None


def code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def visible_controls(text: str) -> str:
    """`text` with every control character written as its code point, to show back to
    the user (and to store safely in an error report or a job's result)."""
    return _SINGLE_LINE.sub(lambda found: f"[{code_point(found.group(0))}]", text)
