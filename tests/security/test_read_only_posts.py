"""A read-only role posting to a write endpoint: for every URL that accepts POST, the
inspector (who may only read) and the bureau's staff (who may only report their projects'
progress and spending and start exports) are refused, and nothing in the database changes."""

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fupin.core.roles import ROLE_CAPABILITIES, Capability, Role
from tests.core.test_authorization_matrix import CASES

READING = {Capability.VIEW, Capability.VIEW_REGISTRY, Capability.VIEW_AUDIT}
# Not Fupin's business views: Django's sign-in pages and language switch, and the password
# change, which every signed-in user may use for their own password.
# A user's own sign-in, language, password and API tokens: every role may change its own;
# and the health check, which reads nothing and writes nothing (GET and HEAD only).
OWN = {
    "login",
    "logout",
    "set_language",
    "password_change",
    "api-tokens",
    "api-token-revoke",
    "healthz",
}


def post_patterns(resolver=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            # The REST API answers in JSON; its own matrix holds every operation to the same
            # rule (tests/api/test_api_matrix.py).
            if pattern.namespace != "api":
                yield from post_patterns(pattern)
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name not in OWN
            and "POST" in getattr(pattern.callback, "allowed_methods", ("POST",))
        ):
            yield pattern


POSTING = sorted({pattern.name for pattern in post_patterns()})
FIRST_CASE = {}
for _case in CASES:
    FIRST_CASE.setdefault(_case.url_name, _case)


def test_there_are_write_endpoints_to_check():
    assert {"household-edit", "member-add", "progress-create", "user-unlock"} <= set(POSTING)


@pytest.mark.parametrize("name", POSTING)
def test_every_post_endpoint_demands_more_than_reading(name):
    """Structural: a view that takes a POST must demand a capability beyond reading, so that
    no role given only the reading capabilities can ever write through it."""
    pattern = next(p for p in post_patterns() if p.name == name)
    needed = set(getattr(pattern.callback, "required_capabilities", ()))
    assert needed, f"{name} takes POST but is not behind @require"
    assert needed - READING, f"{name} takes POST with only {sorted(needed)}"


def snapshot():
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in {"sessions", "axes"}:
            continue
        counts[model._meta.label] = model._default_manager.count()
    return counts


def may_post(role, name) -> bool:
    pattern = next(p for p in post_patterns() if p.name == name)
    needed = getattr(pattern.callback, "required_capabilities", ())
    return all(capability in ROLE_CAPABILITIES[role] for capability in needed)


@pytest.mark.parametrize("name", POSTING)
@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.BUREAU])
def test_a_read_only_role_posting_is_refused_and_nothing_changes(name, role, world, client):
    if role == Role.BUREAU and may_post(role, name):
        pytest.skip("the bureau's own work (progress, spending, exports): see the matrix")
    case = FIRST_CASE[name]
    user = world.user(role)
    url = reverse(name, kwargs=case.kwargs(world, user, True) if case.kwargs else None)
    data = next((c.data for c in CASES if c.url_name == name and c.data), {})
    client.force_login(user)
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 403, (name, response.status_code)
    assert snapshot() == before


def test_the_inspector_may_post_nowhere():
    assert [name for name in POSTING if may_post(Role.INSPECTOR, name)] == []
