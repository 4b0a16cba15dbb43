"""The level-test flow: serve adaptive items, record answers, classify the writing sample, submit for a report."""

import random
import re
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from apps.cefr import services as cefr
from apps.core.errors import Conflict, ServiceUnavailable, Unprocessable
from apps.jobs import services as jobs
from apps.jobs.models import Job, JobStatus
from apps.leveltest import scoring, tasks
from apps.leveltest.errors import RetakeTooSoon
from apps.leveltest.models import Answer, Attempt, Item, WritingAnswer, WritingPrompt

SKILL_ORDER = ("grammar", "vocabulary", "reading")


def _answers(attempt: Attempt) -> list[tuple[str, bool]]:
    return [(a.item.level, a.correct) for a in attempt.answers.select_related("item")]


@transaction.atomic
def start(learner_id: int) -> Attempt:
    """A new attempt for the learner.

    Raises ``RetakeTooSoon`` (409) within ``LEVELTEST_RETAKE_HOURS`` of their last *started* attempt, submitted or
    not: abandoning an attempt does not reset the wait, or starting and dropping attempts would show the whole bank.
    An open attempt stays usable meanwhile.
    """
    hours = settings.LEVELTEST_RETAKE_HOURS
    if hours:
        # The learner's row is the lock: a concurrent start waits here, then sees the attempt this one creates.
        list(get_user_model().objects.select_for_update().filter(pk=learner_id).values_list("pk", flat=True))
        last = _last_attempt(learner_id)
        if last is not None and (available_at := last.started_at + timedelta(hours=hours)) > timezone.now():
            raise RetakeTooSoon(hours, last.pk, last.submitted_at is None, available_at)
    return Attempt.objects.create(learner_id=learner_id)


def _last_attempt(learner_id: int) -> Attempt | None:
    return Attempt.objects.for_user(learner_id).order_by("-started_at").first()


def _ensure_open(attempt: Attempt) -> None:
    if attempt.submitted_at is not None:
        raise Conflict("This attempt has been submitted")


@transaction.atomic
def next_item(attempt_id) -> dict:
    """The item to answer now (never its key): a multiple-choice item, then the writing task, then ``done``."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt_id)
    _ensure_open(attempt)
    answered = set(attempt.answers.values_list("item_id", flat=True))
    if attempt.current_item_id and attempt.current_item_id not in answered:
        return _item_view(attempt.current_item, len(answered))
    if len(answered) < settings.LEVELTEST_ITEMS:
        item = _choose(attempt, answered)
        if item is not None:
            attempt.current_item = item
            attempt.save(update_fields=["current_item"])
            return _item_view(item, len(answered))
    if not hasattr(attempt, "writing"):
        if attempt.writing_prompt is None:
            attempt.writing_prompt = _choose_prompt(attempt)
            attempt.save(update_fields=["writing_prompt"])
        if attempt.writing_prompt is not None:
            p = attempt.writing_prompt
            return {
                "type": "writing",
                "id": p.key,
                "prompt": p.prompt,
                "min_words": p.min_words,
                "max_words": p.max_words,
            }
    return {"type": "done", "answered": len(answered)}


def _choose(attempt: Attempt, answered: set[int]) -> Item | None:
    theta, _ = scoring.estimate(_answers(attempt))
    skill = SKILL_ORDER[len(answered) % len(SKILL_ORDER)]
    pool = list(Item.objects.filter(active=True).exclude(pk__in=answered))
    if not pool:
        return None
    # A retake prefers items the learner has not seen in earlier attempts (the bank is fixed and reused).
    seen = set(Answer.objects.filter(attempt__learner_id=attempt.learner_id).values_list("item_id", flat=True))
    pool = [i for i in pool if i.pk not in seen] or pool
    same_skill = [i for i in pool if i.skill == skill] or pool
    best = min(abs(scoring.DIFFICULTY[i.level] - theta) for i in same_skill)
    closest = [i for i in same_skill if abs(scoring.DIFFICULTY[i.level] - theta) == best]
    return random.Random(f"{attempt.pk}:{len(answered)}").choice(closest)  # varied exposure, reproducible


def _choose_prompt(attempt: Attempt) -> WritingPrompt | None:
    theta, _ = scoring.estimate(_answers(attempt))
    prompts = list(WritingPrompt.objects.filter(active=True))
    if not prompts:
        return None
    best = min(abs(scoring.DIFFICULTY[p.level] - theta) for p in prompts)
    closest = [p for p in prompts if abs(scoring.DIFFICULTY[p.level] - theta) == best]
    return random.Random(str(attempt.pk)).choice(closest)


def _item_view(item: Item, answered: int) -> dict:
    return {
        "type": "choice",
        "id": item.key,
        "skill": item.skill,
        "passage": item.passage,
        "prompt": item.prompt,
        "choices": item.choices,
        "number": answered + 1,
        "of": settings.LEVELTEST_ITEMS,
    }


@transaction.atomic
def record_choice(attempt_id, item_key: str, choice: int) -> dict:
    """Record the answer to the item being served; 409 when answered or submitted, 422 for unknown items/choices."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt_id)
    _ensure_open(attempt)
    item = Item.objects.filter(key=item_key, active=True).first()
    if item is None:
        raise Unprocessable(f"Unknown item {item_key!r}")
    if attempt.answers.filter(item=item).exists():
        raise Conflict("This item has already been answered")
    if attempt.current_item_id != item.pk:
        raise Unprocessable("This item has not been served to this attempt; ask for the next item first")
    if not 0 <= choice < len(item.choices):
        raise Unprocessable(f"Choice must be between 0 and {len(item.choices) - 1}")
    theta, se = scoring.estimate([*_answers(attempt), (item.level, choice == item.answer)])
    try:
        Answer.objects.create(
            attempt=attempt, item=item, choice=choice, correct=choice == item.answer, theta_after=theta, se_after=se
        )
    except IntegrityError:
        raise Conflict("This item has already been answered") from None
    return _progress(attempt)


