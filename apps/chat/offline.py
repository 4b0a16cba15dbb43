"""The offline tutor: a LangChain chat model of this project that needs no network and no weights.

It answers from the learner's last message: a short acknowledgement, one correction it can detect
(``corrections.find_mistakes``), and a follow-up question from a bank that matches the learner's level (read from the
system prompt). It streams word by word like a real model and marks its replies ``offline`` in the metadata. It is
the embedded default so the product works on any machine; configure ``LLM_BASE_URL`` for a real model.
"""

import hashlib
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from apps.chat.corrections import find_mistakes

QUESTIONS = {
    "A": [
        "What do you like to do at the weekend?",
        "What is your favourite food?",
        "Can you tell me about your family?",
        "What did you do yesterday?",
        "Where do you live?",
        "What is the weather like today?",
    ],
    "B": [
        "What would you do if you had a free week?",
        "Have you ever been to another country? How was it?",
        "What do you think makes a good teacher?",
        "How has your town changed in the last few years?",
        "What are you planning to do next summer?",
    ],
    "C": [
        "To what extent do you think technology has changed the way people learn?",
        "How would you weigh the benefits of city life against its drawbacks?",
        "What is a belief you held strongly that you have since reconsidered?",
        "How should societies balance economic growth with protecting the environment?",
    ],
}
ACKS = {
    "A": ["Thank you!", "Nice!", "Good."],
    "B": ["Thanks for sharing.", "Interesting."],
    "C": ["That's a thoughtful point."],
}


def _level_band(messages: list[BaseMessage]) -> str:
    for message in messages:
        if isinstance(message, SystemMessage):
            match = re.search(r"level:\s*([ABC])[12]", str(message.content))
            if match:
                return match.group(1)
    return "A"


def compose_reply(learner_text: str, band: str, turn: int) -> str:
    """The offline tutor's reply to ``learner_text`` for a learner in level band A, B or C."""
    seed = int(hashlib.sha256(f"{learner_text}|{turn}".encode()).hexdigest(), 16)
    parts = [ACKS[band][seed % len(ACKS[band])]]
    mistakes = find_mistakes(learner_text)
    if mistakes:
        first = mistakes[0]
        parts.append(f'A small correction: say "{first.right}" instead of "{first.wrong}". {first.why}')
    parts.append(QUESTIONS[band][seed % len(QUESTIONS[band])])
    return " ".join(parts)


class OfflineTutorChatModel(BaseChatModel):
    """A deterministic, level-aware tutor that runs without network access."""

    model_name: str = "offline-tutor"

    @property
    def _llm_type(self) -> str:
        return "offline-tutor"

    def _reply(self, messages: list[BaseMessage]) -> str:
        human = [m for m in messages if isinstance(m, HumanMessage)]
        return compose_reply(str(human[-1].content) if human else "", _level_band(messages), len(human))

    def _metadata(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "offline": True}

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager: CallbackManagerForLLMRun | None = None,
                  **kwargs: Any) -> ChatResult:  # fmt: skip
        message = AIMessage(content=self._reply(messages), response_metadata=self._metadata())
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(self, messages: list[BaseMessage], stop=None, run_manager: CallbackManagerForLLMRun | None = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:  # fmt: skip
        for token in re.findall(r"\S+\s*", self._reply(messages)):
            yield ChatGenerationChunk(message=AIMessageChunk(content=token))
        yield ChatGenerationChunk(message=AIMessageChunk(content="", response_metadata=self._metadata()))

    async def _astream(self, messages: list[BaseMessage], stop=None,
                       run_manager: AsyncCallbackManagerForLLMRun | None = None,
                       **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:  # fmt: skip
        for chunk in self._stream(messages, stop, None, **kwargs):
            yield chunk
