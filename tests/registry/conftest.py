"""Registry fixtures: a registry already imported, and the people who import."""

from types import SimpleNamespace

import pytest

from fupin.core.roles import Role
from fupin.registry.importer import check_file, write_plan
from tests.conftest import make_user
from tests.registry.factories import household_rows, write_template


@pytest.fixture(params=["here", "aside"])
def parsing(request, settings):
    """Run the test twice: the file parsed in this process, and in a second one (as large
    files are), so that both ways are held to the same results."""
    settings.FUPIN_IMPORT_ASIDE_BYTES = 1 << 62 if request.param == "here" else 0
    return request.param


@pytest.fixture
def clerk(world):
    return world.user(Role.VILLAGE_CLERK)


@pytest.fixture
def root(world):
    """An all-areas administrator: the user `fupin import-registry` acts as by default."""
    return make_user("root", Role.ADMIN, None)


def import_rows(rows, user, folder, name="import.csv"):
    """Import template rows as `user` through check_file and write_plan; the summary."""
    plan = check_file(write_template(folder / name, rows), user=user)
    assert plan.errors == []
    return write_plan(plan, user=user)


@pytest.fixture
def existing(world, clerk, tmp_path):
    """Two households of village A1 imported by its clerk: `e` (group 甲一屯) and `f`, as
    the template rows that were imported."""
    e = household_rows(world.village, group="甲一屯")
    f = household_rows(world.village, members=2, status="一般农户", year_registered="")
    import_rows(e + f, clerk, tmp_path, "existing.csv")
    return SimpleNamespace(e=e, f=f)
