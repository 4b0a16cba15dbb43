"""Retention with a frozen clock: what is just inside RETENTION_DAYS / EXPORT_RETENTION_HOURS stays, what is just
outside goes, stored files included; `manage.py purge_expired` is what the systemd timer runs."""

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from apps.jobs.models import Job, JobStatus
from apps.ocr.models import Document, SourceFile
from apps.privacy.models import Export

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.RETENTION_DAYS, settings.EXPORT_RETENTION_HOURS = 365, 24


def upload(owner, title: str) -> tuple[Document, Path]:
    document = Document.objects.create(owner=owner, kind="image", title=title, engine="onnx", page_count=1)
    source = SourceFile.objects.create(
        document=document, index=0, file=ContentFile(b"png", name="p.png"), sha256="0" * 64, size=3, format="png"
    )
    return document, Path(source.file.path)


def finished_job(owner, kind: str = "ocr.document") -> Job:
    return Job.objects.create(
        owner=owner, kind=kind, status=JobStatus.DONE, result={"ok": 1}, finished_at=timezone.now()
    )


def purge(at: datetime, *args: str) -> str:
    out = io.StringIO()
    with time_machine.travel(at, tick=False):
        call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


def test_uploads_and_jobs_go_a_second_after_their_retention_and_not_a_second_before(student):
    with time_machine.travel(T0, tick=False):
        old_doc, old_file = upload(student, "old")
        old_job = finished_job(student)
        stuck = Job.objects.create(owner=student, kind="ocr.document")  # queued, never run
    with time_machine.travel(T0 + 2 * SECOND, tick=False):
        new_doc, new_file = upload(student, "new")
        new_job = finished_job(student)

    assert purge(T0 + timedelta(days=365) - SECOND) == "exports=0 documents=0 jobs=0 (deleted)\n"
    assert Document.objects.count() == 2 and old_file.exists() and Job.objects.count() == 3

    assert purge(T0 + timedelta(days=365) + SECOND) == "exports=0 documents=1 jobs=2 (deleted)\n"
    assert not Document.objects.filter(pk=old_doc.pk).exists() and not old_file.exists()
    assert not Job.objects.filter(pk__in=[old_job.pk, stuck.pk]).exists()
    assert Document.objects.filter(pk=new_doc.pk).exists() and new_file.exists()
    assert Job.objects.filter(pk=new_job.pk).exists()


def test_exports_go_after_export_retention_hours(student):
    with time_machine.travel(T0, tick=False):
        old = Export.objects.create(owner=student, job=finished_job(student, "privacy.export"), document={"a": 1})
    with time_machine.travel(T0 + 2 * SECOND, tick=False):
        new = Export.objects.create(owner=student, job=finished_job(student, "privacy.export"), document={"b": 2})

    assert purge(T0 + timedelta(hours=24) - SECOND).startswith("exports=0 ")
    assert purge(T0 + timedelta(hours=24) + SECOND).startswith("exports=1 ")
    assert list(Export.objects.values_list("pk", flat=True)) == [new.pk]
    assert not Export.objects.filter(pk=old.pk).exists()
    assert Job.objects.count() == 2  # the jobs themselves (id and size only) follow RETENTION_DAYS


def test_a_dry_run_counts_and_deletes_nothing(student):
    with time_machine.travel(T0, tick=False):
        _, path = upload(student, "old")
    assert purge(T0 + timedelta(days=400), "--dry-run") == "exports=0 documents=1 jobs=0 (due)\n"
    assert Document.objects.count() == 1 and path.exists()


def test_a_backlog_larger_than_one_batch_is_deleted_in_full(student):
    with time_machine.travel(T0, tick=False):
        paths = [upload(student, f"d{i}")[1] for i in range(5)]
    assert purge(T0 + timedelta(days=366), "--batch", "2") == "exports=0 documents=5 jobs=0 (deleted)\n"
    assert not any(p.exists() for p in paths)
