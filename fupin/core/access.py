"""The one view decorator: signed in, and the role may do this; scoping does the rest.

`@require(Capability.X)` answers 403 when the role may not take the action. Which *records*
the user reaches is decided by querying through `for_user` / `get_scoped_or_404`
(fupin.core.scoping), which answers 404 outside their area.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from fupin.core.roles import Capability


def require(capability: Capability = Capability.VIEW):
    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not request.user.can(capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded = login_required(checked)
        guarded.required_capability = capability  # read by the authorization matrix test
        return guarded

    return decorator
