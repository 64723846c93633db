"""Step by step, for identification and exit: the step's own roles reach its form (200),
every other role gets 403, and a procedure at the same step in another county is 404 for
the roles that act there (its existence does not leak). The matrix in authz_cases.py holds
every page to the roles and areas once; this walks every step."""

import pytest
from django.urls import reverse

from fupin.core.roles import Role
from fupin.procedures import queries
from fupin.procedures.models import StepDefinition
from tests.procedures import pages

pytestmark = pytest.mark.django_db


def _walk(world, kind, extra):
    """One procedure inside and one outside the area per step (the one before it done)."""
    codes = pages.step_codes(kind)
    for index, code in enumerate(codes):
        before = codes[index - 1] if index else None
        fields = {"year_registered": 2016} if kind == "exit" else {}
        inside = pages.procedure_at(world, world.village, before, kind=kind, **fields)
        outside = pages.procedure_at(world, world.outside_village, before, kind=kind, **fields)
        yield StepDefinition.objects.get(workflow=inside.workflow, code=code), inside, outside


@pytest.mark.parametrize("kind", ["identification", "exit"])
def test_every_step_its_roles_only_and_404_outside(world, client, kind, monkeypatch):
    if kind == "exit":
        # The exit verification reads the latest assessment; the page only shows it here.
        monkeypatch.setattr(queries, "step_findings", lambda procedure, definition: {})
    for definition, inside, outside in _walk(world, kind, {}):
        for role in Role:
            user = world.user(role)
            client.force_login(user)
            status = client.get(reverse("procedure-step", args=[inside.pk])).status_code
            allowed = queries.may_take(definition, role)
            assert status == (200 if allowed else 403), (definition.code, role)
            out = client.get(reverse("procedure-step", args=[outside.pk])).status_code
            acting = role in queries.ACTING_ROLES
            assert out == (404 if acting else 403), (definition.code, role)
            # The POST is held to the same: a role that does not act never records.
            if not allowed:
                response = client.post(
                    reverse("procedure-step", args=[inside.pk]),
                    {"step_code": definition.code, "date": "2019-12-01"},
                )
                assert response.status_code == 403, (definition.code, role)
        assert inside.records.filter(step=definition).count() == 0
