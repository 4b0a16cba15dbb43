"""Admission: at most ``ADMISSION_SLOTS`` API requests per web process run their CPU work at once.

A web process is one event loop. When fifty requests arrive together, each one's parsing, authentication,
validation and database work runs in turns on that loop, and everything else that needs the loop (the next
request's first bytes, a liveness probe, a websocket frame, a worker's answer) waits for the whole round: under a
burst the loop stalled for hundreds of milliseconds. Admission makes the rest wait their turn in a FIFO queue
instead, where waiting costs nothing, so the loop keeps turning and every request, once admitted, runs without
fifty others interleaved. Throughput does not change: the CPU work is the same, only its order.

A request gives its slot back while it waits for something slow that is not CPU (``released()``: a worker's answer,
the tutor's model, a job) and queues again afterwards. The gate is soft: a request that waited ``ADMISSION_WAIT``
seconds goes ahead without a slot, so a slow dependency holding slots (Redis timing out, say) degrades to the
ungated behaviour instead of a standstill.

``Server-Timing`` reports the two parts: ``queue`` (waiting for a slot) and ``app`` (from admission to response).
"""

import asyncio
import collections
import contextlib
import time
import weakref
from collections.abc import AsyncIterator, Callable
from contextvars import ContextVar
from dataclasses import dataclass

from asgiref.sync import markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from apps.core.metrics import ADMISSION_WAIT


class Gate:
    """A FIFO semaphore whose waits end after a timeout, and which cannot lose a slot to a cancelled waiter."""

    def __init__(self, slots: int):
        self.slots = self.free = slots
        self.waiters: collections.deque[asyncio.Future[bool]] = collections.deque()

    async def acquire(self, timeout: float) -> bool:
        """``True`` with a slot; ``False`` after ``timeout`` seconds without one."""
        if self.free > 0 and not self.waiters:
            self.free -= 1
            return True
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[bool] = loop.create_future()
        self.waiters.append(waiter)
        expiry = loop.call_later(timeout, _expire, waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.result():
                self.release()  # granted just as the request went away: pass the slot on
            raise
        finally:
            expiry.cancel()

    def release(self) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():  # timed-out and cancelled waiters are skipped
                waiter.set_result(True)  # the slot goes straight to the next in line
                return
        self.free += 1


def _expire(waiter: asyncio.Future[bool]) -> None:
    if not waiter.done():
        waiter.set_result(False)


_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Gate] = weakref.WeakKeyDictionary()


@dataclass
class Ticket:
    gate: Gate | None
    held: bool = False
    waits: int = 0  # how many tasks of this request are inside ``released()`` now
    closed: bool = False  # the request is over; work it left running (a chat turn) no longer takes slots


_ticket: ContextVar[Ticket | None] = ContextVar("admission_ticket", default=None)


def _gate() -> Gate | None:
    slots = settings.ADMISSION_SLOTS
    if slots <= 0:
        return None
    loop = asyncio.get_running_loop()
    gate = _gates.get(loop)
    if gate is None or gate.slots != slots:
        gate = _gates[loop] = Gate(slots)
    return gate


@contextlib.asynccontextmanager
async def admitted() -> AsyncIterator[Ticket]:
    """Hold a slot for the duration (the request's CPU work); yields the request's ticket."""
    gate = _gate()
    ticket = Ticket(gate)
    token = _ticket.set(ticket)
    try:
        if gate is not None:
            started = time.perf_counter()
            ticket.held = await gate.acquire(settings.ADMISSION_WAIT)
            ADMISSION_WAIT.observe(time.perf_counter() - started)
        yield ticket
    finally:
        ticket.closed = True
        if ticket.held and gate is not None:
            gate.release()
            ticket.held = False
        _ticket.reset(token)


@contextlib.asynccontextmanager
async def released() -> AsyncIterator[None]:
    """Give the current request's slot back while waiting on something that is not CPU; queue for it again after.

    Safe to nest and to use from several tasks of one request at once (``asyncio.gather``): the slot is given back
    when the first wait starts and taken again when the last one ends.
    """
    ticket = _ticket.get()
    if ticket is None or ticket.gate is None or ticket.closed:
        yield
        return
    ticket.waits += 1
    if ticket.held:
        ticket.gate.release()
        ticket.held = False
    try:
        yield
    finally:
        ticket.waits -= 1
        if ticket.waits == 0 and not ticket.held and not ticket.closed:
            held = await ticket.gate.acquire(settings.ADMISSION_WAIT)
            if held and ticket.closed:  # the request ended while this task queued: nobody would give it back
                ticket.gate.release()
            else:
                ticket.held = held


class AdmissionMiddleware:
    """First of ``API_MIDDLEWARE``: admits the request, then adds ``queue;dur=`` to ``Server-Timing``."""

    sync_capable = False
    async_capable = True

    def __init__(self, get_response: Callable):
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        async with admitted():
            queued = time.perf_counter() - started
            response = await self.get_response(request)
        timing = response.get("Server-Timing")
        queue = f"queue;dur={queued * 1000:.2f}"
        response["Server-Timing"] = f"{queue}, {timing}" if timing else queue
        return response
