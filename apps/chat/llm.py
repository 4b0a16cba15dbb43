"""The tutor's chat model: any OpenAI-compatible endpoint through langchain-openai, or the offline tutor."""

import asyncio
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessageChunk
from pydantic import SecretStr

from apps.chat.offline import OfflineTutorChatModel
from apps.core import admission


@lru_cache(maxsize=4)
def _build(base_url: str, model: str, api_key: str, timeout: float, retries: int, max_tokens: int) -> BaseChatModel:
    if not base_url:
        return OfflineTutorChatModel()
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(  # type: ignore[call-arg]
        base_url=base_url,
        model=model,
        api_key=SecretStr(api_key or "not-needed"),
        timeout=timeout,
        max_retries=retries,
        max_tokens=max_tokens,
        temperature=settings.LLM_TEMPERATURE,
        stream_usage=True,
    )


def chat_model() -> BaseChatModel:
    """The configured chat model (built once per settings)."""
    return _build(
        settings.LLM_BASE_URL,
        settings.LLM_MODEL,
        settings.LLM_API_KEY,
        settings.LLM_TIMEOUT,
        settings.LLM_MAX_RETRIES,
        settings.LLM_MAX_TOKENS,
    )


def is_offline() -> bool:
    return not settings.LLM_BASE_URL


async def stream(prompt: list[Any], take: Callable[[AIMessageChunk], None], *, timeout: float) -> None:
    """Stream the chat model's reply to ``prompt`` into ``take``, chunk by chunk; raises ``TimeoutError`` after
    ``timeout`` seconds and what the model's client raises.

    Waiting for the model is not CPU work: the request's admission slot is given back for the whole stream (and taken
    again after it, outside the timeout).
    """
    async with admission.released(), asyncio.timeout(timeout):
        async for chunk in chat_model().astream(prompt):
            take(chunk)  # type: ignore[arg-type]
