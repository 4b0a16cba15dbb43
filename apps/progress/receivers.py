"""New work of a learner lands: profile it and bump the learner's generation (their cached figures go stale).

Scanned pages' vocabulary is written by a queryset update in the OCR pipeline (no signal): the cached figures
record the recognised documents they counted instead (``services.learner_detail``).
"""

from asgiref.sync import async_to_sync
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.chat.models import Analysis, Message, Role
from apps.leveltest.models import Report, WritingAnswer
from apps.progress import profiling, services
from apps.progress.models import LearnerStamp


@receiver(post_save, sender=Message, dispatch_uid="progress.message")
def on_message(sender, instance: Message, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or instance.role != Role.LEARNER:
        return
    learner_id = instance.conversation.learner_id
    if created and instance.text:
        profiling.profile_message(instance, learner_id)
    profiling.bump(learner_id)


@receiver(post_save, sender=WritingAnswer, dispatch_uid="progress.writing")
def on_writing(sender, instance: WritingAnswer, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    learner_id = instance.attempt.learner_id
    if created and instance.text:
        profiling.profile_writing(instance, learner_id)
    profiling.bump(learner_id)


@receiver(post_save, sender=Report, dispatch_uid="progress.report")
def on_report(sender, instance: Report, raw: bool = False, **kwargs) -> None:
    if not raw:
        profiling.bump(instance.attempt.learner_id)


@receiver(post_save, sender=Analysis, dispatch_uid="progress.analysis")
def on_analysis(sender, instance: Analysis, raw: bool = False, **kwargs) -> None:
    if not raw:
        profiling.bump(instance.conversation.learner_id)


@receiver(post_delete, sender=LearnerStamp, dispatch_uid="progress.forget")
def on_learner_gone(sender, instance: LearnerStamp, **kwargs) -> None:
    """An erased learner's cached figures go with them (after the commit: a rollback keeps the learner)."""
    learner_id, generation = instance.learner_id, instance.generation
    transaction.on_commit(lambda: async_to_sync(services.forget)(learner_id, generation))
