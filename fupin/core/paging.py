"""A list page's pages, one way for every list: Django's Paginator counted and sliced by the
database (offset paging, over each list's own ordered index), and the page's links keeping
the list's filters. Templates show it with `{% include "core/_pager.html" %}`."""

from django.core.paginator import Page, Paginator


def page_of(request, rows, per_page: int, *, param: str = "page") -> Page:
    """The requested page of `rows`. A page number that is not a number gives the first page
    and one past the end the last (`get_page`), so an old or edited link still shows rows.
    The page carries `query` — the request's other parameters, the filters — and `param`,
    for the pager's links."""
    page = Paginator(rows, per_page).get_page(request.GET.get(param))
    others = request.GET.copy()
    others.pop(param, None)
    page.query = others.urlencode()
    page.param = param
    return page
