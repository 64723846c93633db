"""The run service: stored immutably with its standards and inputs hash; figures per area
equal fupin.measures on the same households; both ways of reading the registry agree."""

import json
from datetime import date
from fractions import Fraction

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from fupin import measures
from fupin.assessment import engine, reference
from fupin.assessment.models import (
    AreaResult,
    AssessmentRun,
    HouseholdOutcome,
    PovertyLine,
)
from fupin.assessment.services import assessment_run
from fupin.assessment.standards import load_standards
from fupin.registry import choices as c
from tests.assessment import factories as f

COUNTY = "450101000000"


@pytest.fixture
def registry(world):
    """Six households in county A's two villages and one in county B."""
    made = {}
    h = made["poor"] = f.household(world.village, housing_grade="C")
    f.member(h, name="王某", birth_date=date(2007, 3, 1), schooling="out_of_school")
    f.member(h, medical_insurance=False)
    f.income(h, 2019, "2500.50", members=2)
    h = made["ready"] = f.household(world.village)
    f.member(h)
    f.member(h)
    f.member(h)
    f.income(h, 2019, "3218", members=3)
    h = made["missed"] = f.household(world.other_village, status=c.Status.NOT_REGISTERED)
    f.member(h)
    f.member(h)
    f.income(h, 2019, "1800", members=2)
    h = made["well_off"] = f.household(world.other_village, status=c.Status.NOT_REGISTERED)
    f.member(h, education="junior")
    f.income(h, 2019, "15000.25")
    h = made["fell"] = f.household(world.village, status=c.Status.EXITED, year_registered=2015)
    f.member(h)
    f.income(h, 2019, "4000")
    f.income(h, 2018, "7000")
    h = made["new"] = f.household(world.other_village, year_registered=2019)
    f.member(h)
    f.income(h, 2019, "5000")
    h = made["outside"] = f.household(world.outside_village)
    f.member(h)
    f.income(h, 2019, "100")
    return made


def test_a_run_stores_outcomes_reasons_figures_and_the_standards_it_used(world, registry):
    run = assessment_run(area=world.areas[COUNTY], year=2019)
    outcomes = {o.household_id: o for o in HouseholdOutcome.objects.filter(run=run)}
    assert set(outcomes) == {h.pk for key, h in registry.items() if key != "outside"}
    poor = outcomes[registry["poor"].pk]
    assert poor.outcome == "not_meets_exit"
    assert poor.reasons == [
        ["income_below_line", {"income": 250050, "line": 321800}],
        ["child_out_of_school", {"name": "王某", "age": 12}],
        ["no_medical_insurance", {"count": 1}],
        ["house_unsafe", {"grade": "C"}],
    ]
    assert outcomes[registry["ready"].pk].outcome == "meets_exit"  # exactly at the line
    assert outcomes[registry["missed"].pk].outcome == "candidate"
    assert outcomes[registry["well_off"].pk].outcome == "not_poor"
    assert outcomes[registry["fell"].pk].outcome == "flagged"
    assert outcomes[registry["new"].pk].reasons == [["registered_this_year", {"year": 2019}]]
    assert run.standards["provinces"]["45"]["poverty_line"]["amount"] == "3218.00"
    assert run.summary["households"] == 6 and run.summary["persons"] == 10
    # Remaining poor: the two registered households that do not meet the standard (2 + 1).
    assert run.summary["registered_poor_persons"] == 3
    assert run.summary["incidence"] == pytest.approx(3 / 10, abs=1e-6)
    codes = set(AreaResult.objects.filter(run=run).values_list("area_id", flat=True))
    assert codes == {COUNTY, "450101001000", "450101001001", "450101001002"}


def test_a_run_is_immutable_and_repeating_it_gives_the_same_hashes(world, registry):
    first = assessment_run(area=world.areas[COUNTY], year=2019)
    second = assessment_run(area=world.areas[COUNTY], year=2019)
    assert (first.standards_version, first.inputs_hash) == (
        second.standards_version,
        second.inputs_hash,
    )
    with pytest.raises(ValidationError):
        first.save()
    with pytest.raises(ValidationError):
        AssessmentRun.objects.filter(pk=first.pk).update(year=2000)
    with pytest.raises(ValidationError):
        HouseholdOutcome.objects.filter(run=first).update(outcome="meets_exit")
    PovertyLine.objects.filter(year=2019, province="").update(amount=3300)
    third = assessment_run(area=world.areas[COUNTY], year=2019)
    assert third.standards_version != first.standards_version
    assert third.inputs_hash == first.inputs_hash


