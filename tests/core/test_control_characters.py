"""Control characters (issue #16, item 1): one rule (fupin.core.text) refuses them in every
import cell and every form's text field, with an error in the user's language, the same on
SQLite and PostgreSQL (where a NUL used to crash the import), nothing written."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.utils import translation

import fupin
from fupin.core.forms import TextRules
from fupin.core.roles import Role
from fupin.core.text import control_character, visible_controls
from fupin.registry.exclusions import check_exclusions
from fupin.registry.importer import check_file
from fupin.registry.models import ExclusionEntry, Household, Member
from tests.registry.factories import household_rows, person_id, write_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(world):
    return world.user(Role.VILLAGE_CLERK)


def test_the_rule():
    for char in ["\x00", "\x07", "\x1b", "\x0b", "\x7f", "\x85", "\x9f"]:
        assert control_character(f"a{char}b") == char
        assert control_character(f"a{char}b", multiline=True) == char
    for char in ["\t", "\n", "\r"]:
        assert control_character(f"a{char}b") == char
        assert control_character(f"a{char}b", multiline=True) is None
    assert control_character("韦文 No.12（新村）") is None
    assert visible_controls("a\x00b\x1b") == "a[U+0000]b[U+001B]"


def form_modules():
    """Every module of Fupin but its migrations and its entry point: a form may live beside
    the code that uses it (`forms_trainings`, an API router), and is walked there too."""
    names = []
    for module in pkgutil.walk_packages(fupin.__path__, "fupin."):
        if ".migrations" not in module.name and module.name != "fupin.__main__":
            names.append(module.name)
    return [importlib.import_module(name) for name in names]


def every_form_class():
    found = set()
    for module in form_modules():
        for _name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__.startswith("fupin.")
                and value not in (TextRules,)
                and value.__name__ not in {"Form", "ModelForm"}
                # an abstract base (a ModelForm without a model): its subclasses are tested
                and not (issubclass(value, forms.ModelForm) and value._meta.model is None)
            ):
                found.add(value)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


FORMS = every_form_class()


def test_the_walk_finds_the_forms_of_every_app():
    modules = {cls.__module__ for cls in FORMS}
    assert {"fupin.registry.forms", "fupin.workplan.forms", "fupin.fieldwork.forms"} <= modules
    assert {"fupin.assessment.views", "fupin.fieldwork.forms_trainings"} <= modules
    names = {f"{cls.__module__}.{cls.__name__}" for cls in FORMS}
    assert "fupin.fieldwork.forms.AssistancePlanForm" in names  # the API's, once in api/
    assert len(FORMS) >= 25


def keyword_arguments(cls, world=None):
    from fupin.core.models import Area, User
    from fupin.registry.models import Household
    from fupin.workplan.models import Department, Project, WorkItem

    project = Project.objects.first()
    if project is None and "project" in str(inspect.signature(cls.__init__)):
        from tests.workplan.factories import project as make_project

        project = make_project(world.village)
    known = {
        "villages": Area.objects.all(),
        "groups": None,
        "years": [2025],
        "areas": Area.objects.all(),
        "departments": Department.objects.none(),
        "project": project,
        "locations": Area.objects.none(),
        "households": Household.objects.none(),
        "work_items": WorkItem.objects.none(),
        "earlier": None,
        "staff": User.objects.none(),
        "cadres": None,
        # a step that asks for everything a step may (the procedures' step and batch forms)
        "definition": _full_step(),
        "procedures": [],
        "kinds": {},  # the deleted records' kinds of record
    }
    arguments = {}
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if not init:
            continue
        for name, parameter in inspect.signature(init).parameters.items():
            if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
                arguments[name] = known[name]
    return arguments


def _full_step():
    from fupin.procedures.models import StepDefinition

    return StepDefinition(code="x", vote=True, is_notice=True, notice_days=7, needs_document=True)


def leading_arguments(cls, world) -> tuple:
    """A form about a user (the password change) takes the user first."""
    parameters = list(inspect.signature(cls.__init__).parameters)
    return (world.user("village_clerk"),) if parameters[1:2] == ["user"] else ()


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_text_field_of_every_form_refuses_a_nul_and_an_esc(form_class, world):
    assert issubclass(form_class, TextRules), "forms derive from fupin.core.forms.Form/ModelForm"
    first = leading_arguments(form_class, world)
    probe = form_class(*first, data={}, **keyword_arguments(form_class, world))
    text_fields = [name for name, f in probe.fields.items() if type(f) is forms.CharField]
    for char in ["\x00", "\x1b"]:
        data = dict.fromkeys(text_fields, f"韦{char}文")
        with translation.override("zh-hans"):
            form = form_class(*first, data=data, **keyword_arguments(form_class, world))
            form.is_valid()
            for name in text_fields:
                assert any("控制字符" in e for e in form.errors.get(name, [])), (name, char)


def test_a_textarea_keeps_its_line_breaks_but_not_an_esc():
    class Note(TextRules, forms.Form):
        text = forms.CharField(widget=forms.Textarea)
        line = forms.CharField()

    assert Note(data={"text": "一\r\n二\t三", "line": "x"}).is_valid()
    assert not Note(data={"text": "一\x1b", "line": "x"}).is_valid()
    assert "line" in Note(data={"text": "x", "line": "一\n二"}).errors


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x0b", "\x85"])
def test_an_import_cell_with_a_control_character_is_a_row_error(char, world, clerk, tmp_path):
    rows = household_rows(world.village)
    rows[1]["name"] = f"韦{char}文"
    rows[0]["address"] = f"那马屯{char}12号"
    plan = check_file(write_template(tmp_path / "c.csv", rows), user=clerk)
    found = {(e.row, e.column, e.code) for e in plan.errors}
    assert (3, "name", "control_character") in found
    assert (2, "address", "control_character") in found
    error = next(e for e in plan.errors if e.column == "name")
    assert error.value == f"韦[U+{ord(char):04X}]文"
    with translation.override("zh-hans"):
        assert "控制字符" in error.text
    assert not Household.objects.exists() and not Member.objects.exists()


def test_an_xlsx_cell_with_a_nul_is_a_row_error(world, clerk, tmp_path):
    from openpyxl import load_workbook

    path = write_template(tmp_path / "c.xlsx", household_rows(world.village))
    # openpyxl refuses to write control characters: put one into the sheet's XML.
    workbook = load_workbook(path)
    workbook.active["C2"] = "PLACEHOLDER"
    workbook.save(path)
    import zipfile

    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    for name, data in parts.items():
        parts[name] = data.replace(b"PLACEHOLDER", "韦&#x1b;文".encode())
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    plan = check_file(path, user=clerk)
    assert "control_character" in {e.code for e in plan.errors}
    assert not Household.objects.exists()


def test_an_exclusion_list_cell_with_a_control_character_is_a_row_error(world, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(f"名单类别,身份证号码,说明\nvehicle,{person_id()},车\x00辆\n", encoding="utf-8")
    plan = check_exclusions(path)
    assert [(e.row, e.column, e.code) for e in plan.errors] == [(2, "detail", "control_character")]
    assert not plan.entries and not ExclusionEntry.objects.exists()
