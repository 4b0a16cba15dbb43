from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse
from django.shortcuts import aget_object_or_404
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from apps.accounts.auth import caller, jwt_auth
from apps.chat import services, speech
from apps.chat.models import Analysis, Conversation, Message, ReplyStatus, Role
from apps.chat.pagination import HistoryPagination
from apps.chat.schemas import (
    AnalysisOut,
    AudioPending,
    ConversationIn,
    ConversationOut,
    MessageIn,
    MessageOut,
    TurnOut,
)
from apps.core.errors import Conflict
from apps.core.pagination import ListPagination
from apps.core.ratelimit import limit_user

router = Router(tags=["chat"], auth=jwt_auth)


async def _conversation(request: HttpRequest, conversation_id: int) -> Conversation:
    return await aget_object_or_404(Conversation.objects.for_user(caller(request).id), pk=conversation_id)


@router.post("/chat/conversations", response={201: ConversationOut}, summary="Start a conversation with the tutor")
async def create_conversation(request: HttpRequest, payload: ConversationIn):
    conversation = await Conversation.objects.acreate(learner_id=caller(request).id, topic=payload.topic.strip())
    return Status(201, conversation)


@router.get("/chat/conversations", response=list[ConversationOut], summary="The caller's conversations")
@paginate(ListPagination)
async def list_conversations(request: HttpRequest):
    return Conversation.objects.for_user(caller(request).id)


@router.get("/chat/conversations/{int:conversation_id}", response=ConversationOut, summary="One conversation")
async def get_conversation(request: HttpRequest, conversation_id: int):
    return await _conversation(request, conversation_id)


@router.post(
    "/chat/conversations/{int:conversation_id}/messages",
    response=TurnOut,
    summary="Send a message: saved first, then CEFR-classified and answered by the tutor (tokens on the websocket)",
)
async def post_message(request: HttpRequest, conversation_id: int, payload: MessageIn):
    await limit_user("chat", caller(request).id)
    conversation = await _conversation(request, conversation_id)
    learner, reply = await services.post_message(conversation, payload.text)
    return {"message": learner, "reply": reply}


@router.post(
    "/chat/conversations/{int:conversation_id}/messages/{int:message_id}/retry",
    response=TurnOut,
    summary="Ask the tutor again for a failed reply (give the reply's or the learner message's id)",
)
async def retry_reply(request: HttpRequest, conversation_id: int, message_id: int):
    await limit_user("chat", caller(request).id)
    conversation = await _conversation(request, conversation_id)
    message = await aget_object_or_404(conversation.messages.all(), pk=message_id)
    if message.role == Role.LEARNER:
        message = await aget_object_or_404(Message.objects.all(), in_reply_to=message)
    if not await services.claim_retry(message):
        raise Conflict("Only a failed reply (or one stuck pending) can be retried")
    learner, reply = await services.retry(conversation, message)
    return {"message": learner, "reply": reply}


@router.get(
    "/chat/conversations/{int:conversation_id}/messages",
    response=list[MessageOut],
    summary="History, oldest first within a page; pass next_before as before= for older pages",
)
@paginate(HistoryPagination)
async def history(request: HttpRequest, conversation_id: int):
    return (await _conversation(request, conversation_id)).messages.all()


@router.get(
    "/chat/conversations/{int:conversation_id}/analyses",
    response=list[AnalysisOut],
    summary="Analyses of the conversation, newest first",
)
async def analyses(request: HttpRequest, conversation_id: int):
    conversation = await _conversation(request, conversation_id)
    return [a async for a in Analysis.objects.filter(conversation=conversation)]


@router.get(
    "/chat/messages/{int:message_id}/audio",
    response={200: None, 202: AudioPending},
    summary="The tutor reply as audio/wav; 202 with a job id while it is being synthesised",
)
async def audio(request: HttpRequest, message_id: int):
    qs = Message.objects.filter(
        conversation__learner_id=caller(request).id, role=Role.TUTOR, status=ReplyStatus.DONE
    ).exclude(text="")
    message = await aget_object_or_404(qs, pk=message_id)
    clip = await speech.clip_for(message, caller(request).id)
    if clip.audio:
        data = await sync_to_async(speech.read_audio, thread_sensitive=False)(clip)
        response = HttpResponse(data, content_type="audio/wav")
        response["Content-Disposition"] = f'inline; filename="reply-{message.pk}.wav"'
        return response
    return Status(202, {"job_id": str(clip.job_id), "status": clip.job.status if clip.job else "queued"})
