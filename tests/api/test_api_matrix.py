"""Every API operation × every role × inside/outside the area, with a Bearer token."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver

from fupin.api.api import api
from fupin.api.services import api_token_create
from fupin.core.roles import Role
from tests.api.api_authz_cases import CASES


def _data(case, world, user, made):
    data = case.data(world, user, made) if callable(case.data) else case.data
    if case.multipart:
        return {name: SimpleUploadedFile(*value) for name, value in data.items()}
    return data


def _call(client, case, path, token, data):
    headers = {"Authorization": f"Bearer {token}"}
    data = case.data if data is None else data
    if case.method == "get":
        return client.get(path, data, headers=headers)
    if case.multipart:
        return client.post(path, data, headers=headers)
    return getattr(client, case.method)(
        path, data, content_type="application/json", headers=headers
    )


def _operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method in methods:
            yield method, path


def test_every_operation_is_in_the_matrix():
    covered = {case.operation for case in CASES}
    missing = sorted(set(_operations()) - covered)
    assert not missing, f"add these operations to tests/api/api_authz_cases.py: {missing}"
    assert get_resolver()  # the URLconf loads with the API mounted


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.method} {case.path}")
@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_role_inside_and_outside_area(case, role, world, client):
    user = world.user(role)
    _token, secret = api_token_create(user=user)
    made = case.kwargs(world, user, True) if case.kwargs else {}
    inside = case.path.format(**made)
    expected = case.ok_for.get(role, case.ok) if role in case.allowed else 403
    response = _call(client, case, inside, secret, _data(case, world, user, made))
    assert response.status_code == expected, (inside, response.content)
    if expected == 403:
        # "wrong_role": the role may call procedures' operations but does not act at this step.
        assert response.json()["code"] in ("forbidden", "wrong_role")
    if case.kwargs:
        made = case.kwargs(world, user, False)
        outside = case.path.format(**made)
        response = _call(client, case, outside, secret, _data(case, world, user, made))
        assert response.status_code == (404 if role in case.allowed else 403), outside
        assert response.json()["code"] in ("not_found", "forbidden")


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.method} {case.path}")
def test_without_a_token_is_401(case, world, client):
    user = world.user(Role.ADMIN)
    path = case.path.format(**case.kwargs(world, user, True)) if case.kwargs else case.path
    response = getattr(client, case.method)(path)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
