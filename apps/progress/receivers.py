"""New work of a learner lands: profile it and bump the learner's generation (their cached figures go stale).

Scanned pages' vocabulary is written by a queryset update in the OCR pipeline (no signal): the figures' cache key
covers the learner's recognised documents instead (``services.detail_key``).
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from apps.chat.models import Analysis, Message, Role
from apps.leveltest.models import Report, WritingAnswer
from apps.progress import profiling


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
