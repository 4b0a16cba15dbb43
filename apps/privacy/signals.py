"""Receivers: a deleted speech clip leaves no audio file; staff reading level-test reports are audited."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from apps.chat.models import SpeechClip
from apps.leveltest.signals import report_viewed
from apps.privacy import audit
from apps.privacy.models import AuditAction


@receiver(post_delete, sender=SpeechClip)
def _delete_audio(sender, instance: SpeechClip, **kwargs) -> None:
    """Its message deleted (an erasure, a conversation deleted): the clip's audio goes once the deletion commits."""
    if instance.audio:
        storage, name = instance.audio.storage, instance.audio.name
        transaction.on_commit(lambda: storage.delete(name))


@receiver(report_viewed)
def _audit_staff_report_view(sender, viewer_id, viewer_role, student_id, attempt_id=None, via="", **kwargs) -> None:
    # A class's own teacher reading its reports is the platform's normal use; staff reading them is what the log
    # is for.
    if viewer_role != "staff":
        return
    audit.record(
        AuditAction.VIEW,
        actor_id=viewer_id,
        actor_role=viewer_role,
        subject_id=student_id,
        via=via,
        object_type="leveltest-report",
        object_id=attempt_id or "",
    )
