"""Every registry import error's message, by code: constants that tests assert, in the user's
language. The codes every import shares (the file as a whole, plain cells) are core's
(fupin.core.import_errors); MESSAGES holds them too, so that it names every code.
"""

from django.utils.translation import gettext_lazy as _

from fupin.core.import_errors import (  # noqa: F401 - RowError and message are used from here
    SHARED_MESSAGES,
    RowError,
    message,
    register_messages,
)

MESSAGES = {
    **SHARED_MESSAGES,
    # one cell
    "not_a_number": _("Not a number."),
    "not_a_whole_number": _("Not a whole number."),
    "negative": _("Cannot be negative."),
    "amount_too_large": _("Must be less than %(max)s yuan."),
    "not_a_year": _("Not a year between 1949 and %(max)s."),
    "bad_bool": _("Write 是 or 否 (yes or no)."),
    "bad_date": _("Not a date (write 2019-03-01)."),
    "stored_as_number": _(
        "Excel stored this as a number and has lost its last digits (it shows 4.50123E+17). "
        "Format the column as text and type it again."
    ),
    "id_length": _("An ID number has 18 characters (or 15 for an old one)."),
    "id_format": _("An ID number has 17 digits and a final digit or X."),
    "id_checksum": _("The check digit is wrong: the number was mistyped."),
    "id_birth_date": _("The birth date in the ID number does not exist."),
    "id_future": _("The birth date in the ID number is in the future."),
    "id_region": _("The first six digits are not a known county code."),
    "unknown_village": _("No village has this code."),
    "village_outside_area": _("This village is outside your area."),
    "unknown_group": _("The village has no group of this name."),
    "out_of_range": _("Must be between %(low)s and %(high)s."),
    # across rows
    "household_conflict": _(
        "Differs from row %(first_row)s of the same household (%(column)s). "
        "Household columns must be the same on every row of a household."
    ),
    "income_conflict": _("Differs from row %(first_row)s of the same household."),
    "no_head": _("Household %(household_no)s has no head among its present members."),
    "two_heads": _("Household %(household_no)s has more than one head (rows %(rows)s)."),
    "head_not_in_file": _(
        "Household %(household_no)s already has a head (%(name)s) who is not in this file."
    ),
    "duplicate_id": _("The same ID number is on row %(first_row)s."),
    "id_in_other_household": _(
        "This person is already registered in household %(other)s. To change their household, "
        "use Move beside them on that household's page."
    ),
    "id_outside_area": _(
        "This person is already registered in a household outside your area: ask the county office."
    ),
    "household_outside_area": _(
        "This household number is registered in a village outside your area: it cannot be "
        "changed from here. Check the number."
    ),
    "cancel_reason_required": _("A cancelled household needs a reason for cancellation."),
    "cancel_reason_unexpected": _("Only a cancelled household has a reason for cancellation."),
    "year_registered_required": _("A registered poor household needs the year registered."),
    "year_exited_required": _("An exited household needs the year exited."),
    "exit_before_registration": _("The year exited is before the year registered."),
    "departed_date_required": _("A deceased or moved-out member needs the date."),
    "departed_date_unexpected": _("A present member has no date of death or moving out."),
    "income_year_required": _("Income amounts need the income year."),
}


# The exclusion-list import's own codes (fupin.registry.exclusions); it shares the codes of
# the registry import for files, ID numbers and cells.
EXCLUSION_MESSAGES = {
    "kind_missing": _(
        "The file has no column 名单类别 (kind): add it, or choose the list the whole file "
        "belongs to."
    ),
    "unknown_kind": _("Not a known list. Write one of: %(allowed)s."),
    "kind_conflict": _(
        "The file is imported as the list %(chosen)s, but this row names another list."
    ),
}

register_messages(MESSAGES)
register_messages(EXCLUSION_MESSAGES)
