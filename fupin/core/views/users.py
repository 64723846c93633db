from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fupin.core.access import ACTION, require
from fupin.core.models import User
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404


@require(Capability.MANAGE_USERS)
def user_list(request):
    from axes.models import AccessAttempt

    users = User.objects.for_user(request.user).select_related("area").order_by("area", "username")
    locked = set(
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        ).values_list("username", flat=True)
    )
    return render(request, "core/user_list.html", {"users": users, "locked": locked})


@require(Capability.MANAGE_USERS, methods=ACTION)
def user_unlock(request, user_id):
    user = get_scoped_or_404(User, request.user, pk=user_id)
    reset(username=user.username)
    messages.success(request, _("%(user)s may sign in again.") % {"user": user.username})
    return redirect("user-list")
