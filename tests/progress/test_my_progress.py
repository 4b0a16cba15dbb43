"""GET /api/me/progress: a learner's own figures, from database aggregates, cached and invalidated by new work."""

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from apps.chat.models import Analysis, Message
from apps.leveltest.models import Attempt, Report, WritingAnswer, WritingPrompt
from tests.conftest import abearer
from tests.progress.conftest import say, scan

pytestmark = pytest.mark.django_db(transaction=True)


def _history(student, conversation):
    """Three B1, one A2 and two B2 messages this month (one with mistakes), two A1 ones two months ago; a B2
    writing task; a placement report; a scanned page; an analysis."""
    for level, days in (("B1", 1), ("B1", 2), ("A2", 9), ("B2", 16), ("B2", 20)):
        say(conversation, "I really enjoy reading novels about history.", level, days)
    say(conversation, "yesterday he go to a apple shop", "B1", 3)
    for days in (60, 61):
        say(conversation, "I like cats", "A1", days)
    WritingPrompt.objects.create(key="trip", level="B1", prompt="A trip", min_words=5, max_words=100)
    attempt = Attempt.objects.create(learner=student, submitted_at=timezone.now())
    WritingAnswer.objects.create(
        attempt=attempt, prompt=WritingPrompt.objects.get(key="trip"), text="We travelled to Spain.", level="B2"
    )
    Report.objects.create(attempt=attempt, level="B1", theta=0.1, standard_error=0.4, items=[],
                          skills={"grammar": {"level": "B1"}, "reading": {"level": "B2"}})  # fmt: skip
    scan(student, [("ubiquitous", 2, "C2"), ("cat", 6, "A1"), ("zorgle", 2, "unknown")])
    Analysis.objects.create(conversation=conversation, learner_messages=100, level="B1", source="statistics",
                            error_types=[{"type": "articles", "count": 3}], recommendations=["Read more."])  # fmt: skip


async def _progress(client, student) -> dict:
    response = await client.get("/api/me/progress", headers=await abearer(student))
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_learner_gets_levels_trend_vocabulary_errors_and_analyses(client, student, conversation):
    await sync_to_async(_history)(student, conversation)
    body = await _progress(client, student)
    # 30 days: A2, B1 x3, B2 x2 and the B2 writing task; the A1 messages are older.
    assert body["current"] == {"level": "B1", "band": "B1-B2", "low": "B1", "high": "B2", "samples": 7}
    assert body["trend"]["direction"] == "down"  # B2 three weeks ago, B1 this week
    assert body["week_messages"] == 3
    assert body["placement"]["level"] == "B1"
    assert body["placements"][0]["skills"] == {"grammar": "B1", "reading": "B2"}
    weeks = body["weeks"]
    assert sum(w["samples"] for w in weeks) == 9 and {w["level"] for w in weeks} >= {"A1", "B1"}
    scanned = body["vocabulary"]["scanned"]
    assert scanned["words"] == 10 and scanned["shares"]["A1"] == 0.6 and scanned["shares"]["C2"] == 0.2
    used = body["vocabulary"]["used"]
    assert used["words"] > 40 and abs(sum(used["shares"].values()) - 1) < 0.01
    errors = {e["type"]: e for e in body["errors"]}
    assert errors["agreement"]["example"] == {"wrong": "he go", "right": "he goes"}
    assert errors["articles"]["example"] == {"wrong": "a apple", "right": "an apple"}
    assert len(body["errors"]) <= 5
    assert body["analyses"][0]["error_types"] == ["articles"] and body["analyses"][0]["level"] == "B1"


async def test_the_figures_are_cached_until_new_work_lands(client, student, conversation):
    await sync_to_async(say)(conversation, "I enjoy long walks.", "A2", 1)
    assert (await _progress(client, student))["current"]["level"] == "A2"
    # A change that is not new work (no signal) is not seen: the answer comes from the cache.
    await Message.objects.filter(conversation=conversation).aupdate(cefr_level="C1")
    assert (await _progress(client, student))["current"]["level"] == "A2"
    # New work bumps the learner's generation: the next answer is computed again and sees everything.
    await sync_to_async(say)(conversation, "Notwithstanding the weather, we persevered.", "C1", 0)
    assert (await _progress(client, student))["current"] == {
        "level": "C1", "band": "C1", "low": "C1", "high": "C1", "samples": 2
    }  # fmt: skip


async def test_a_newly_scanned_page_shows_at_once(client, student):
    assert (await _progress(client, student))["vocabulary"]["scanned"]["words"] == 0
    await sync_to_async(scan)(student, [("house", 4, "A1")])
    assert (await _progress(client, student))["vocabulary"]["scanned"]["counts"]["A1"] == 4


async def test_a_learner_with_no_work_gets_empty_figures(client, other_student):
    body = await _progress(client, other_student)
    assert body["current"]["level"] is None and body["trend"]["direction"] is None
    assert body["weeks"] == [] and body["errors"] == [] and body["placement"] is None
    assert body["vocabulary"]["used"]["words"] == 0


async def test_another_learners_work_is_not_in_my_figures(client, student, other_student, conversation):
    await sync_to_async(say)(conversation, "he go home", "B2", 1)
    body = await _progress(client, other_student)
    assert body["current"]["samples"] == 0 and body["errors"] == []
    assert (await _progress(client, student))["current"]["samples"] == 1


async def test_an_erased_learners_cached_figures_are_dropped(client, student, conversation):
    from apps.core.kv import kv
    from apps.progress import services
    from apps.progress.models import LearnerStamp

    await sync_to_async(say)(conversation, "he go home", "B1", 1)
    await _progress(client, student)
    await services.learner_rows([student.pk])  # the class table's entry
    generation = (await LearnerStamp.objects.aget(pk=student.pk)).generation
    keys = [services.row_key(student.pk, generation), services.detail_key(student.pk, generation)]
    assert all(await kv().mget(keys))
    await sync_to_async(student.delete)()
    assert await kv().mget(keys) == [None, None]
