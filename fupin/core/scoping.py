"""The one mechanism that limits what a user sees to their area's subtree.

Every model that holds business data gets its manager from `AreaScopedQuerySet` and names,
in `area_path`, the lookup path to its area code (for example "village" on a household,
"household__village" on a member). Every view reads business data through
`Model.objects.for_user(request.user)` (or `get_scoped_or_404`), so an object outside the
user's area does not exist for them: 404, never 403, so that its existence does not leak.
The authorization matrix test (tests/core/test_authorization_matrix.py) holds every URL to it.
"""

from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

from fupin import areacodes


def area_q(path: str, code: str) -> models.Q:
    """Rows whose area (at `path`) lies in the subtree of `code`: an index range, no LIKE."""
    low, high = areacodes.subtree_bounds(code)
    return models.Q(**{f"{path}__gte": low, f"{path}__lt": high})


class AreaScopedQuerySet(models.QuerySet):
    area_path: str = ""  # set on each subclass: the lookup path to the row's area code

    def in_area(self, code: str):
        return self.filter(area_q(self.area_path, code))

    def for_user(self, user):
        return scope_for_user(self, self.area_path, user)


def scope_for_user(queryset, path: str, user):
    """`queryset` limited to the rows whose area (at `path`) this user may see: the rule of
    `for_user`, for a queryset that is not an AreaScopedQuerySet (a history table's)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.sees_everything:
        return queryset
    if not user.area_id:
        return queryset.none()
    return queryset.filter(area_q(path, user.area_id))


def is_area_scoped(model) -> bool:
    return isinstance(model._default_manager.all(), AreaScopedQuerySet)


def history_for_user(model, user):
    """The history rows of an area-scoped model that this user may see, each judged by the
    area it names: a deleted record is known only by its history, and its last row says
    where it was. The model's `area_path` is followed from the history row, so a path of
    several steps (a member's `household__village`) reads the stored record it leads to; a
    row whose path leads to a record no longer stored is seen by nobody but those who see
    everything."""
    if not is_area_scoped(model):
        raise TypeError(f"{model.__name__} is not area-scoped.")
    return scope_for_user(model.history.all(), model._default_manager.all().area_path, user)


def get_scoped_or_404(queryset_or_model, user, **lookup):
    """Like get_object_or_404, but only among the rows this user may see."""
    queryset = queryset_or_model
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    if not isinstance(queryset, AreaScopedQuerySet):
        raise TypeError(f"{queryset.model.__name__} is not area-scoped.")
    return get_object_or_404(queryset.for_user(user), **lookup)


def area_for_user_or_404(user, code: str):
    """The area with this code, if it is in the user's subtree."""
    from fupin.core.models import Area

    try:
        return get_scoped_or_404(Area, user, code=code)
    except Area.DoesNotExist:  # pragma: no cover - get_object_or_404 raises Http404
        raise Http404 from None
