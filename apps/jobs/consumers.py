from apps.core.consumers import JsonConsumer
from apps.jobs.events import user_group


class EventsConsumer(JsonConsumer):
    """``/ws/events/``: pushes the caller's ``job.progress``, ``job.done`` and ``job.failed`` events as JSON."""

    group: str | None = None

    async def connect(self):
        principal = self.scope.get("principal")
        if principal is None:
            await self.close(code=4401)
            return
        self.group = user_group(principal.id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def job_event(self, message):
        await self.send_json(message["event"])
