"""The tutor conversation: save what the learner wrote first, then classify it and ask the tutor concurrently.

Reply tokens are pushed to the conversation's websocket group as they arrive, coalesced per
``CHAT_TOKEN_FLUSH_MS``. Every 100th learner message (``CHAT_ANALYSIS_EVERY``) starts an analysis job. When the LLM
fails or times out, the learner's message stays, the reply is marked failed, and ``retry`` asks again.
"""

import asyncio
import logging
import time
from collections.abc import Coroutine, Sequence
from datetime import timedelta
from typing import Any

import httpx
import openai
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.db.models import Avg, F, Q
from django.utils import timezone
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.messages.ai import add_ai_message_chunks

from apps.cefr import services as cefr
from apps.chat import llm, tasks
from apps.chat.models import Conversation, Message, ReplyStatus, Role
from apps.chat.tutor import build_prompt
from apps.core.errors import ApiError, ServiceUnavailable
from apps.core.levels import LEVELS
from apps.jobs import services as jobs

logger = logging.getLogger(__name__)
HISTORY_MESSAGES = 40


class TutorTimeout(ApiError):
    """Raised when the tutor's model did not answer within LLM_TIMEOUT; the learner's message is kept."""

    status = 504


class TutorUnavailable(ServiceUnavailable):
    """Raised when the tutor's model answered with an error or could not be reached; the message is kept."""


def chat_group(conversation_id: int) -> str:
    return f"chat.{conversation_id}"


async def post_message(conversation: Conversation, text: str) -> tuple[Message, Message]:
    """Save the learner's message, then classify it and get the tutor's reply concurrently.

    Returns ``(learner message, reply)``. Raises ``TutorTimeout`` (504) or ``TutorUnavailable`` (503) when the model
    fails; both messages are stored either way (the reply as failed, retryable).

    The database work is grouped into one transaction before the model calls and one after (one thread hop each),
    not a round trip per statement: under a burst of turns the web process's CPU and the database's commits are the
    limit, not the model.
    """
    history, learner, reply = await sync_to_async(_open_turn)(conversation, text)

    async def turn() -> None:
        outcomes = await asyncio.gather(
            _classify(learner), _answer(conversation, [*history, learner], reply), return_exceptions=True
        )
        await _close_turn(conversation, learner, reply, outcomes)

    await _to_the_end(turn())
    return learner, reply


_turns: set[asyncio.Task] = set()


async def _to_the_end(work: Coroutine[Any, Any, None]) -> None:
    """Run ``work`` to its end even if the request is cancelled (Django cancels a view whose client went away):
    the reply and the level are stored and the 100th message's analysis starts whether or not anyone waits."""
    task = asyncio.ensure_future(work)
    _turns.add(task)  # the loop keeps only weak references to tasks
    task.add_done_callback(_turn_ended)
    await asyncio.shield(task)


def _turn_ended(task: asyncio.Task) -> None:
    _turns.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved here: nobody awaits a turn whose client went away (it was logged and stored)


@transaction.atomic
def _open_turn(conversation: Conversation, text: str) -> tuple[list[Message], Message, Message]:
    history = _history(conversation)
    learner = Message.objects.create(conversation=conversation, role=Role.LEARNER, text=text)
    Conversation.objects.filter(pk=conversation.pk).update(
        learner_message_count=F("learner_message_count") + 1, last_activity_at=timezone.now()
    )
    reply = Message.objects.create(
        conversation=conversation, role=Role.TUTOR, in_reply_to=learner, status=ReplyStatus.PENDING
    )
    return history, learner, reply


