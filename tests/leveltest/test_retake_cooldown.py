"""A retake waits LEVELTEST_RETAKE_HOURS after the learner's last started attempt, and concurrent starts make one."""

import asyncio
import time
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from apps.leveltest import services
from apps.leveltest.models import Attempt
from tests.conftest import abearer
from tests.leveltest.conftest import take_test

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/leveltest/attempts"


@pytest.fixture(autouse=True)
def _cooldown(settings):
    settings.LEVELTEST_RETAKE_HOURS = 24
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "leveltest": 1_000}


async def backdate(attempt_id: str, hours: float) -> None:
    await Attempt.objects.filter(pk=attempt_id).aupdate(started_at=timezone.now() - timedelta(hours=hours))


async def test_it_refuses_a_retake_within_the_window_with_409_saying_when(client, student):
    headers = await abearer(student)
    first = await client.post(URL, headers=headers)
    assert first.status_code == 201
    await backdate(first.json()["id"], hours=23)
    refused = await client.post(URL, headers=headers)
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "retake_too_soon"
    available_at = datetime.fromisoformat(error["detail"]["available_at"])
    assert timedelta(minutes=59) < available_at - timezone.now() <= timedelta(hours=1)
    retry_after = int(refused.headers["Retry-After"])
    assert 59 * 60 < retry_after <= 3600 and error["detail"]["retry_after"] == retry_after
    assert error["detail"]["last_attempt_id"] == first.json()["id"] and error["detail"]["last_attempt_open"] is True
    assert available_at.isoformat(timespec="seconds") in error["message"]
    assert await Attempt.objects.filter(learner=student).acount() == 1


async def test_the_open_attempt_goes_on_while_a_retake_is_refused(client, student):
    headers = await abearer(student)
    attempt = (await client.post(URL, headers=headers)).json()["id"]
    assert (await client.post(URL, headers=headers)).status_code == 409
    nxt = (await client.get(f"{URL}/{attempt}/next", headers=headers)).json()
    answered = await client.put(f"{URL}/{attempt}/answers/{nxt['id']}", json={"choice": 0}, headers=headers)
    assert answered.status_code == 200


async def test_it_allows_a_retake_once_the_window_has_passed(client, student):
    headers = await abearer(student)
    first = (await client.post(URL, headers=headers)).json()["id"]
    await backdate(first, hours=24.01)
    second = await client.post(URL, headers=headers)
    assert second.status_code == 201, second.text
    assert second.json()["id"] != first
    assert (await client.post(URL, headers=headers)).status_code == 409  # the window starts again from the retake


async def test_the_window_counts_from_the_last_started_attempt_submitted_or_not(client, student):
    run = await take_test(client, student, lambda item: True, count=12)
    submitted = await client.post(f"{URL}/{run['attempt']}/submit", headers=run["headers"])
    assert submitted.status_code == 202
    refused = await client.post(URL, headers=run["headers"])
    assert refused.status_code == 409 and refused.json()["error"]["detail"]["last_attempt_open"] is False
    await backdate(run["attempt"], hours=30)
    abandoned = await Attempt.objects.acreate(learner=student)  # started after the submitted one, never finished
    await backdate(str(abandoned.pk), hours=2)
    refused = await client.post(URL, headers=run["headers"])
    assert refused.status_code == 409
    assert refused.json()["error"]["detail"]["last_attempt_id"] == str(abandoned.pk)
    assert 21 * 3600 < int(refused.headers["Retry-After"]) <= 22 * 3600


async def test_another_learner_is_not_held_back(client, student, other_student):
    assert (await client.post(URL, headers=await abearer(student))).status_code == 201
    assert (await client.post(URL, headers=await abearer(other_student))).status_code == 201
    assert (await client.post(URL, headers=await abearer(student))).status_code == 409


async def test_zero_hours_turns_the_wait_off(client, student, settings):
    settings.LEVELTEST_RETAKE_HOURS = 0
    headers = await abearer(student)
    for _ in range(3):
        assert (await client.post(URL, headers=headers)).status_code == 201
    assert await Attempt.objects.filter(learner=student).acount() == 3


async def test_concurrent_starts_create_one_attempt(client, student, monkeypatch):
    """Each start reads the last attempt slowly (as under load), so without the per-learner lock every request would
    find none and create one."""
    real = services._last_attempt

    def slow_last_attempt(learner_id):
        found = real(learner_id)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(services, "_last_attempt", slow_last_attempt)
    headers = await abearer(student)
    responses = await asyncio.gather(*(client.post(URL, headers=headers) for _ in range(6)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409, 409, 409, 409, 409], [r.text for r in responses]
    assert await Attempt.objects.filter(learner=student).acount() == 1
