"""A consumer whose worker threads are all busy fetches the next message the moment one of them is free."""

import threading
import time
import uuid

import dramatiq
import pytest
import redis

from apps.jobs.broker import HandOffConsumer, HandOffRedisBroker


@pytest.fixture
def queue(settings):
    assert isinstance(dramatiq.get_broker(), HandOffRedisBroker)  # the services profile's broker
    # A broker of its own on the test Redis, so no worker another test started consumes this queue.
    client = redis.Redis.from_url(settings.REDIS_URL)
    broker = HandOffRedisBroker(namespace=f"{settings.REDIS_PREFIX}:handoff-{uuid.uuid4().hex[:8]}", client=client)
    name = "q"
    broker.declare_queue(name)
    yield broker, name
    broker.flush_all()
    broker.close()


def send(broker, queue_name: str, n: int) -> list[str]:
    return [
        broker.enqueue(
            dramatiq.Message(queue_name=queue_name, actor_name="noop", args=(i,), kwargs={}, options={})
        ).message_id
        for i in range(n)
    ]


def test_a_busy_consumer_takes_the_next_message_as_soon_as_the_current_one_is_acked(queue):
    broker, name = queue
    ids = send(broker, name, 2)
    consumer = broker.consume(name, prefetch=1, timeout=10_000)  # back-off up to 10 s between polls
    assert isinstance(consumer, HandOffConsumer)
    first = next(consumer)
    assert first is not None and first.message_id == ids[0]
    threading.Timer(0.2, consumer.ack, args=(first,)).start()
    started = time.monotonic()
    second = next(consumer) or next(consumer)  # the wait for a free slot ends at the ack, then the fetch
    waited = time.monotonic() - started
    assert second is not None and second.message_id == ids[1]
    assert 0.15 <= waited < 5, waited  # woken by the ack, not by the 10 s back-off
    consumer.ack(second)
    consumer.close()


def test_a_busy_consumer_still_returns_to_its_thread_every_second(queue):
    broker, name = queue
    send(broker, name, 2)
    consumer = broker.consume(name, prefetch=1, timeout=100)
    first = next(consumer)
    started = time.monotonic()
    assert next(consumer) is None  # nothing fetched while the one slot is taken: the thread checks for shutdown
    assert time.monotonic() - started < 2
    assert consumer.inner.outstanding_message_count == 1
    consumer.nack(first)
    consumer.close()


def test_an_idle_consumer_fetches_as_before(queue):
    broker, name = queue
    consumer = broker.consume(name, prefetch=1, timeout=50)
    assert next(consumer) is None  # empty queue: the Redis consumer's own poll back-off
    ids = send(broker, name, 2)
    first = next(consumer)
    assert first is not None and first.message_id == ids[0]
    consumer.ack(first)
    second = next(consumer)
    assert second is not None and second.message_id == ids[1]
    consumer.ack(second)
    consumer.close()


def test_a_consumer_with_messages_in_hand_is_dramatiqs_own(queue):
    broker, name = queue
    consumer = broker.consume(name, prefetch=2, timeout=50)  # the next message is buffered while one runs
    assert not isinstance(consumer, HandOffConsumer)
    ids = send(broker, name, 3)
    got = [next(consumer), next(consumer)]
    assert [m.message_id for m in got] == ids[:2]
    assert next(consumer) is None  # both prefetch slots taken
    for message in got:
        consumer.ack(message)
    consumer.close()
