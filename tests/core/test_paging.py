"""Every list pages one way (core.paging.page_of, core/_pager.html): its filters kept in the
links, a page number out of range or not a number still showing rows."""

from django.template.loader import render_to_string
from django.test import RequestFactory

from fupin.core.paging import page_of


def _page(query: str, param="page"):
    return page_of(RequestFactory().get(f"/list/?{query}"), list(range(25)), 10, param=param)


def test_the_page_and_its_links_keep_the_other_parameters():
    page = _page("village=450100&kind=exit&kind=identification&page=2")
    assert list(page) == list(range(10, 20))
    html = render_to_string("core/_pager.html", {"page": page})
    assert 'href="?village=450100&amp;kind=exit&amp;kind=identification&amp;page=1"' in html
    assert 'href="?village=450100&amp;kind=exit&amp;kind=identification&amp;page=3"' in html


def test_a_page_out_of_range_or_not_a_number():
    assert list(_page("page=99")) == list(range(20, 25))
    assert list(_page("page=x")) == list(range(10))
    assert list(_page("page=-1")) == list(range(20, 25))


def test_a_second_pager_on_a_page_has_its_own_parameter_and_no_stray_ampersand():
    page = _page("cadre_page=2", param="cadre_page")
    html = render_to_string("core/_pager.html", {"page": page, "pager_id": "cadre-pages"})
    assert 'id="cadre-pages"' in html and 'href="?cadre_page=1"' in html
    assert 'href="?cadre_page=3"' in html


def test_one_page_needs_no_pager():
    one = page_of(RequestFactory().get("/list/"), [1, 2], 10)
    assert render_to_string("core/_pager.html", {"page": one}).strip() == ""
