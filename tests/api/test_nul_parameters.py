"""Every string a request names in its query — a filter, an area, a cursor — with a NUL byte
in it: refused (422, or 404 for a code no row has), never a server error. PostgreSQL refuses
NUL in text, so a value that reached a query unchecked was a 500 there (the fuzzing found
three); this walks every GET operation of the schema instead of waiting for the fuzzer."""

import re

import pytest

from fupin.api.api import api
from fupin.api.services import api_token_create
from fupin.core.roles import Role


def _string_parameters():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        for parameter in get.get("parameters", []):
            if parameter["in"] != "query":
                continue
            kinds = parameter["schema"].get("anyOf", [parameter["schema"]])
            if any(kind.get("type") == "string" and "format" not in kind for kind in kinds):
                yield path, parameter["name"]


PARAMETERS = sorted(set(_string_parameters()))


def test_the_walk_finds_the_operations():
    assert len(PARAMETERS) > 20
    assert ("/api/v1/registry/members/", "relation") in PARAMETERS


@pytest.mark.parametrize(("path", "name"), PARAMETERS)
def test_a_nul_byte_in_a_string_parameter_is_refused(world, client, path, name):
    _token, secret = api_token_create(user=world.user(Role.COUNTY_APPROVER))
    url = re.sub(r"\{[^}]+\}", "1", path)
    answer = client.get(url, {name: "a\x00b"}, headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code in {400, 404, 422}, (url, name, answer.status_code, answer.content)
