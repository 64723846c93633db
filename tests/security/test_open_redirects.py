"""Open redirects: no `next=` (sign-in, sign-out, language switch) sends anyone off Fupin."""

import ast
import pathlib
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

import fupin
from fupin.core.roles import Role
from tests.conftest import PASSWORD

HOSTILE = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https:evil.example",
    "http://testserver@evil.example/",
    " https://evil.example/",
    "\thttps://evil.example/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/%2F%2Fevil.example/",
]


def stays_on_fupin(location: str) -> bool:
    parts = urlsplit(location.strip())
    return (
        parts.scheme in ("", "http", "https")
        and parts.netloc in ("", "testserver")
        and not location.strip().startswith(("//", "/\\", "\\"))
    )


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_in(world, client, target):
    response = client.post(
        f"{reverse('login')}?next={target}",
        {"username": "village_clerk", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert stays_on_fupin(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE)
def test_already_signed_in_visit_to_the_sign_in_page(world, client, target):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.get(reverse("login"), {"next": target})
    assert response.status_code == 302
    assert stays_on_fupin(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_out(world, client, target):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.post(reverse("logout"), {"next": target})
    assert response.status_code == 302
    assert stays_on_fupin(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE)
@pytest.mark.parametrize("referer", [None, "https://evil.example/"])
def test_language_switch(world, client, target, referer):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    headers = {"HTTP_REFERER": referer} if referer else {}
    response = client.post(reverse("set_language"), {"language": "en", "next": target}, **headers)
    assert response.status_code == 302
    assert stays_on_fupin(response["Location"]), response["Location"]


def test_a_local_next_is_still_followed(world, client):
    """The guard is not a blanket refusal: a path on Fupin is where the user goes."""
    response = client.post(
        reverse("login"),
        {"username": "village_clerk", "password": PASSWORD, "next": "/registry/"},
    )
    assert response["Location"] == "/registry/"


def test_no_business_view_redirects_to_a_parameter():
    """Every redirect of Fupin's own views names a URL pattern (redirect("name", ...)) or a
    reversed path: none passes on a value read from the request."""
    offenders = []
    root = pathlib.Path(fupin.__file__).parent
    views = [*root.rglob("views.py"), *root.rglob("views/*.py")]
    assert len(views) > 5
    for path in views:
        offenders += _redirects_from_request(ast.parse(path.read_text()), path)
    assert offenders == []


def _redirects_from_request(tree, path):
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", ""))
            in {
                "redirect",
                "HttpResponseRedirect",
            }
            and node.args
        ):
            source = ast.unparse(node.args[0])
            if "request" in source or "GET" in source or "POST" in source:
                found.append(f"{path.name}:{node.lineno} {source}")
    return found
