"""`fupin worker`: django-tasks' db_worker, which first tidies up after a worker that died:
the jobs that this worker (by its --worker-id) left running, and those left running too
long by any worker, are marked failed and their uploads removed (fupin.core.jobs.
job_recover_stale). Run workers with this command, not db_worker."""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from fupin.core.jobs import job_files_cleanup, job_recover_stale


class Command(WorkerCommand):
    def handle(self, *args, **options):
        job_recover_stale(worker_id=options.get("worker_id") or "")
        job_files_cleanup()
        return super().handle(*args, **options)
