"""The cells of an import file: what each may hold, parsed to typed values or refused.

`parse_cell` is the one definition of a valid cell. `ColumnParser` applies it to a column a
chunk of rows at a time without calling it for most cells: a value seen before in the column
is looked up (most columns repeat a handful of values: 是/否, codes, years), text passes one
cheap test, and ID numbers one vectorised check; only the rest are parsed one by one.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils import translation

from fupin import idnumbers
from fupin.core.reading import LOST_DIGITS
from fupin.core.text import code_point, control_character
from fupin.registry.excel import FORMULA_STARTS, looks_like_formula
from fupin.registry.template import BLANK_DEFAULTS, FALSE_WORDS, TRUE_WORDS, Column

# Money columns hold 12 digits with 2 decimals: a yuan amount below 10^10.
MAX_AMOUNT = Decimal("10000000000")
MAX_AMOUNT_WORDS = "100亿"
YEAR_COLUMNS = {"year_registered", "year_exited", "income_year"}
# A column's memo stops growing here: amounts and dates can be nearly all different.
MEMO_LIMIT = 20_000
# An amount as most cells hold it, taken as written: the database reads it as the number it
# is (a NUMERIC column on SQLite, numeric(12, 2) on PostgreSQL), exactly as it would read the
# Decimal. Anything else (1,234.5, -3, 1e5, 12.345) goes through parse_cell.
_PLAIN_AMOUNT = re.compile(r"(?:0|[1-9][0-9]{0,9})(?:\.[0-9]{1,2})?")
# Text that cannot be formula-like by its first character (see excel.looks_like_formula).
_FORMULA_FIRST = {*FORMULA_STARTS, "+", "-"}


class CellError(Exception):
    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices.choices:
        lookup[value.lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[str(label).lower()] = value
    return lookup


_CHOICE_LOOKUPS: dict = {}


def choice_lookup(choices) -> dict[str, str]:
    if choices not in _CHOICE_LOOKUPS:
        _CHOICE_LOOKUPS[choices] = _choice_lookup(choices)
    return _CHOICE_LOOKUPS[choices]


def parse_cell(column: Column, raw: str, today: datetime.date):
    """The typed value of one cell, or CellError."""
    raw = raw.strip()
    if raw.startswith(LOST_DIGITS):
        raise CellError("stored_as_number")
    if raw == "":
        if column.required:
            raise CellError("required")
        return BLANK_DEFAULTS.get(column.key, blank(column))
    kind = column.kind
    if kind == "text":
        # The same shapes the export neutralises: what is refused here never needs it.
        if looks_like_formula(raw):
            raise CellError("formula_like")
        if char := control_character(raw):
            raise CellError("control_character", char=code_point(char))
        if column.max_length and len(raw) > column.max_length:
            raise CellError("too_long", max=column.max_length)
        return raw
    if kind == "choice":
        value = choice_lookup(column.choices).get(raw.lower())
        if value is None:
            allowed = "、".join(str(label) for _value, label in column.choices.choices)
            raise CellError("bad_choice", allowed=allowed)
        return value
    if kind == "bool":
        word = raw.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise CellError("bad_bool")
    if kind == "money":
        try:
            amount = Decimal(raw.replace(",", "").replace("，", ""))
        except InvalidOperation:
            raise CellError("not_a_number") from None
        if not amount.is_finite():
            raise CellError("not_a_number")
        if amount < 0:
            raise CellError("negative")
        if amount >= MAX_AMOUNT:
            raise CellError("amount_too_large", max=MAX_AMOUNT_WORDS)
        return amount.quantize(Decimal("0.01"))
    if kind == "int":
        try:
            number = int(raw)
        except ValueError:
            raise CellError("not_a_whole_number") from None
        if column.key in YEAR_COLUMNS:
            if not 1949 <= number <= today.year:
                raise CellError("not_a_year", max=today.year)
        elif column.key == "disability_grade" and not 1 <= number <= 4:
            raise CellError("out_of_range", low=1, high=4)
        elif column.key == "migrant_months" and not 0 <= number <= 12:
            raise CellError("out_of_range", low=0, high=12)
        return number
    if kind == "date":
        try:
            return datetime.date.fromisoformat(raw.replace("/", "-")[:10])
        except ValueError:
            raise CellError("bad_date") from None
    if kind == "id_number":
        try:
            return idnumbers.normalize(raw, today=today)
        except idnumbers.IdNumberError as error:
            raise CellError(f"id_{error.code}") from None
    if kind == "area":
        if not (len(raw) == 12 and raw.isdigit()):
            raise CellError("unknown_village")
        return raw
    raise AssertionError(kind)


def blank(column: Column):
    return {"money": Decimal("0.00"), "bool": False}.get(
        column.kind, None if column.kind in {"int", "date"} else ""
    )


_MISS = object()


class ColumnParser:
    """Parses one column's cells, remembering the values it has seen."""

    def __init__(self, column: Column, today: datetime.date):
        self.column = column
        self.today = today
        self.memo: dict[str, object] = {}
        self.memoised = column.kind not in {"text", "id_number"}

    def parse(self, raw: str):
        """One cell's value (the same as parse_many gives), or CellError."""
        values, refused = self.parse_many([raw])
        if refused:
            raise refused[0][2]
        return values[0]

    def _parse_one(self, raw: str):
        value = self.memo.get(raw, _MISS)
        if value is _MISS:
            value = parse_cell(self.column, raw, self.today)
            if self.memoised and len(self.memo) < MEMO_LIMIT:
                self.memo[raw] = value
        return value

    def parse_many(self, raws) -> tuple[list, list[tuple[int, str, CellError]]]:
        """The values of a column's cells (None where refused), and the refusals as
        (position, cell, error)."""
        column = self.column
        if column.kind == "text":
            raws = [raw.strip() for raw in raws]
            limit = column.max_length or 1 << 30
            shortest = 1 if column.required else 0
            values = [
                raw if shortest <= len(raw) <= limit and raw[:1] not in _FORMULA_FIRST else _MISS
                for raw in raws
            ]
            if control_character("".join(raws)):  # one search a chunk, at C speed
                values = [
                    _MISS if control_character(raw) else v
                    for raw, v in zip(raws, values, strict=True)
                ]
        elif column.kind == "money":
            get, plain = self.memo.get, _PLAIN_AMOUNT.fullmatch
            values = [raw if plain(raw) else get(raw, _MISS) for raw in raws]
        elif column.kind == "id_number":
            canonical = idnumbers.canonical_mask(raws, today=self.today)
            if all(canonical):
                return list(raws), []
            values = [raw if ok else _MISS for raw, ok in zip(raws, canonical, strict=True)]
        else:
            try:  # once the memo knows every value of the chunk, at C speed
                return list(map(self.memo.__getitem__, raws)), []
            except KeyError:
                get = self.memo.get
                values = [get(raw, _MISS) for raw in raws]
        errors = []
        if _MISS in values:
            for position, value in enumerate(values):
                if value is _MISS:
                    try:
                        values[position] = self._parse_one(raws[position])
                    except CellError as error:
                        values[position] = None
                        shown = raws[position].strip().removeprefix(LOST_DIGITS)
                        errors.append((position, shown, error))
        return values, errors
