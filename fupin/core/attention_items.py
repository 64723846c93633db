"""Core's items on the home page: the user's background tasks, locked-out accounts."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.attention import AttentionItem, attention_provider
from fupin.core.models import Job
from fupin.core.roles import Capability


@attention_provider
def my_jobs(user):
    jobs = Job.objects.visible_to(user).filter(owner=user)
    url = reverse("job-list")
    return [
        AttentionItem(
            _("Background tasks running"),
            jobs.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).count(),
            url,
        ),
        AttentionItem(
            _("Background tasks that failed"),
            jobs.filter(
                status=Job.Status.FAILED, finished_at__gte=timezone.now() - timedelta(days=7)
            ).count(),
            url,
            "danger",
        ),
    ]


@attention_provider
def locked_out_accounts(user):
    if not user.can(Capability.MANAGE_USERS):
        return []
    locked = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    return [
        AttentionItem(
            _("Sign-ins locked after failed passwords"),
            locked.count(),
            reverse("user-list"),
            "warning",
        )
    ]
