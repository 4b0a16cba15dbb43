"""The web side's waits (a job's event, a worker's reply, the tutor's model, the readiness checks) give the
request's admission slot back while they wait, and take it again after."""

import asyncio
import contextvars

from channels.layers import get_channel_layer

from apps.core import admission, waiting


async def another_request() -> bool:
    """Whether a request arriving now gets a slot (it waits at most ADMISSION_WAIT for one)."""
    async with admission.admitted() as ticket:
        return ticket.held


def in_its_own_context(coro) -> asyncio.Task:
    return asyncio.create_task(coro, context=contextvars.Context())  # a separate request, not a task of this one


async def test_a_request_waiting_for_a_message_lets_another_request_in(settings):
    settings.ADMISSION_SLOTS, settings.ADMISSION_WAIT = 1, 0.2
    async with admission.admitted() as ticket:
        assert ticket.held
        assert await in_its_own_context(another_request()) is False  # the one slot is ours: it waited in vain
        async with waiting.subscription("test.waiting.slot") as messages:
            receiving = asyncio.create_task(messages.receive(5))
            await asyncio.sleep(0.05)
            assert await in_its_own_context(another_request()) is True  # given back while we wait
            await get_channel_layer().group_send("test.waiting.slot", {"type": "test.message", "n": 1})
            assert (await receiving)["n"] == 1
        assert ticket.held  # and taken again once the message came


async def test_a_wait_without_a_message_ends_with_timeout_error(settings):
    settings.ADMISSION_SLOTS, settings.ADMISSION_WAIT = 1, 0.2
    async with admission.admitted() as ticket, waiting.subscription("test.waiting.quiet") as messages:
        started = asyncio.get_running_loop().time()
        try:
            await messages.receive(0.1)
        except TimeoutError:
            pass
        else:
            raise AssertionError("receive returned without a message")
        assert asyncio.get_running_loop().time() - started >= 0.1
        assert ticket.held


async def test_the_tutor_stream_gives_the_slot_back_while_the_model_answers(settings):
    from langchain_core.messages import HumanMessage, SystemMessage

    from apps.chat import llm

    settings.ADMISSION_SLOTS, settings.ADMISSION_WAIT = 1, 0.2
    settings.LLM_BASE_URL = ""  # the offline tutor
    held_while_streaming: list[bool] = []
    async with admission.admitted() as ticket:
        prompt = [SystemMessage("You are a tutor."), HumanMessage("Hello, I has a dog.")]
        await llm.stream(prompt, lambda chunk: held_while_streaming.append(ticket.held), timeout=5)
        assert ticket.held  # taken again after the stream
    assert held_while_streaming and not any(held_while_streaming)
