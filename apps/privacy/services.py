"""Learners' data rights: an export of everything kept about them, and their erasure.

Exports are built by the ``privacy.export`` actor into an ``Export`` row (the job's result holds only its id and
size, so job lists stay small); at most one export per learner is in flight, and requests are rate-limited, so the
endpoint cannot be used to load the workers. Erasure is ``apps.privacy.erasure``.
"""

import json
import logging
from typing import Any

from django.db import IntegrityError

from apps.accounts.models import User
from apps.accounts.tokens import Principal
from apps.core.errors import ApiError, Conflict
from apps.core.ratelimit import limit_user
from apps.jobs import services as jobs
from apps.jobs.models import FINISHED, Job, JobStatus
from apps.privacy import audit, document, tasks
from apps.privacy.models import AuditAction, Export

logger = logging.getLogger(__name__)

EXPORT_KIND = "privacy.export"


class ExportGone(ApiError):
    """Raised when a finished export has been purged (EXPORT_RETENTION_HOURS): ask for a new one."""

    status = 410
    code = "gone"


async def request_export(principal: Principal, via: str = "api") -> Job:
    """The learner's export job: the one already queued or running, else a new one (429 past the rate limit)."""
    await limit_user("export", principal.id)
    running = await Job.objects.for_user(principal.id).filter(kind=EXPORT_KIND).exclude(status__in=FINISHED).afirst()
    if running is not None:
        return running
    job = await jobs.submit(principal.id, EXPORT_KIND, tasks.EXPORT, total=1)
    await audit.arecord(
        AuditAction.EXPORT,
        actor_id=principal.id,
        actor_role=principal.role,
        subject_id=principal.id,
        via=via,
        object_type="job",
        object_id=job.id,
    )
    return job


async def export_of(job: Job) -> dict[str, Any] | None:
    """The finished document of an export job, ``None`` while it runs; 409 if it failed, 410 once purged."""
    if job.status == JobStatus.FAILED:
        raise Conflict("This export failed; request a new one")
    if job.status != JobStatus.DONE:
        return None
    found = await Export.objects.filter(job_id=job.pk).afirst()
    if found is None:
        raise ExportGone("This export has expired and been deleted; request a new one")
    return found.document


def write_export(job: Job) -> dict[str, Any]:
    """Build the owner's document and store it for this job (a redelivery overwrites the same row)."""
    try:
        doc = document.build(job.owner_id)
    except User.DoesNotExist:  # erased meanwhile: their job went with them
        return {"export_id": None, "bytes": 0}
    size = len(json.dumps(doc, separators=(",", ":")).encode())
    try:
        export, _ = Export.objects.update_or_create(
            job_id=job.pk, defaults={"owner_id": job.owner_id, "document": doc, "size": size}
        )
    except IntegrityError:  # the owner was erased meanwhile: their job went with them
        logger.info("export owner gone", extra={"job_id": str(job.pk), "user_id": job.owner_id})
        return {"export_id": None, "bytes": 0}
    return {"export_id": str(export.pk), "bytes": size}
