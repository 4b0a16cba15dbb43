"""Scripted answer patterns through the real API, the real report actor and the item bank."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from apps.core.levels import LEVELS
from apps.jobs import services as jobs
from apps.jobs.models import Job
from apps.leveltest import scoring
from apps.leveltest.models import Answer, Attempt
from tests.leveltest.conftest import take_test

pytestmark = pytest.mark.django_db(transaction=True)


async def finished_report(client, run) -> dict:
    submitted = await client.post(f"/api/leveltest/attempts/{run['attempt']}/submit", headers=run["headers"])
    assert submitted.status_code == 202, submitted.text
    job = await jobs.wait(await Job.objects.aget(pk=submitted.json()["job_id"]), timeout=60)
    assert job.status == "done", job.error
    report = await client.get(f"/api/leveltest/attempts/{run['attempt']}/report", headers=run["headers"])
    assert report.status_code == 200
    return report.json()


async def test_all_right_is_c2(client, student, worker):
    report = await finished_report(client, await take_test(client, student, lambda item: True))
    assert report["level"] == "C2"
    assert all(s["level"] == "C2" for s in report["skills"].values())


async def test_all_wrong_is_a1(client, student, worker):
    report = await finished_report(client, await take_test(client, student, lambda item: False))
    assert report["level"] == "A1"
    assert all(not item["correct"] for item in report["items"])


async def test_right_up_to_b1_and_wrong_above_is_b1_within_one_level(client, student, worker):
    knows = lambda item: LEVELS.index(item.level) <= LEVELS.index("B1")  # noqa: E731
    report = await finished_report(client, await take_test(client, student, knows))
    assert abs(LEVELS.index(report["level"]) - LEVELS.index("B1")) <= 1
    served = {item["level"] for item in report["items"][6:]}
    assert served <= {"A2", "B1", "B2", "C1"}  # the test homed in around the learner's level


async def test_the_standard_error_narrows_as_answers_accumulate(client, student):
    run = await take_test(client, student, lambda item: item.level in {"A1", "A2", "B1"})
    errors = [a.se_after async for a in Answer.objects.filter(attempt_id=run["attempt"]).order_by("answered_at", "id")]
    assert len(errors) == 24
    assert errors[-1] < errors[5] < errors[0]
    assert errors[-1] < 0.75


def test_the_estimate_moves_with_the_answers():
    assert scoring.estimate([])[0] == pytest.approx(0, abs=1e-6)
    up, _ = scoring.estimate([("B1", True)] * 5)
    down, _ = scoring.estimate([("B1", False)] * 5)
    assert down < 0 < up
    assert scoring.level_of(-10) == "A1" and scoring.level_of(10) == "C2" and scoring.level_of(0.0) == "B1"
    b1 = scoring.DIFFICULTY["B1"]
    assert scoring.p_correct(scoring.DIFFICULTY["B1"] + scoring.MASTERY_MARGIN, b1) == pytest.approx(0.6)
    assert scoring.level_of(b1 + 0.41) == "B1" and scoring.level_of(b1 + 0.39) == "A2"


async def test_the_learner_sees_which_items_were_right_but_never_the_keys(client, student, teacher, worker):
    from tests.conftest import abearer

    run = await take_test(client, student, lambda item: item.level in {"A1", "A2"})
    own = await finished_report(client, run)
    assert own["items"] and all({"correct", "prompt", "choice"} <= set(i) for i in own["items"])
    assert not any("answer" in i or "explanation" in i for i in own["items"])
    url = f"/api/leveltest/attempts/{run['attempt']}/report"
    theirs = (await client.get(url, headers=await abearer(teacher))).json()  # the learner's class teacher
    assert all("answer" in i and "explanation" in i for i in theirs["items"])


async def test_a_retake_prefers_items_the_learner_has_not_seen(client, student, worker):
    first = await take_test(client, student, lambda item: True, count=12)
    # A retake comes after LEVELTEST_RETAKE_HOURS: the first attempt was started that long ago.
    await Attempt.objects.filter(pk=first["attempt"]).aupdate(
        started_at=timezone.now() - timedelta(hours=settings.LEVELTEST_RETAKE_HOURS, minutes=1)
    )
    second = await take_test(client, student, lambda item: True, count=12)
    seen = [{a.item_id async for a in Answer.objects.filter(attempt_id=run["attempt"])} for run in (first, second)]
    assert len(seen[0]) == len(seen[1]) == 12 and not seen[0] & seen[1]