async def _close_turn(
    conversation: Conversation,
    learner: Message,
    reply: Message,
    outcomes: Sequence[object],
    count_milestone: bool = True,
) -> None:
    """Store the turn's results (level, reply), refresh the running level, start the analysis when due; then
    tell the websocket and re-raise the tutor's failure, if any."""
    if reply.status == ReplyStatus.PENDING:  # the tutor call ended in an error nobody expected: keep it retryable
        logger.error("tutor call failed for conversation %s", conversation.pk, exc_info=_failure(outcomes))
        reply.status, reply.error = ReplyStatus.FAILED, "The tutor failed"
    count = await sync_to_async(_store_turn)(conversation, learner, reply)
    await get_channel_layer().group_send(
        chat_group(conversation.pk), {"type": "chat.reply", "message_id": reply.pk, "status": str(reply.status)}
    )
    if count_milestone and count % settings.CHAT_ANALYSIS_EVERY == 0:
        await _start_analysis(conversation, count)
    failure = _failure(outcomes)
    if failure is not None:
        raise failure


def _failure(outcomes: Sequence[object]) -> BaseException | None:
    return next((o for o in outcomes if isinstance(o, BaseException)), None)


@transaction.atomic
def _store_turn(conversation: Conversation, learner: Message, reply: Message) -> int:
    """Save the learner message's level and the reply; update the running level. Returns the learner count."""
    if learner.cefr_level:
        learner.save(update_fields=["cefr_level", "cefr_scores", "cefr_value"])
    reply.save()
    score = Message.objects.filter(conversation=conversation).aggregate(v=Avg("cefr_value"))["v"]
    if score is not None:
        level = LEVELS[min(5, max(0, round(score)))]
        Conversation.objects.filter(pk=conversation.pk).update(level_score=score, level=level)
        conversation.level, conversation.level_score = level, score
    return Conversation.objects.values_list("learner_message_count", flat=True).get(pk=conversation.pk)


async def claim_retry(reply: Message) -> bool:
    """Take a failed reply (or one stuck pending past the LLM timeout) for a retry, atomically: of concurrent
    retries of one reply exactly one gets True, so the tutor is asked once."""
    now = timezone.now()
    stuck_since = now - timedelta(seconds=settings.LLM_TIMEOUT + 10)
    stuck = Q(status=ReplyStatus.PENDING) & (
        Q(attempted_at__lt=stuck_since) | Q(attempted_at__isnull=True, created_at__lt=stuck_since)
    )
    claimed = await Message.objects.filter(Q(status=ReplyStatus.FAILED) | stuck, pk=reply.pk, role=Role.TUTOR).aupdate(
        status=ReplyStatus.PENDING, error="", attempted_at=now
    )
    return claimed == 1


async def retry(conversation: Conversation, reply: Message) -> tuple[Message, Message]:
    """Ask the tutor again for a reply claimed with ``claim_retry`` (and classify the learner's message if that
    failed too)."""
    learner = await Message.objects.aget(pk=reply.in_reply_to_id or 0)
    history = await sync_to_async(_history)(conversation, before=learner)
    reply.status, reply.error = ReplyStatus.PENDING, ""
    tasks = [_answer(conversation, [*history, learner], reply)]
    if not learner.cefr_level:
        tasks.append(_classify(learner))

    async def turn() -> None:
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        await _close_turn(conversation, learner, reply, outcomes, count_milestone=False)

    await _to_the_end(turn())
    return learner, reply


def _history(conversation: Conversation, before: Message | None = None) -> list[Message]:
    qs = conversation.messages.filter(status=ReplyStatus.DONE).exclude(text="")
    if before is not None:
        qs = qs.filter(id__lt=before.id)
    return list(qs.order_by("-created_at", "-id")[:HISTORY_MESSAGES])[::-1]


async def _classify(learner: Message) -> None:
    try:
        (result,) = await cefr.classify([learner.text])
    except (ServiceUnavailable, ValueError) as exc:
        logger.warning("CEFR unavailable for message %s: %s", learner.pk, exc)
        return  # the level is optional; the conversation goes on
    learner.cefr_level, learner.cefr_scores = result.level, result.scores
    learner.cefr_value = sum(LEVELS.index(level) * p for level, p in result.scores.items())


