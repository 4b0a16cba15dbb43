from apps.chat.models import Conversation
from apps.chat.services import chat_group
from apps.core.consumers import JsonConsumer


class ChatConsumer(JsonConsumer):
    """``/ws/chat/{id}/``: streams the tutor's reply tokens (``chat.token``) and reply status (``chat.reply``)."""

    group: str | None = None

    async def connect(self):
        principal = self.scope.get("principal")
        if principal is None:
            await self.close(code=4401)
            return
        conversation_id = self.scope["url_route"]["kwargs"]["conversation_id"]
        if not await Conversation.objects.for_user(principal.id).filter(pk=conversation_id).aexists():
            await self.close(code=4404)
            return
        self.group = chat_group(conversation_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def chat_token(self, event):
        await self.send_json({k: event[k] for k in ("type", "message_id", "index", "token")})

    async def chat_reply(self, event):
        await self.send_json({k: event[k] for k in ("type", "message_id", "status")})
