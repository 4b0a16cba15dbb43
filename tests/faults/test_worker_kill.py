"""SIGKILL worker processes mid-job, again and again: every job still ends done exactly once, nothing is lost.

A SIGKILLed worker acknowledges nothing. Its AMQP connection dies with it, and RabbitMQ at once puts every message
it held (those it was running and those it had prefetched) back in the queue for the next worker: a job may start
more than once, and the job status guard keeps its result single.
"""

import random
from pathlib import Path

import dramatiq
import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from apps.jobs import broker, tasks
from apps.jobs.models import Job, JobStatus
from apps.ocr import tasks as ocr_tasks
from apps.ocr.models import Document, DocumentKind, Page, SourceFile
from tests.faults.conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)
KILLS = 20


def test_cpu_jobs_survive_twenty_sigkills_and_finish_exactly_once(staff, worker_process):
    dramatiq.get_broker().flush_all()
    jobs = [
        Job.objects.create(owner=staff, kind="selftest", params={"work_ms": 1500}, progress_total=1) for _ in range(12)
    ]
    for job in jobs:
        broker.enqueue(tasks.SELFTEST_CPU, job_id=str(job.id))
    worker = worker_process(["interactive"])
    rng = random.Random(7)
    kills = 0

    def all_done() -> bool:
        return not Job.objects.filter(pk__in=[j.pk for j in jobs]).exclude(status=JobStatus.DONE).exists()

    worker.start()
    while kills < KILLS and not all_done():
        wait_until(lambda: Job.objects.filter(status=JobStatus.RUNNING).exists(), timeout=15, interval=0.05)
        wait_until(lambda: False, timeout=rng.uniform(0.2, 0.9))  # mid-job
        worker.kill()
        kills += 1
        worker.start()
    assert wait_until(all_done, timeout=240, interval=0.5), "some jobs never finished"
    assert kills == KILLS
    for job in Job.objects.filter(pk__in=[j.pk for j in jobs]):
        assert job.status == JobStatus.DONE and job.result["primes"] > 0 and job.finished_at is not None
        assert job.error == ""
    assert sum(j.attempts for j in Job.objects.filter(pk__in=[j.pk for j in jobs])) > len(jobs)  # some ran again
    # Nothing left behind in RabbitMQ: no message waiting or delayed, none dead-lettered (a redelivered message of
    # a finished job is a no-op, acknowledged like any other).
    rabbitmq = dramatiq.get_broker()
    assert wait_until(lambda: rabbitmq.get_queue_message_counts("interactive") == (0, 0, 0), timeout=30)


def test_a_killed_document_finishes_after_restart_without_redoing_done_pages(staff, worker_process):
    dramatiq.get_broker().flush_all()
    folder = Path(settings.SHARED_DIR) / "data" / "ocr" / "images"
    names = ["uw3_010001.png", "uw3_010002.png", "uw3_010003.png", "tess_phototest.png", "tessjs_cosmic.png"]
    job = Job.objects.create(owner=staff, kind="ocr.images", progress_total=len(names))
    document = Document.objects.create(
        owner=staff,
        kind=DocumentKind.IMAGES,
        engine=settings.OCR_ENGINE,
        fingerprint="x",
        page_count=len(names),
        job=job,
    )
    for index, name in enumerate(names):
        data = (folder / name).read_bytes()
        source = SourceFile(
            document=document, index=index, name=name, sha256=str(index) * 64, size=len(data), format="png"
        )
        source.file.save(name, ContentFile(data), save=False)
        source.save()
    broker.enqueue(ocr_tasks.DOCUMENT, job_id=str(job.id))
    worker = worker_process(["documents"], threads=1)
    worker.start()
    assert wait_until(lambda: Page.objects.filter(document=document).count() >= 2, timeout=120)
    worker.kill()
    before = {p.number: (p.pk, p.text) for p in Page.objects.filter(document=document)}
    worker.start()
    assert wait_until(lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE, timeout=180, interval=0.5)
    after = {p.number: (p.pk, p.text) for p in Page.objects.filter(document=document)}
    assert sorted(after) == [1, 2, 3, 4, 5]
    for number, row in before.items():
        assert after[number] == row  # the pages done before the kill were kept, not recognised again
    assert Document.objects.get(pk=document.pk).vocabulary
