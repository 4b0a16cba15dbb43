"""The CEFR classifier's actor reference: request/reply (``apps.jobs.rpc``), no Job row."""

from apps.jobs import queues
from apps.jobs.queues import ActorRef

CLASSIFY = ActorRef("cefr.classify", queues.CEFR)
