"""The jobs app's own actor: the CPU self-test (``POST /api/jobs/selftest``, capacity checks, benchmarks)."""

from apps.jobs import queues
from apps.jobs.queues import ActorRef

SELFTEST_CPU = ActorRef("selftest.cpu", queues.INTERACTIVE)
