from datetime import datetime

from django.conf import settings
from ninja import Field, Schema
from pydantic import field_validator

from apps.cefr import bands


class ConversationIn(Schema):
    topic: str = Field("", max_length=200)


class ConversationOut(Schema):
    id: int
    topic: str
    created_at: datetime
    last_activity_at: datetime
    learner_message_count: int
    level: str


class MessageIn(Schema):
    text: str

    @field_validator("text")
    @classmethod
    def _check_text(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("the message is empty")
        if len(text) > settings.CHAT_MAX_MESSAGE_CHARS:
            raise ValueError(f"the message has {len(text)} characters, the limit is {settings.CHAT_MAX_MESSAGE_CHARS}")
        return text


class CefrOut(Schema):
    level: str
    scores: dict[str, float]
    confidence: float | None = Field(..., description="probability of the most probable level")
    band: str = Field(..., description='what the learner is shown: "B1-B2" when the text sits between two levels')


class TokensOut(Schema):
    prompt: int | None
    completion: int | None


class MessageOut(Schema):
    id: int
    role: str
    text: str
    created_at: datetime
    status: str
    error: str
    cefr: CefrOut | None = None
    model_name: str
    latency_ms: int | None
    tokens: TokensOut
    metadata: dict

    @staticmethod
    def resolve_cefr(message) -> dict | None:
        if not message.cefr_level:
            return None
        scores, level = message.cefr_scores, message.cefr_level
        shown: dict[str, float | str | None] = {"confidence": None, "band": level}
        if scores:
            shown.update(bands.describe(scores, level))
        return {"level": level, "scores": scores or {}, **shown}

    @staticmethod
    def resolve_tokens(message) -> dict:
        return {"prompt": message.prompt_tokens, "completion": message.completion_tokens}


class TurnOut(Schema):
    message: MessageOut
    reply: MessageOut


class HistoryOut(Schema):
    messages: list[MessageOut]
    next_before: int | None


class AnalysisOut(Schema):
    id: int
    learner_messages: int
    level: str
    level_trend: list
    error_types: list
    vocabulary: dict
    recommendations: list
    source: str
    created_at: datetime


class AudioPending(Schema):
    job_id: str
    status: str
