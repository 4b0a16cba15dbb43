"""The tutor's chat model: any OpenAI-compatible endpoint through langchain-openai, or the offline tutor."""

from functools import lru_cache

from django.conf import settings
from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr

from apps.chat.offline import OfflineTutorChatModel


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
