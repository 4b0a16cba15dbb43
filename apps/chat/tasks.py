"""The chat's background jobs: the conversation analysis and speaking a tutor reply."""

from apps.jobs import queues
from apps.jobs.queues import ActorRef

ANALYSE = ActorRef("chat.analyse", queues.DEFAULT)
SPEAK = ActorRef("chat.speak", queues.DEFAULT)
