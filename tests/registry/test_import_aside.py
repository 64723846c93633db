"""A large file is read and parsed in a second process (importer._parsed_aside): the same
file must give the same errors, and write the same registry, whichever way it is parsed."""

import csv
import io
import multiprocessing

import pytest
from django.core.management import call_command

from fupin.registry.importer import CHUNK, check_file, write_plan
from tests.registry.factories import registry_snapshot
from tests.registry.rollback import rolled_back

pytestmark = pytest.mark.django_db

HERE, ASIDE = 1 << 62, 0  # FUPIN_IMPORT_ASIDE_BYTES for each way


@pytest.fixture
def big(world, tmp_path):
    """A synthetic registry of more than one chunk, as rows (header first)."""
    out = tmp_path / "big.csv"
    call_command(
        "synth",
        "--households=1500",
        "--villages=2",
        "--seed=7",
        f"--out={out}",
        stdout=io.StringIO(),
    )
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) > CHUNK + 1
    return rows


def write_csv(path, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def check_both_ways(path, user, settings):
    plans = {}
    for way in (HERE, ASIDE):
        settings.FUPIN_IMPORT_ASIDE_BYTES = way
        plans[way] = check_file(path, user=user)
        plans[way].discard()
    assert multiprocessing.active_children() == []  # the parsing process is gone
    return plans[HERE], plans[ASIDE]


def test_errors_across_chunks_are_the_same_either_way(big, root, tmp_path, settings):
    header, rows = big[0], big[1:]
    at = {name: header.index(name) for name in ("户编号", "地址", "身份证号码", "姓名")}
    # The first household's rows: one moved past the chunk boundary, with another address.
    first = [row for row in rows if row[at["户编号"]] == rows[0][at["户编号"]]]
    moved = list(first[-1])
    moved[at["地址"]] = "别的地址"
    rows.remove(first[-1])
    rows.insert(CHUNK + 10, moved)
    rows[CHUNK + 20][at["身份证号码"]] = rows[3][at["身份证号码"]]  # repeated ID number
    rows[CHUNK - 1][at["身份证号码"]] = rows[CHUNK - 1][at["身份证号码"]][:-1] + "0"  # check digit
    rows[CHUNK + 30][at["姓名"]] = "=HYPERLINK(1)"
    here, aside = check_both_ways(write_csv(tmp_path / "bad.csv", [header, *rows]), root, settings)
    codes = {error.code for error in here.errors}
    assert {"household_conflict", "duplicate_id", "formula_like"} <= codes
    assert codes & {"id_checksum", "id_format"}
    assert aside.errors == here.errors
    assert (aside.rows, aside.households) == (here.rows, here.households)


def test_a_clean_file_writes_the_same_registry_either_way(big, root, tmp_path, settings):
    path = write_csv(tmp_path / "clean.csv", big)
    snapshots = {}
    for way in (HERE, ASIDE):
        settings.FUPIN_IMPORT_ASIDE_BYTES = way
        with rolled_back():
            plan = check_file(path, user=root)
            assert plan.errors == []
            summary = write_plan(plan, user=root)
            assert summary.members_created == len(big) - 1
            snapshots[way] = registry_snapshot()
    assert snapshots[ASIDE] == snapshots[HERE]


def test_a_file_error_found_aside_is_raised_here(big, root, tmp_path, settings):
    from fupin.core.reading import ImportFileError

    settings.FUPIN_IMPORT_ASIDE_BYTES = ASIDE
    settings.FUPIN_IMPORT_MAX_ROWS = CHUNK + 5  # found by the parsing process, mid-file
    with pytest.raises(ImportFileError) as refused:
        check_file(write_csv(tmp_path / "long.csv", big), user=root)
    assert refused.value.code == "too_many_rows"
    assert refused.value.params == {"max_rows": CHUNK + 5}
    assert multiprocessing.active_children() == []
