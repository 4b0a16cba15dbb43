from apps.core.consumers import GroupConsumer
from apps.jobs.events import user_group


class EventsConsumer(GroupConsumer):
    """``/ws/events/``: pushes the caller's ``job.progress``, ``job.done`` and ``job.failed`` events as JSON."""

    async def group_for(self, principal) -> str:
        return user_group(principal.id)

    async def job_event(self, message):
        await self.send_json(message["event"])
