"""A full analysis of a conversation (run by the ``chat.analyse`` actor): level trend, frequent errors, vocabulary
range and recommendations - written by the LLM when one is configured, from the statistics otherwise."""

import json
import logging
from collections import Counter

from django.conf import settings

from apps.chat.corrections import find_mistakes
from apps.chat.models import Conversation, Role
from apps.core.levels import LEVELS

logger = logging.getLogger(__name__)
WINDOW = 10
TIPS = {
    "agreement": "Practise the present simple with he/she/it: 'she works', 'he goes'.",
    "articles": "Review 'a' and 'an': the sound of the next word decides.",
    "verb forms": "After did/didn't, always use the base verb: 'I didn't go'.",
    "comparatives": "Short adjectives take -er ('bigger'); long ones take 'more' ('more interesting'), never both.",
    "capitals": "Write 'I' as a capital and start each sentence with a capital letter.",
    "punctuation": "Finish each sentence with a full stop or a question mark.",
    "repetition": "Read your message once before sending it to catch repeated words.",
}


def level_trend(levels: list[float]) -> list[dict]:
    """Mean level per window of WINDOW learner messages: ``[{"from", "to", "level", "score"}]``."""
    trend = []
    for start in range(0, len(levels), WINDOW):
        window = levels[start : start + WINDOW]
        score = sum(window) / len(window)
        trend.append(
            {"from": start + 1, "to": start + len(window), "level": LEVELS[round(score)], "score": round(score, 2)}
        )
    return trend


def error_types(texts: list[str]) -> list[dict]:
    """The rule-detected mistake kinds, most frequent first, each with one example."""
    counts: Counter[str] = Counter()
    examples: dict[str, dict[str, str]] = {}
    for text in texts:
        for mistake in find_mistakes(text):
            counts[mistake.kind] += 1
            examples.setdefault(mistake.kind, {"wrong": mistake.wrong, "right": mistake.right})
    return [{"type": kind, "count": n, "example": examples[kind]} for kind, n in counts.most_common()]


def vocabulary_range(texts: list[str]) -> dict:
    from apps.ocr.vocabulary import vocabulary

    words = vocabulary(" ".join(texts))
    total = sum(w["count"] for w in words)
    by_level = Counter(w["cefr"] for w in words)
    return {
        "distinct_words": len(words),
        "total_words": total,
        "type_token_ratio": round(len(words) / total, 3) if total else 0.0,
        "by_level": dict(sorted(by_level.items())),
    }


def statistical_recommendations(level: str, errors: list[dict], vocab: dict) -> list[str]:
    tips = [TIPS[e["type"]] for e in errors[:3] if e["type"] in TIPS]
    advanced = sum(n for lvl, n in vocab.get("by_level", {}).items() if lvl in {"B2", "C1", "C2"})
    if vocab.get("distinct_words") and advanced / vocab["distinct_words"] < 0.1:
        tips.append("Try to use a few new, less common words in each message.")
    next_level = LEVELS[min(LEVELS.index(level) + 1, 5)] if level else "A2"
    tips.append(f"Your messages read at about {level or 'A2'}; aim for {next_level} with longer, linked sentences.")
    return tips


def llm_recommendations(summary: dict) -> list[str] | None:
    """Three recommendations from the configured LLM, or ``None`` when none is configured or it fails."""
    from apps.chat.llm import chat_model, is_offline

    if is_offline():
        return None
    prompt = (
        "You are an English teacher. From this analysis of a learner's chat messages, give exactly three short, "
        f"concrete recommendations as a JSON list of strings, nothing else.\n{json.dumps(summary)}"
    )
    try:
        reply = chat_model().invoke(prompt)
        tips = json.loads(str(reply.content))
    except Exception as exc:
        logger.warning("LLM recommendations failed, using statistics: %s", exc)
        return None
    return [str(t) for t in tips][:5] if isinstance(tips, list) and tips else None


def analyse(conversation: Conversation) -> dict:
    """Everything an ``Analysis`` row holds, computed from the learner's messages so far."""
    messages = list(conversation.messages.filter(role=Role.LEARNER).order_by("id"))
    texts = [m.text for m in messages]
    levels = [m.cefr_value for m in messages if m.cefr_value is not None]
    summary: dict = {
        "learner_messages": len(messages),
        "level": conversation.level,
        "level_trend": level_trend(levels),
        "error_types": error_types(texts),
        "vocabulary": vocabulary_range(texts),
    }
    llm_tips = llm_recommendations(summary) if settings.LLM_BASE_URL else None
    summary["recommendations"] = llm_tips or statistical_recommendations(
        conversation.level, summary["error_types"], summary["vocabulary"]
    )
    summary["source"] = "llm" if llm_tips else "statistics"
    return summary
