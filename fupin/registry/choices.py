"""The registry's coded values. Codes are stored; labels are what people read and type.

The import accepts a code, its Chinese label or its English label for every coded column.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    NOT_REGISTERED = "not_registered", _("Not registered")
    REGISTERED = "registered", _("Registered poor")
    EXITED = "exited", _("Exited")
    MONITORED = "monitored", _("Monitored")
    CANCELLED = "cancelled", pgettext_lazy("household status", "Cancelled")


class CancelReason(models.TextChoices):
    DECEASED = "deceased", _("All members deceased")
    MOVED_OUT = "moved_out", _("Moved out")
    MERGED = "merged", _("Merged into another household")
    WRONGLY_REGISTERED = "wrongly_registered", _("Wrongly registered")


class Attribute(models.TextChoices):
    GENERAL = "general", _("General poor")
    DIBAO = "dibao", _("Dibao poor")
    SPECIAL_SUPPORT = "special_support", _("Special-support poor")


class PovertyCause(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    DISABILITY = "disability", _("Disability")
    SCHOOLING = "schooling", _("Schooling costs")
    DISASTER = "disaster", _("Disaster")
    LACK_LAND = "lack_land", _("Lack of land")
    LACK_WATER = "lack_water", _("Lack of water")
    LACK_SKILLS = "lack_skills", _("Lack of skills")
    LACK_LABOUR = "lack_labour", _("Lack of labour")
    LACK_FUNDS = "lack_funds", _("Lack of funds")
    POOR_TRANSPORT = "poor_transport", _("Poor transport")
    LACK_DRIVE = "lack_drive", _("Lack of drive to develop")
    OTHER = "other", _("Other")


class HousingGrade(models.TextChoices):
    A = "A", _("A (safe)")
    B = "B", _("B (basically safe)")
    C = "C", _("C (partly unsafe)")
    D = "D", _("D (unsafe)")


class HousingRenovation(models.TextChoices):
    NONE = "none", _("None")
    RENOVATED = "renovated", _("Renovated")
    RELOCATED = "relocated", _("Relocated")


class WaterLevel(models.TextChoices):
    SAFE = "safe", _("Safe")
    BASIC = "basic", _("Basically safe")
    UNSAFE = "unsafe", _("Not safe")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    CHILD_IN_LAW = "child_in_law", _("Child-in-law")
    GRANDCHILD = "grandchild", _("Grandchild")
    PARENT = "parent", _("Parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relative")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    NONE = "none", _("Illiterate or semi-literate")
    PRESCHOOL = "preschool", _("Preschool")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")
    VOCATIONAL = "vocational", _("Secondary vocational")
    COLLEGE = "college", _("College or above")


class Schooling(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", _("Not of school age")
    PRESCHOOL = "preschool", _("In preschool")
    PRIMARY = "primary", _("In primary school")
    JUNIOR = "junior", _("In junior secondary")
    SENIOR = "senior", _("In senior secondary")
    VOCATIONAL = "vocational", _("In vocational school")
    COLLEGE = "college", _("In college")
    OUT_OF_SCHOOL = "out_of_school", _("Out of school")
    OUT_EXEMPT = "out_exempt", _("Out of school (illness or disability)")
    FINISHED = "finished", _("Finished schooling")


class Health(models.TextChoices):
    # "health": Django's own catalogue translates a bare "Disabled" as switched off (禁用).
    HEALTHY = "healthy", _("Healthy")
    CHRONIC = "chronic", _("Chronic illness")
    SERIOUS = "serious", _("Serious illness")
    DISABLED = "disabled", pgettext_lazy("health", "Disabled")


class Labour(models.TextChoices):
    SKILLED = "skilled", _("Skilled labour")
    ORDINARY = "ordinary", _("Ordinary labour")
    WEAK = "weak", _("Weak or partial labour")
    NONE = "none", _("No labour capacity")
    NOT_LABOUR_AGE = "not_labour_age", _("Not of working age")


class MemberStatus(models.TextChoices):
    PRESENT = "present", pgettext_lazy("member", "Present")
    DECEASED = "deceased", _("Deceased")
    MOVED_OUT = "moved_out", pgettext_lazy("member", "Moved out")
