import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.scoping import AreaScopedQuerySet


@dataclass(frozen=True)
class JobKind:
    label: str
    result_template: str = ""


# Filled by @job_task: what each kind of job is called and how its result is shown.
JOB_KINDS: dict[str, JobKind] = {}


class JobQuerySet(AreaScopedQuerySet):
    area_path = "area"

    def visible_to(self, user):
        """A job is its owner's: others (but an administrator in the area) do not see it."""
        jobs = self.for_user(user)
        return jobs if user.role == "admin" else jobs.filter(owner=user)


class Job(models.Model):
    """One run of background work as its owner sees it: progress, then a result or an error.

    The task queue (django-tasks) only knows how to run a function; this row is what the
    progress bar polls and what stays behind when the task's own record is pruned.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.SUCCEEDED, Status.FAILED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT
    )
    area = models.ForeignKey(
        "core.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    done = models.BigIntegerField(_("done"), default=0)
    total = models.BigIntegerField(_("total"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(done__gte=0), name="job_done_nonnegative"),
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(total__gte=0),
                name="job_total_nonnegative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    @property
    def kind_info(self) -> JobKind:
        return JOB_KINDS.get(self.kind, JobKind(label=self.kind))

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == self.Status.SUCCEEDED else None
        return min(100, int(100 * self.done / self.total))
