"""The pages' checks, for API operations: the role's capabilities (403) and scoping (404)."""

from django.core.exceptions import PermissionDenied

from fupin.core.roles import Capability


def need(request, *capabilities: Capability) -> None:
    """403 unless the role has every one of `capabilities`, as `@require` does for a page."""
    if not all(request.user.can(capability) for capability in capabilities):
        raise PermissionDenied
