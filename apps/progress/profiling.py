"""Profiling work as it lands (called by the receivers and the data generator): words per CEFR level, the tutor's
corrections, and the learner's generation bump that invalidates their cached figures."""

import time
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import F

from apps.chat.corrections import find_mistakes
from apps.progress.models import WORD_FIELDS, LearnerStamp, Mistake, WorkProfile


def word_counts(text: str) -> dict[str, int]:
    """Running words of ``text`` per CEFR level of their lemma, as WorkProfile fields (``{"a1": 3, ...}``)."""
    from apps.ocr.vocabulary import vocabulary  # cefrpy and simplemma load on first use only

    counts: Counter[str] = Counter()
    for word in vocabulary(text):
        counts[word["cefr"].lower()] += word["count"]
    return {name: counts.get(name, 0) for name in WORD_FIELDS}


def mistakes(text: str) -> list[tuple[str, str, str]]:
    """``(kind, wrong, right)`` of every mistake the tutor's rules find in ``text``."""
    return [(m.kind, m.wrong[:200], m.right[:200]) for m in find_mistakes(text)]


def profile_message(message, learner_id: int) -> None:
    """Store the word profile and the mistakes of a new learner message (once: a second call changes nothing)."""
    if WorkProfile.objects.filter(message=message).exists():
        return
    WorkProfile.objects.create(
        learner_id=learner_id,
        source="chat",
        message=message,
        created_at=message.created_at,
        **word_counts(message.text),
    )
    Mistake.objects.bulk_create(
        Mistake(learner_id=learner_id, message=message, kind=k, wrong=w, right=r, created_at=message.created_at)
        for k, w, r in mistakes(message.text)
    )


def profile_writing(answer, learner_id: int) -> None:
    """Store the word profile of a placement test's writing task (once)."""
    WorkProfile.objects.get_or_create(
        writing=answer,
        defaults={"learner_id": learner_id, "source": "writing", "created_at": answer.answered_at,
                  **word_counts(answer.text)},
    )  # fmt: skip


def bump(learner_id: int) -> None:
    """Give the learner a new generation, so the next read recomputes their figures. A first generation starts at
    the current time in microseconds, so a new learner never meets an erased one's cache entries."""
    if LearnerStamp.objects.filter(pk=learner_id).update(generation=F("generation") + 1):
        return
    try:
        with transaction.atomic():
            LearnerStamp.objects.create(learner_id=learner_id, generation=time.time_ns() // 1000)
    except IntegrityError:  # created meanwhile by a concurrent bump
        LearnerStamp.objects.filter(pk=learner_id).update(generation=F("generation") + 1)
