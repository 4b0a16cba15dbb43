"""What the tutor is told: a system prompt that adapts to the learner's level, and the history within a budget."""

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, trim_messages

from apps.chat.models import Message, Role

GUIDANCE = {
    "A": "Use very short, simple sentences and common words. Ask one easy question at a time.",
    "B": "Use clear everyday English with some new vocabulary. Ask open questions about experiences and plans.",
    "C": "Speak naturally, with idiomatic and precise language. Discuss ideas in depth and challenge opinions.",
}


def system_prompt(level: str | None) -> str:
    """The tutor's instructions for a learner whose running estimate is ``level`` (None before the first one).

    Nothing the learner typed goes in here (the topic neither): the learner's words travel as the learner's
    messages, so they cannot rewrite the tutor's instructions."""
    level = level or "A2"
    return (
        "You are a friendly English tutor chatting with a learner.\n"
        f"Learner level: {level} (CEFR). {GUIDANCE[level[0]]}\n"
        "When the learner makes a mistake, correct the most important one briefly and kindly, "
        "quoting the right form. Then keep the conversation going with one follow-up question. "
        "Reply in at most three sentences."
    )


def approx_tokens(messages: list[BaseMessage]) -> int:
    """A tokenizer-free estimate (~4 characters a token), so nothing downloads a vocabulary at run time."""
    return sum(len(str(m.content)) // 4 + 4 for m in messages)


def build_prompt(level: str | None, topic: str, history: list[Message], budget: int) -> list[BaseMessage]:
    """System prompt, the topic the learner chose (as the learner's own words), then the most recent turns that fit
    ``budget`` tokens, ending with the learner's message."""
    turns: list[BaseMessage] = [
        HumanMessage(m.text) if m.role == Role.LEARNER else AIMessage(m.text) for m in history if m.text
    ]
    kept = trim_messages(
        turns, max_tokens=budget, token_counter=approx_tokens, strategy="last", start_on="human", include_system=False
    )
    opening: list[BaseMessage] = [HumanMessage(f"I would like to talk about: {topic}")] if topic else []
    return [SystemMessage(system_prompt(level)), *opening, *kept]
