"""Retention: uploads and job results older than RETENTION_DAYS, exports older than EXPORT_RETENTION_HOURS.

Deleting through the ORM (not raw SQL) fires the ``post_delete`` receivers that remove stored files: an OCR
document's uploads (``apps.ocr``) go with its rows. Run by ``manage.py purge_expired`` (a systemd timer in deploy/).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.jobs.models import FINISHED, Job
from apps.ocr.models import Document
from apps.privacy.models import Export

logger = logging.getLogger(__name__)


def cutoffs(now: datetime | None = None) -> dict[str, datetime]:
    """What was made before these moments is due: uploads and jobs, exports."""
    now = now or timezone.now()
    return {
        "uploads": now - timedelta(days=settings.RETENTION_DAYS),
        "jobs": now - timedelta(days=settings.RETENTION_DAYS),
        "exports": now - timedelta(hours=settings.EXPORT_RETENTION_HOURS),
    }


def _delete_in_batches(qs, batch: int) -> int:
    # One batch per statement keeps each transaction (and its locks) short on a large backlog.
    total = 0
    while True:
        pks = list(qs.values_list("pk", flat=True)[:batch])
        if not pks:
            return total
        qs.model.objects.filter(pk__in=pks).delete()
        total += len(pks)


def due(now: datetime | None = None) -> dict[str, QuerySet]:
    """The querysets of what is past its retention at ``now``."""
    cut = cutoffs(now)
    finished_long_ago = Q(status__in=FINISHED, finished_at__lt=cut["jobs"])
    never_finished = Q(created_at__lt=cut["jobs"]) & ~Q(status__in=FINISHED)  # a job stuck a whole period is dead
    return {
        "exports": Export.objects.filter(created_at__lt=cut["exports"]),
        "documents": Document.objects.filter(created_at__lt=cut["uploads"]),
        "jobs": Job.objects.filter(finished_long_ago | never_finished),
    }


def purge(now: datetime | None = None, *, batch: int = 500, dry_run: bool = False) -> dict[str, int]:
    """Delete what is past its retention; returns how many of each went (or would go, with ``dry_run``)."""
    counts = {}
    for name, qs in due(now).items():
        counts[name] = qs.count() if dry_run else _delete_in_batches(qs, batch)
    logger.info("purge_expired", extra={"dry_run": dry_run, **counts})
    return counts
