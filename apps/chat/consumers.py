from apps.chat.models import Conversation
from apps.chat.services import chat_group
from apps.core.consumers import GroupConsumer


class ChatConsumer(GroupConsumer):
    """``/ws/chat/{id}/``: streams the tutor's reply tokens (``chat.token``) and reply status (``chat.reply``)."""

    async def group_for(self, principal) -> str | None:
        conversation_id = self.scope["url_route"]["kwargs"]["conversation_id"]
        if not await Conversation.objects.for_user(principal.id).filter(pk=conversation_id).aexists():
            return None
        return chat_group(conversation_id)

    async def chat_token(self, event):
        await self.send_json({k: event[k] for k in ("type", "message_id", "index", "token")})

    async def chat_reply(self, event):
        await self.send_json({k: event[k] for k in ("type", "message_id", "status")})
