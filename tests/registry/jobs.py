"""The registry's pages start background jobs: run them in the real worker, upload a file to a
page and wait for its job, and see what is left of the uploads."""

from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from fupin.core.models import Job


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def upload_and_run(client, path: Path, *, url: str, **fields) -> Job:
    """Post `path` (and `fields`) to the page `url`, which must start a job and show it; the
    job once the worker has run it."""
    response = client.post(
        reverse(url), {"file": SimpleUploadedFile(path.name, path.read_bytes()), **fields}
    )
    job = Job.objects.order_by("-created_at").first()
    assert response.status_code == 302
    assert response["Location"] == reverse("job-detail", args=[job.pk])
    run_worker()
    job.refresh_from_db()
    return job


def uploads() -> list[Path]:
    return list((Path(settings.MEDIA_ROOT) / "uploads").iterdir())
