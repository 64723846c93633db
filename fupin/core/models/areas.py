from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin import areacodes
from fupin.core.scoping import AreaScopedQuerySet


class Level(models.IntegerChoices):
    PROVINCE = areacodes.Level.PROVINCE, _("Province")
    CITY = areacodes.Level.CITY, _("City")
    COUNTY = areacodes.Level.COUNTY, _("County")
    TOWNSHIP = areacodes.Level.TOWNSHIP, _("Township")
    VILLAGE = areacodes.Level.VILLAGE, _("Village")
    GROUP = areacodes.Level.GROUP, _("Group")


class AreaQuerySet(AreaScopedQuerySet):
    area_path = "code"

    def villages(self):
        return self.filter(level=Level.VILLAGE)

    def children_of(self, area: "Area"):
        return self.filter(parent=area)


class Area(models.Model):
    """An administrative area, identified by its statistical code (the primary key).

    Using the code as the key means every business row's area column *is* the code, so
    scoping a query to a subtree is a range on that column, with no join.
    """

    code = models.CharField(_("area code"), max_length=15, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    history = HistoricalRecords()

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^([0-9]{12}|[0-9]{15})$"),
                name="area_code_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(level=Level.PROVINCE, parent__isnull=True)
                | models.Q(level__gt=Level.PROVINCE, parent__isnull=False),
                name="area_parent_unless_province",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return areacodes.prefix_of(self.code)

    def clean(self) -> None:
        try:
            level = areacodes.level_of(self.code)
        except areacodes.AreaCodeError as error:
            raise ValidationError({"code": str(error)}) from None
        if self.level != level:
            raise ValidationError(
                {"level": _("The code %(code)s is not at this level.") % {"code": self.code}}
            )
        if self.parent_id != areacodes.parent_code(self.code):
            raise ValidationError({"parent": _("The parent must be the area above the code.")})

    def ancestors(self) -> list["Area"]:
        """From the province down to the parent, in one query."""
        codes = []
        code = areacodes.parent_code(self.code)
        while code:
            codes.append(code)
            code = areacodes.parent_code(code)
        return list(Area.objects.filter(code__in=codes).order_by("level"))

    def contains(self, code: str) -> bool:
        return areacodes.is_within(code, self.code)
