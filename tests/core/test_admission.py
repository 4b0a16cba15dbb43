"""Admission: a FIFO gate on API requests' CPU work per web process, given back while they wait on workers/LLMs."""

import asyncio

import pytest

from apps.core import admission
from apps.core.admission import Gate
from tests.conftest import abearer


async def test_the_gate_is_fifo_and_hands_slots_straight_to_the_next_in_line():
    gate = Gate(1)
    assert await gate.acquire(1)
    order = []

    async def take(name):
        assert await gate.acquire(5)
        order.append(name)

    tasks = [asyncio.create_task(take(n)) for n in "abc"]
    await asyncio.sleep(0)
    for _ in range(3):
        gate.release()
        await asyncio.sleep(0.01)
    await asyncio.gather(*tasks)
    assert order == ["a", "b", "c"] and gate.free == 0
    gate.release()
    assert gate.free == 1


async def test_a_wait_ends_after_the_timeout_and_cancelled_waiters_lose_no_slot():
    gate = Gate(1)
    assert await gate.acquire(1)
    assert await gate.acquire(0.05) is False  # soft: the caller goes ahead without a slot
    waiter = asyncio.create_task(gate.acquire(5))
    await asyncio.sleep(0.01)
    gate.release()  # granted to the waiter...
    waiter.cancel()  # ...which is cancelled before it runs again
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert gate.free == 1  # the slot came back
    assert await gate.acquire(0.05) is True


async def test_requests_hold_slots_for_cpu_work_and_give_them_back_while_waiting(settings):
    settings.ADMISSION_SLOTS, settings.ADMISSION_WAIT = 2, 5
    inside, peak, waiting_peak = 0, 0, 0
    waiting = 0

    async def request():
        nonlocal inside, peak, waiting, waiting_peak
        async with admission.admitted():
            inside += 1
            peak = max(peak, inside)
            await asyncio.sleep(0.01)  # "CPU work" while holding the slot
            inside -= 1
            async with admission.released():  # e.g. awaiting a worker: the slot is free meanwhile
                waiting += 1
                waiting_peak = max(waiting_peak, waiting)
                await asyncio.sleep(0.1)
                waiting -= 1
            inside += 1
            peak = max(peak, inside)
            await asyncio.sleep(0.01)
            inside -= 1

    await asyncio.gather(*(request() for _ in range(8)))
    assert peak <= 2  # never more than ADMISSION_SLOTS doing CPU work at once
    assert waiting_peak >= 6  # but the waits overlapped: slots were given back while waiting
    assert admission._gate().free == 2


async def test_work_a_request_leaves_running_takes_no_slot_after_the_request_ends(settings):
    settings.ADMISSION_SLOTS, settings.ADMISSION_WAIT = 1, 5
    left_running: list[asyncio.Task] = []

    async def turn():  # e.g. a chat turn that goes on after its client went away
        async with admission.released():
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.05)  # CPU work after the wait, outside any request now
        async with admission.released():
            await asyncio.sleep(0.01)

    async with admission.admitted():
        left_running.append(asyncio.create_task(turn()))  # copies the request's context, ticket included
        await asyncio.sleep(0.01)
    await asyncio.gather(*left_running)
    assert admission._gate().free == 1  # no slot kept by the task the request left behind


@pytest.mark.django_db(transaction=True)
async def test_server_timing_reports_queue_and_app_time(client, student):
    response = await client.get("/api/me", headers=await abearer(student))
    assert response.status_code == 200
    timing = response.headers["Server-Timing"]
    assert timing.startswith("queue;dur=") and "app;dur=" in timing
