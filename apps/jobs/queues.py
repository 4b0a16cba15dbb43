"""Queue names and actor references: the one name both ends of a message import.

An ``ActorRef`` is declared once, in the module of the app that owns the work (``apps/<app>/tasks.py``); the web side
sends with it (``jobs.submit(owner, kind, tasks.REPORT)``, ``broker.enqueue(tasks.PAGE, ...)``) and the worker side
declares the actor with it (``@job_actor(tasks.REPORT)``), so a misspelt name is an ``AttributeError`` at import, not
a message no worker takes.
"""

import dataclasses

CEFR = "cefr"  # CEFR classification: request/reply, someone waits
INTERACTIVE = "interactive"  # single images and the self-test: someone waits
DOCUMENTS = "documents"  # PDF and multi-image pages
DEFAULT = "default"  # reports, analyses, speech, exports
ALL = (CEFR, INTERACTIVE, DOCUMENTS, DEFAULT)


class UnknownQueue(ValueError):
    """Raised when an actor reference names a queue that is not one of ``ALL``."""


@dataclasses.dataclass(frozen=True)
class ActorRef:
    """An actor's name and the queue its messages go to by default."""

    name: str
    queue: str

    def __post_init__(self) -> None:
        if self.queue not in ALL:
            raise UnknownQueue(f"{self.name}: unknown queue {self.queue!r} (queues: {', '.join(ALL)})")

    def on(self, queue: str) -> "ActorRef":
        """The same actor, its message sent to ``queue`` (e.g. a single image's document work is interactive)."""
        return dataclasses.replace(self, queue=queue)