def _progress(attempt: Attempt) -> dict:
    answered = attempt.answers.count()
    return {
        "answered": answered,
        "remaining": max(0, settings.LEVELTEST_ITEMS - answered),
        "can_submit": answered >= settings.LEVELTEST_MIN_ANSWERS,
        "writing_done": WritingAnswer.objects.filter(attempt=attempt).exists(),
    }


def sentences(text: str) -> list[str]:
    parts = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]
    return [p[: settings.CEFR_MAX_CHARS] for p in parts][: settings.CEFR_MAX_TEXTS]


async def record_writing(attempt: Attempt, prompt_key: str, text: str) -> dict:
    """Store the writing sample with its CEFR level (mean over its sentences; blank if CEFR is unavailable)."""
    _ensure_open(attempt)
    if (
        attempt.writing_prompt_id is None
        or (await WritingPrompt.objects.aget(pk=attempt.writing_prompt_id)).key != prompt_key
    ):
        raise Unprocessable(f"Writing task {prompt_key!r} has not been given to this attempt")
    if await WritingAnswer.objects.filter(attempt=attempt).aexists():
        raise Conflict("The writing task has already been answered")
    words = len(text.split())
    if not words or len(text) > settings.LEVELTEST_MAX_WRITING_CHARS:
        raise Unprocessable(f"Write between 1 word and {settings.LEVELTEST_MAX_WRITING_CHARS} characters")
    level, scores = "", None
    try:
        results = await cefr.classify(sentences(text))
        scores = {lvl: sum(r.scores[lvl] for r in results) / len(results) for lvl in scoring.LEVELS}
        expected = sum(scoring.LEVELS.index(lvl) * p for lvl, p in scores.items())
        level = scoring.LEVELS[round(expected)]
    except ServiceUnavailable:
        pass  # the sample is kept; the report shows it without a level
    try:
        await WritingAnswer.objects.acreate(
            attempt=attempt, prompt_id=attempt.writing_prompt_id, text=text, level=level, scores=scores
        )
    except IntegrityError:
        raise Conflict("The writing task has already been answered") from None
    return await sync_to_async(_progress)(attempt)


async def submit(attempt: Attempt) -> Job:
    """Close the attempt and start the report job; 409 if already submitted, 422 with too few answers."""
    answered = await attempt.answers.acount()
    if answered < settings.LEVELTEST_MIN_ANSWERS:
        raise Unprocessable(
            f"Answer at least {settings.LEVELTEST_MIN_ANSWERS} items before submitting "
            f"({answered} answered, {settings.LEVELTEST_MIN_ANSWERS - answered} more needed)",
            detail={"answered": answered, "needed": settings.LEVELTEST_MIN_ANSWERS - answered},
        )
    # The claim: an open attempt, or a submitted one whose report job failed for good. It clears the job, so two
    # concurrent submits cannot both pass.
    failed = Job.objects.filter(status=JobStatus.FAILED).values("id")
    claimable = Q(submitted_at__isnull=True) | Q(job__in=failed)
    closed = await Attempt.objects.filter(claimable, pk=attempt.pk).aupdate(submitted_at=timezone.now(), job=None)
    if not closed:
        raise Conflict("This attempt has already been submitted")
    try:
        job = await jobs.submit(
            attempt.learner_id, "leveltest.report", tasks.REPORT, params={"attempt_id": str(attempt.pk)}, total=1
        )
    except Exception:
        # Never queued (backpressure, broker down): the attempt opens again, answers kept, so it can be submitted.
        await Attempt.objects.filter(pk=attempt.pk, job__isnull=True).aupdate(submitted_at=None)
        raise
    await Attempt.objects.filter(pk=attempt.pk).aupdate(job=job)
    return job