def _deprivation_rows(results, households, index):
    codes = [code for code, _d, _w in index["indicators"]]
    return [[int(results[h.pk].deprivations[code]) for code in codes] for h in households]


@pytest.mark.parametrize("code", [COUNTY, "450101001001"])
def test_area_figures_equal_fupin_measures_on_the_same_households(world, registry, code):
    run = assessment_run(area=world.areas[COUNTY], year=2019)
    figures = AreaResult.objects.get(run=run, area_id=code).figures
    standards = load_standards(2019, {"45"})
    area = world.areas[code]
    households = [h for key, h in registry.items() if area.contains(h.village_id)]
    results = reference.assess_households(households, 2019, standards)
    incomes = [float(h.incomes.get(year=2019).per_capita_net_income) for h in households]
    weights = [results[h.pk].persons for h in households]
    for alpha in (0, 1, 2):
        expected = measures.fgt(incomes, 3218, alpha=alpha, weights=weights)
        assert figures["fgt"][f"p{alpha}"] == pytest.approx(expected, abs=1e-6)
    assert figures["gini"] == pytest.approx(measures.gini(incomes, weights=weights), abs=1e-6)
    for index in standards.indices:
        expected = measures.mpi(
            _deprivation_rows(results, households, index),
            [Fraction(w) for _c, _d, w in index["indicators"]],
            Fraction(index["cutoff"]),
            sizes=weights,
        )
        got = next(i for i in figures["indices"] if i["code"] == index["code"])
        assert got["H"] == pytest.approx(expected.H, abs=1e-6)
        assert got["A"] == pytest.approx(expected.A, abs=1e-6)
        assert got["M0"] == pytest.approx(expected.M0, abs=1e-6)
        contributions = [i["contribution"] for i in got["indicators"]]
        assert contributions == pytest.approx(list(expected.contributions), abs=1e-6)


@pytest.mark.parametrize("share", [0.0, 2.0])
def test_reading_whole_tables_or_filtering_in_sql_gives_the_same_columns(
    world, registry, monkeypatch, share
):
    monkeypatch.setattr(engine, "WHOLE_TABLE_SHARE", share)
    cols = engine.load_columns("450101001001", 2019)
    standards = load_standards(2019, {"45"})
    res = engine.assess(cols, standards)
    expected = reference.assess_area("450101001001", 2019, standards)
    assert sorted(cols.ids.tolist()) == sorted(expected)
    for i, pk in enumerate(cols.ids.tolist()):
        assert json.loads(res.reasons[i]) == expected[pk].reasons
        assert int(res.tests[i]) == expected[pk].tests


def test_assess_command_prints_the_summary_as_json(world, registry, capsys):
    call_command("assess", "--year", "2019", "--area", COUNTY, "--json")
    summary = json.loads(capsys.readouterr().out)
    keys = {
        "year",
        "area",
        "standards",
        "households",
        "persons",
        "registered_poor_persons",
        "incidence",
        "meets_exit",
        "not_meets_exit",
        "identification_candidates",
        "monitoring_flags",
        "fgt",
        "gini",
        "mpi",
        "areas",
    }
    assert set(summary) == keys
    assert set(summary["fgt"]) == {"p0", "p1", "p2"} and set(summary["mpi"]) == {"H", "A", "M0"}
    assert (summary["area"], summary["households"], summary["identification_candidates"]) == (
        COUNTY,
        6,
        1,
    )
    township = summary["areas"][0]
    assert set(township) == keys and township["area"] == "450101001000"
    assert [v["area"] for v in township["areas"]] == ["450101001001", "450101001002"]
    assert sum(v["households"] for v in township["areas"]) == 6


def test_assess_command_without_an_area_assesses_every_area(world, registry, capsys):
    call_command("assess", "--year", "2019")
    assert "7 households" in capsys.readouterr().out
    call_command("assess", "--year", "2019", "--json")
    summary = json.loads(capsys.readouterr().out)
    assert summary["area"] is None and summary["households"] == 7
    assert [a["area"] for a in summary["areas"]] == ["450000000000"]


def test_no_households_gives_an_empty_run(world):
    run = assessment_run(area=world.areas[COUNTY], year=2019)
    assert (run.households, run.summary["incidence"], run.summary["gini"]) == (0, None, None)
    assert np.isclose(run.seconds, run.seconds)
