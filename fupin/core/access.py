"""The one view decorator: signed in, and the role may do this; scoping does the rest.

`@require(Capability.X)` answers 403 when the role may not take the action. Which *records*
the user reaches is decided by querying through `for_user` / `get_scoped_or_404`
(fupin.core.scoping), which answers 404 outside their area.

It also says which HTTP methods the view answers: only GET and HEAD unless it names more
(`methods=FORM` for a page with a form, `methods=ACTION` for a button that posts). Anything
else is 405 before the view runs, so an OPTIONS or PUT can never render a page (and its full
ID numbers) past the checks and records that a view keeps for GET and POST.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.views.decorators.http import require_http_methods

from fupin.core.roles import Capability

READ = ("GET", "HEAD")  # a page or a download
FORM = ("GET", "HEAD", "POST")  # a page that shows a form and takes it back
ACTION = ("POST",)  # a button: starts a job, saves one thing, then redirects


def require(*capabilities: Capability, methods: tuple[str, ...] = READ, all_areas: bool = False):
    """Signed in, and the role has every one of `capabilities` (default: VIEW); answers only
    `methods` (default: GET and HEAD). `all_areas`: the view changes what applies beyond any
    one area (standards, exclusion lists), so only a user of every area, the all-areas
    administrator, may use it; area scoping cannot bound such a change."""
    needed = capabilities or (Capability.VIEW,)

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not may(request.user, needed, all_areas=all_areas):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded = answering(methods, login_required(checked))
        guarded.required_capabilities = needed
        guarded.all_areas = all_areas
        return guarded

    return decorator


def may(user, capabilities, *, all_areas: bool = False) -> bool:
    """What @require checks, for the links and menu entries that lead to such a view."""
    if all_areas and not user.sees_everything:
        return False
    return all(user.can(capability) for capability in capabilities)


def answering(methods: tuple[str, ...], view):
    """`view` answering only `methods` (405 otherwise): for views not behind @require, such
    as Django's own password pages."""
    guarded = require_http_methods(list(methods))(view)
    guarded.allowed_methods = tuple(methods)
    return guarded
