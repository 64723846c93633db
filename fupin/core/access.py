"""The one view decorator: signed in, and the role may do this; scoping does the rest.

`@require(Capability.X)` answers 403 when the role may not take the action. Which *records*
the user reaches is decided by querying through `for_user` / `get_scoped_or_404`
(fupin.core.scoping), which answers 404 outside their area.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from fupin.core.roles import Capability


def require(*capabilities: Capability):
    """Signed in, and the role has every one of `capabilities` (default: VIEW)."""
    needed = capabilities or (Capability.VIEW,)

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not all(request.user.can(capability) for capability in needed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded = login_required(checked)
        guarded.required_capabilities = needed
        return guarded

    return decorator
