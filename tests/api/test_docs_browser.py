"""In real Chromium: the interactive API docs render under the site's Content Security
Policy from Fupin's own files — no CDN, nothing the policy refuses — and list the operations."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_shows_the_operations_under_the_sites_csp(page):
    refused, foreign = [], []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if not request.url.startswith(page.base_url) and not request.url.startswith("data:")
            else None
        ),
    )
    response = page.goto(page.base_url + "/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".opblock").first.wait_for()
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    for path in (
        "/api/v1/registry/households/",
        "/api/v1/assessment/results/",
        "/api/v1/workplan/projects/{pk}/progress/",
        "/api/v1/jobs/{job_id}/",
    ):
        assert any(path in text.replace("\u200b", "") for text in summaries), path
    assert page.locator(".opblock-tag", has_text="workplan").count() == 1
    assert refused == [] and foreign == []
