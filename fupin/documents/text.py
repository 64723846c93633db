"""Stored text as every .xlsx and .docx writer puts it down: the characters XML 1.0 cannot
hold (C0 controls but tab and line breaks; a vertical tab in an address made openpyxl raise
IllegalCharacterError) are dropped. New text is refused at the door (fupin.core.text); this
is for what was stored before, or past a form. Every writer calls `xml_safe` on its text."""

import re

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value):
    """`value` without the characters XML cannot hold, if it is text; else as it is."""
    if isinstance(value, str) and _ILLEGAL.search(value):
        return _ILLEGAL.sub("", value)
    return value
