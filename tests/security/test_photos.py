"""Progress photos that are really HTML or SVG: refused at upload, and never served as a
page of Fupin's origin, whatever is stored."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fupin.core.roles import Role
from fupin.workplan.models import ProgressUpdate
from tests.workplan import factories

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


def post_photo(client, project, name, content, content_type="image/png"):
    return client.post(
        reverse("progress-create", args=[project.pk]),
        {
            "date": "2019-05-01",
            "percent": 10,
            "note": "",
            "photo": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


@pytest.mark.parametrize(
    "name,content",
    [
        ("site.html", HTML),
        ("site.svg", SVG),
        ("site.png", HTML),  # an image's name, a page's bytes
        ("site.png", SVG),
        ("site.jpg", b"<?xml version='1.0'?>" + SVG),
        ("site.gif", b"GIF8" + HTML),  # not quite a GIF signature
        ("site.webp", b"RIFF\x00\x00\x00\x00" + HTML),  # RIFF, but not WEBP
        ("site.png.html", PNG + HTML),  # the signature, but a page's name
        ("site.svg", PNG),
    ],
)
def test_an_upload_that_is_not_an_image_is_refused(world, client, name, content):
    project = factories.project(world.village)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = post_photo(client, project, name, content, content_type="text/html")
    assert response.status_code == 400
    assert not ProgressUpdate.objects.filter(project=project).exists()


def served(client, world, name, content):
    """A photo stored as it is (as an older version, or a restore, might have left it)."""
    project = factories.project(world.village)
    update = ProgressUpdate.objects.create(project=project, date="2019-05-01", percent=10)
    update.photo.save(name, ContentFile(content))
    client.force_login(world.user(Role.VILLAGE_CLERK))
    return client.get(reverse("progress-photo", args=[update.pk]))


def test_a_real_photo_is_served_inline_as_an_image_never_sniffed(world, client):
    response = served(client, world, "site.png", PNG)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == PNG


def test_an_image_signature_before_a_page_is_still_served_as_an_image(world, client):
    response = served(client, world, "site.png", PNG + HTML)
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "name,content",
    [("page.html", HTML), ("drawing.svg", SVG), ("site.png", HTML), ("x.htm", PNG + HTML)],
)
def test_a_stored_page_or_drawing_is_never_served_as_one(world, client, name, content):
    """The type comes from the bytes (the same signatures the upload is checked against),
    not from the stored name: anything else is a download, sandboxed, of no active type."""
    response = served(client, world, name, content)
    kind = response["Content-Type"]
    assert "html" not in kind and "svg" not in kind and "xml" not in kind
    if not kind.startswith("image/"):
        assert kind == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
