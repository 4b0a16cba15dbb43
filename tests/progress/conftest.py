"""Helpers that make a learner's work the way the apps make it (ORM saves, so the progress receivers run), then move
it back in time with a queryset update (which sends no signal, as the generator's bulk writes)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.chat.models import Conversation, Message, Role
from apps.ocr.models import Document, DocumentKind

SCORES = {"A1": 0.02, "A2": 0.08, "B1": 0.6, "B2": 0.25, "C1": 0.03, "C2": 0.02}


def say(conversation: Conversation, text: str, level: str, days_ago: float = 0) -> Message:
    """A learner message with its CEFR level, ``days_ago`` days old."""
    message = Message.objects.create(conversation=conversation, role=Role.LEARNER, text=text)
    message.cefr_level, message.cefr_scores = level, SCORES
    message.cefr_value = float(("A1", "A2", "B1", "B2", "C1", "C2").index(level))
    message.save(update_fields=["cefr_level", "cefr_scores", "cefr_value"])
    when = timezone.now() - timedelta(days=days_ago)
    Message.objects.filter(pk=message.pk).update(created_at=when)
    Conversation.objects.filter(pk=conversation.pk, last_activity_at__lt=when).update(last_activity_at=when)
    return message


def scan(owner, words: list[tuple[str, int, str]]) -> Document:
    """A recognised document whose vocabulary is ``(word, count, level)``, stored the pipeline's way (an update)."""
    document = Document.objects.create(owner=owner, kind=DocumentKind.IMAGE, engine="onnx", fingerprint="f" * 64)
    vocabulary = [{"word": w, "count": n, "cefr": level} for w, n, level in words]
    Document.objects.filter(pk=document.pk).update(vocabulary=vocabulary)
    return document


@pytest.fixture
def conversation(student) -> Conversation:
    return Conversation.objects.create(learner=student, topic="Holidays")
