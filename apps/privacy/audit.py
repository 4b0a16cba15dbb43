"""The audit log: one call per view, export or erasure of a person's data (ids and actions, never names)."""

import logging
from typing import Any

from asgiref.sync import sync_to_async

from apps.privacy.models import AuditAction, AuditEvent

logger = logging.getLogger(__name__)


def record(
    action: AuditAction,
    *,
    actor_id: int | None,
    actor_role: str,
    subject_id: int | None,
    via: str,
    object_type: str = "",
    object_id: Any = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Write one event and return it. ``detail`` must hold counts and ids only."""
    event = AuditEvent.objects.create(
        action=action,
        actor_id=actor_id,
        actor_role=actor_role,
        subject_id=subject_id,
        via=via,
        object_type=object_type,
        object_id=str(object_id or ""),
        detail=detail or {},
    )
    logger.info(
        "audit %s",
        action,
        extra={"actor_id": actor_id, "subject_id": subject_id, "via": via, "object_type": object_type},
    )
    return event


arecord = sync_to_async(record)
