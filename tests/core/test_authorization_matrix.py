"""Every URL × every role × inside/outside the area → the expected status (see tests/authz.py)."""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

import tests
from fupin.core.roles import Role

# Named URLs that are not Fupin's business views: Django's own sign-in pages, the language
# switch, and the health check (tests/core/test_health.py: no data, no sign-in).
PUBLIC = {"login", "logout", "set_language", "healthz"}
# The API's operations answer 401/403/404 in JSON, not the pages' redirects: their own matrix
# holds each to the same rules (tests/api/test_api_matrix.py).
API_NAMESPACE = "api:"


def all_cases():
    cases = []
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.endswith(".authz_cases"):
            cases.extend(importlib.import_module(module.name).CASES)
    return cases


CASES = all_cases()


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_named_url_is_in_the_matrix():
    covered = {case.url_name for case in CASES}
    names = {name for name in url_names() if not name.startswith(API_NAMESPACE)}
    missing = sorted(names - covered - PUBLIC)
    assert not missing, f"add these URLs to an authz_cases.py table: {missing}"


def _request(client, case, url):
    return getattr(client, case.method)(url, case.data)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.url_name)
@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_role_inside_and_outside_area(case, role, world, client):
    user = world.user(role)
    client.force_login(user)
    inside_url = reverse(
        case.url_name, kwargs=case.kwargs(world, user, True) if case.kwargs else None
    )
    allowed = role in case.allowed and not (case.all_areas and not user.sees_everything)
    expected = case.ok if allowed else 403
    assert _request(client, case, inside_url).status_code == expected, inside_url
    if case.kwargs:
        outside_url = reverse(case.url_name, kwargs=case.kwargs(world, user, False))
        expected_out = 404 if allowed else 403
        assert _request(client, case, outside_url).status_code == expected_out, outside_url


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.url_name)
def test_anonymous_is_sent_to_sign_in(case, world, client):
    user = world.user(Role.ADMIN)
    url = reverse(case.url_name, kwargs=case.kwargs(world, user, True) if case.kwargs else None)
    response = _request(client, case, url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("case", [c for c in CASES if c.kwargs], ids=lambda case: case.url_name)
def test_all_areas_administrator_reaches_other_counties(case, world, client):
    admin = world.users[Role.ADMIN]
    admin.area = None
    admin.save()
    client.force_login(admin)
    url = reverse(case.url_name, kwargs=case.kwargs(world, admin, False))
    expected = case.ok if Role.ADMIN in case.allowed else 403
    assert _request(client, case, url).status_code == expected


# Methods a view never means: each must be refused before the view runs (no page, no record
# read), whatever the role. GET/HEAD/POST are checked by the cases above.
UNMEANT = ["OPTIONS", "PUT", "PATCH", "DELETE", "TRACE"]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.url_name)
def test_unmeant_methods_are_refused(case, world, client):
    user = world.user(Role.ADMIN)
    client.force_login(user)
    url = reverse(case.url_name, kwargs=case.kwargs(world, user, True) if case.kwargs else None)
    view = resolve(url).func
    # Every business view goes through @require, which names the methods it answers.
    assert case.method.upper() in getattr(view, "allowed_methods", ()), url
    for method in UNMEANT:
        response = client.generic(method, url)
        assert response.status_code == 405, (method, url)
        assert b"<form" not in response.content, (method, url)


@pytest.mark.parametrize("case", [c for c in CASES if c.all_areas], ids=lambda case: case.url_name)
def test_what_applies_beyond_an_area_is_the_all_areas_administrator_s(case, world, client):
    admin = world.users[Role.ADMIN]
    admin.area = None
    admin.save()
    client.force_login(admin)
    url = reverse(case.url_name, kwargs=case.kwargs(world, admin, True) if case.kwargs else None)
    assert _request(client, case, url).status_code == case.ok
