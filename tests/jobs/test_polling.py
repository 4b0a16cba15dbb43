"""Idle polling: only the queues requests wait on are polled often; the rest back off to Dramatiq's 1 s."""

import dramatiq.worker

import actors


def consumer(queue_name, worker_timeout=1000):
    return dramatiq.worker.ConsumerThread(
        broker=dramatiq.get_broker(), queue_name=queue_name, prefetch=1, work_queue=None, worker_timeout=worker_timeout
    )


def test_fast_queues_poll_every_worker_poll_ms_and_the_rest_every_second(settings):
    assert dramatiq.worker.ConsumerThread is actors.PollingConsumerThread  # what Worker._add_consumer builds
    settings.WORKER_POLL_MS, settings.WORKER_FAST_QUEUES = 50, ["cefr", "interactive"]
    assert consumer("cefr").worker_timeout == 50 and consumer("interactive").worker_timeout == 50
    assert consumer("documents").worker_timeout == 1000 and consumer("default").worker_timeout == 1000
    assert consumer("cefr.DQ").worker_timeout == 1000  # delay queues: retries, not requests
    assert consumer("cefr", worker_timeout=20).worker_timeout == 20  # never slower than asked


def test_the_worker_command_sets_the_common_idle_timeout_to_a_second(settings, monkeypatch):
    from apps.core.management.commands import worker

    monkeypatch.setattr(worker.os, "execv", lambda *args: (_ for _ in ()).throw(SystemExit(0)))
    monkeypatch.setattr(worker.os, "nice", lambda n: None)
    monkeypatch.delenv("dramatiq_worker_timeout", raising=False)
    settings.REDIS_URL = settings.REDIS_URL or "redis://127.0.0.1:6379/15"
    try:
        worker.Command().handle(pool="cefr")
    except SystemExit:
        pass
    assert worker.os.environ["dramatiq_worker_timeout"] == "1000"
