"""The standards a run uses, read from the standards tables into one JSON snapshot.

The snapshot is stored on the run (so a run says exactly which values it used, even after an
administrator edits them) and its hash is the run's standards version. The rules read only
the snapshot (``rules.Rules.from_snapshot``).
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from fupin.assessment import rules
from fupin.assessment.models import (
    ChecklistItem,
    MonitoringThreshold,
    MPIIndex,
    PovertyLine,
    ProvinceRegion,
    RegionType,
    RuleSet,
)
from fupin.core.jobs import JobError

NO_POVERTY_LINE = _("There is no poverty line for %(year)s or any earlier year.")
NO_RULES = _("The exit and monitoring rules have no national row.")
NO_REGION = _("No region type is marked as the default for provinces not listed.")
RULE_FIELDS = [f.name for f in RuleSet._meta.concrete_fields if f.name not in {"id", "province"}]


def _json(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


def _latest_row(model, year: int, province: str):
    """The row for the latest year <= `year`; at that year a province's row beats the nation's."""
    rows = model.objects.filter(year__lte=year, province__in=["", province]).order_by(
        "-year", "-province"
    )
    row = rows.first()
    if row is None:
        return None
    return {
        "year": row.year,
        "amount": str(row.amount),
        "source": "province" if row.province else "national",
    }


@dataclass(frozen=True)
class Standards:
    year: int
    snapshot: dict
    version: str

    def rules_for(self, province: str) -> rules.Rules:
        return rules.Rules.from_snapshot(self.snapshot["provinces"][province])

    def province(self, province: str) -> dict:
        return self.snapshot["provinces"][province]

    @property
    def indices(self) -> list[dict]:
        return self.snapshot["mpi"]


def load_standards(year: int, provinces) -> Standards:
    """The standards for `year` in each of `provinces` (2-digit codes), as a snapshot."""
    rule_rows = {row.province: row for row in RuleSet.objects.all()}
    if "" not in rule_rows:
        raise JobError(str(NO_RULES))
    default_region = RegionType.objects.filter(is_default=True).first()
    regions = {p.province: p.region for p in ProvinceRegion.objects.select_related("region")}
    checklist = {}
    for item in ChecklistItem.objects.filter(active=True).order_by("order", "code"):
        checklist.setdefault(item.province, []).append([item.code, item.name, item.name_en])
    snapshot = {"year": year, "provinces": {}, "mpi": []}
    for province in sorted(set(provinces)):
        line = _latest_row(PovertyLine, year, province)
        if line is None:
            raise JobError(str(NO_POVERTY_LINE % {"year": year}))
        region = regions.get(province, default_region)
        if region is None:
            raise JobError(str(NO_REGION))
        rule_row = rule_rows.get(province, rule_rows[""])
        snapshot["provinces"][province] = {
            "poverty_line": line,
            "monitoring_threshold": _latest_row(MonitoringThreshold, year, province),
            "region": {
                "code": region.code,
                "name": region.name,
                "incidence_threshold": str(region.incidence_threshold),
            },
            "rules": {
                key: _json(value)
                for key, value in model_to_dict(rule_row, fields=RULE_FIELDS).items()
            },
            "rules_source": "province" if rule_row.province else "national",
            "checklist": checklist.get(province, []),
        }
    for index in MPIIndex.objects.prefetch_related("indicators"):
        snapshot["mpi"].append(
            {
                "code": index.code,
                "name": index.name,
                "name_en": index.name_en,
                "cutoff": index.cutoff,
                "indicators": [
                    [i.code, i.dimension, i.weight]
                    for i in sorted(index.indicators.all(), key=lambda i: (i.order, i.code))
                ],
            }
        )
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False)
    return Standards(year, snapshot, hashlib.sha256(text.encode()).hexdigest()[:12])
