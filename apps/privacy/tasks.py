"""The privacy app's background job: a learner's data export."""

from apps.jobs import queues
from apps.jobs.queues import ActorRef

EXPORT = ActorRef("privacy.export", queues.DEFAULT)