async def _answer(conversation: Conversation, turns: list[Message], reply: Message) -> None:
    prompt = build_prompt(conversation.level or None, conversation.topic, turns, settings.LLM_HISTORY_TOKENS)
    tokens = _TokenSender(chat_group(conversation.pk), reply.pk, settings.CHAT_TOKEN_FLUSH_MS / 1000)
    started = time.perf_counter()
    chunks: list[AIMessageChunk] = []

    def take(chunk: AIMessageChunk) -> None:
        chunks.append(chunk)
        if chunk.content:
            tokens.add(str(chunk.content))

    try:
        await llm.stream(prompt, take, timeout=settings.LLM_TIMEOUT)
    except (TimeoutError, openai.APITimeoutError, httpx.TimeoutException) as exc:
        reply.status, reply.error = ReplyStatus.FAILED, "The tutor did not answer in time"
        raise TutorTimeout("The tutor did not answer in time; your message is saved, retry the reply") from exc
    except (openai.OpenAIError, httpx.HTTPError) as exc:
        logger.warning("LLM error for conversation %s: %s", conversation.pk, exc)
        reply.status, reply.error = ReplyStatus.FAILED, "The tutor is unavailable"
        raise TutorUnavailable("The tutor is unavailable; your message is saved, retry the reply") from exc
    finally:
        await tokens.close()
    # One merge at the end: adding chunk by chunk builds a new message object per token.
    full = add_ai_message_chunks(chunks[0], *chunks[1:]) if chunks else None
    _complete(reply, full, started)


class _TokenSender:
    """Pushes reply text to the conversation's websocket group in order: the first piece at once, then whatever
    arrived meanwhile at most once per ``window`` seconds, as one ``chat.token`` event with the next index.

    Sending runs in its own task, so the model's stream is never held up by the channel layer, and a channel-layer
    failure only costs the live view (logged): the reply is still stored and returned.
    """

    def __init__(self, group: str, message_id: int, window: float):
        self.group, self.message_id, self.window = group, message_id, window
        self.pending: list[str] = []
        self.ready = asyncio.Event()
        self.finished = False
        self.task: asyncio.Task | None = None

    def add(self, text: str) -> None:
        self.pending.append(text)
        self.ready.set()
        if self.task is None:
            self.task = asyncio.create_task(self._run())

    async def close(self) -> None:
        self.finished = True
        self.ready.set()
        if self.task is not None:
            await self.task

    async def _run(self) -> None:
        layer, index = get_channel_layer(), 0
        try:
            while True:
                await self.ready.wait()
                self.ready.clear()
                if self.pending:
                    text, self.pending = "".join(self.pending), []
                    event = {"type": "chat.token", "message_id": self.message_id, "index": index, "token": text}
                    await layer.group_send(self.group, event)
                    index += 1
                if self.finished and not self.pending:
                    return
                await asyncio.sleep(self.window)
        except Exception:
            logger.exception("could not push reply tokens of message %s to the websocket", self.message_id)


def _complete(reply: Message, full: AIMessage | None, started: float) -> None:
    usage: dict = dict((full.usage_metadata if full is not None else None) or {})
    meta = dict(full.response_metadata) if full is not None else {}
    reply.text = str(full.content).strip() if full is not None else ""
    reply.status = ReplyStatus.DONE
    reply.latency_ms = int((time.perf_counter() - started) * 1000)
    reply.model_name = str(meta.get("model_name") or settings.LLM_MODEL)[:100]
    reply.prompt_tokens, reply.completion_tokens = usage.get("input_tokens"), usage.get("output_tokens")
    reply.metadata = {"offline": bool(meta.get("offline", llm.is_offline()))}


async def _start_analysis(conversation: Conversation, count: int) -> None:
    try:
        await jobs.submit(
            conversation.learner_id,
            "chat.analysis",
            tasks.ANALYSE,
            params={"conversation_id": conversation.pk, "learner_messages": count},
            total=1,
        )
    except ServiceUnavailable:
        logger.error("could not start the analysis of conversation %s at %d messages", conversation.pk, count)
