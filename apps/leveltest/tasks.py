"""The level test's background job: the report of a submitted attempt."""

from apps.jobs import queues
from apps.jobs.queues import ActorRef

REPORT = ActorRef("leveltest.report", queues.DEFAULT)
