"""The API is another door to the same reads and writes as the pages: it calls the apps'
selectors, services and forms, never a private helper of a view or a service (which the
app may change without knowing the API leans on it)."""

import ast
import importlib
import pathlib

import fupin.api


def _private_uses(path: pathlib.Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()  # local names bound to another Fupin module
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("fupin."):
            if node.module.startswith("fupin.api"):
                continue
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"{node.module}.{alias.name}")
                elif _is_module(f"{node.module}.{alias.name}"):
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("fupin.") and alias.asname:
                    modules.add(alias.asname)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def _is_module(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def test_the_api_uses_no_private_helper_of_the_apps():
    root = pathlib.Path(fupin.api.__file__).parent
    offences = {
        str(path.relative_to(root)): uses
        for path in sorted(root.rglob("*.py"))
        if (uses := _private_uses(path))
    }
    assert offences == {}


def test_the_walker_sees_a_private_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from fupin.workplan.views import _to_plan\n"
        "from fupin.fieldwork import views as pages\n"
        "pages._household_or_404\n",
        encoding="utf-8",
    )
    assert _private_uses(sample) == ["fupin.workplan.views._to_plan", "pages._household_or_404"]
