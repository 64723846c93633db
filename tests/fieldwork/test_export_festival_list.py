"""`fupin export-festival-list --year Y --area CODE --out FILE`: .xlsx or .docx by the
extension, anything else refused with a clear message and no file written."""

import pytest
from django.core.management import CommandError, call_command
from docx import Document as open_docx
from openpyxl import load_workbook

from fupin.fieldwork import festival
from tests.fieldwork import factories
from tests.registry.factories import make_household


@pytest.fixture
def listed(world):
    make_household(world.village, status="registered", dibao=True, members=1)
    make_household(world.other_village, status="registered", five_guarantee=True, members=1)
    factories.cadre(world.village, "村支书", two_committees=True)
    township = world.areas["450101001000"]
    festival.festival_list_generate(area=township, year=2019, party_member_age=70, user=None)
    return township


def run(*args):
    call_command("export-festival-list", *args)


def test_a_village_as_xlsx(world, listed, tmp_path, capsys):
    out = tmp_path / "list.xlsx"
    run("--year", "2019", "--area", world.village.code, "--out", str(out))
    book = load_workbook(out)
    assert len(book.worksheets) == 1
    values = [c.value for row in book.worksheets[0].iter_rows() for c in row]
    assert "低保户" in values and "村支书" in values and "五保户" not in values
    assert "Wrote 2 entries" in capsys.readouterr().out


def test_a_township_as_docx_has_a_table_per_village(world, listed, tmp_path):
    out = tmp_path / "list.DOCX"
    run("--year", "2019", "--area", listed.code, "--out", str(out))
    document = open_docx(str(out))
    assert len(document.tables) == 2
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        f"{world.village.name}（{world.village.code}）",
        f"{world.other_village.name}（{world.other_village.code}）",
    ]


@pytest.mark.parametrize("name", ["list.pdf", "list.csv", "list"])
def test_other_extensions_are_refused(world, listed, tmp_path, name):
    with pytest.raises(CommandError, match=r"--out must end in \.xlsx or \.docx"):
        run("--year", "2019", "--area", world.village.code, "--out", str(tmp_path / name))
    assert not list(tmp_path.iterdir())


def test_an_unknown_area_or_a_year_without_a_list_is_refused(world, listed, tmp_path):
    out = str(tmp_path / "list.xlsx")
    with pytest.raises(CommandError, match="No area with the code 999"):
        run("--year", "2019", "--area", "999", "--out", out)
    with pytest.raises(CommandError, match="generate it on the page first"):
        run("--year", "2018", "--area", world.village.code, "--out", out)
    assert not list(tmp_path.iterdir())
