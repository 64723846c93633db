from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from fupin.core import accounts
from fupin.core.access import ACTION, FORM, require
from fupin.core.forms import UserForm, UserUploadForm, add_validation_error
from fupin.core.models import Area, User
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


def _reachable_areas(user):
    """The areas an administrator may give: their subtree, down to villages."""
    from fupin import areacodes

    return Area.objects.for_user(user).filter(level__lte=areacodes.Level.VILLAGE).order_by("code")


def _one_time(request, user, password, *, created):
    """The one-time password, shown once: the page is never cached and the password never
    stored in clear."""
    response = render(
        request,
        "core/user_password.html",
        {"account": user, "password": password, "created": created},
    )
    add_never_cache_headers(response)
    return response


@require(Capability.MANAGE_USERS, methods=FORM)
def user_create(request):
    form = UserForm(request.POST or None, areas=_reachable_areas(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            user, password = accounts.user_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return _one_time(request, user, password, created=True)
    return render(
        request,
        "core/user_form.html",
        {"form": form, "title": _("New user")},
        status=400 if request.method == "POST" else 200,
    )


@require(Capability.MANAGE_USERS, methods=FORM)
def user_edit(request, user_id):
    account = get_scoped_or_404(User, request.user, pk=user_id)
    initial = {
        "username": account.username,
        "full_name": account.get_full_name(),
        "phone": account.phone,
        "role": account.role,
        "area": account.area,
        "is_active": account.is_active,
    }
    form = UserForm(
        request.POST or None, initial=initial, areas=_reachable_areas(request.user), editing=True
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("username")
        try:
            accounts.user_update(by=request.user, user=account, **data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("%(user)s was saved.") % {"user": account.username})
            return redirect("user-list")
    return render(
        request,
        "core/user_form.html",
        {"form": form, "title": _("Edit user"), "account": account},
        status=400 if request.method == "POST" else 200,
    )


@require(Capability.MANAGE_USERS, methods=ACTION)
def user_reset_password(request, user_id):
    account = get_scoped_or_404(User, request.user, pk=user_id)
    try:
        password = accounts.user_reset_password(by=request.user, user=account)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("user-list")
    return _one_time(request, account, password, created=False)


@require(Capability.MANAGE_USERS, Capability.RUN_TASKS, methods=FORM)
def user_import(request):
    """Many users from a sheet, as a background job (hashing each password takes a while);
    the one-time passwords come back once, as a workbook to download."""
    from fupin.core.jobs import import_start
    from fupin.core.tasks import import_users

    form = UserUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        area = user.area or Area.objects.filter(level=1).order_by("code").first()
        upload = form.cleaned_data["file"]
        job = import_start(task_obj=import_users, upload=upload, owner=user, area=area)
        return redirect("job-detail", job_id=job.pk)
    return render(request, "core/user_import.html", {"form": form})
