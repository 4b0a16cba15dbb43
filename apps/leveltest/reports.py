"""Building the report of a submitted attempt (run by the ``leveltest.report`` actor)."""

from apps.cefr import bands
from apps.leveltest import scoring
from apps.leveltest.models import Attempt, Report, Skill


def build(attempt: Attempt) -> dict:
    """Overall level with its standard error, a level per skill, the answered items and the writing sample."""
    answers = list(attempt.answers.select_related("item"))
    theta, se = scoring.estimate((a.item.level, a.correct) for a in answers)
    skills = {}
    for skill in Skill.values:
        own = [a for a in answers if a.item.skill == skill]
        s_theta, s_se = scoring.estimate((a.item.level, a.correct) for a in own)
        skills[skill] = {
            "level": scoring.level_of(s_theta) if own else None,
            "theta": round(s_theta, 3),
            "standard_error": round(s_se, 3),
            "answered": len(own),
            "correct": sum(a.correct for a in own),
        }
    items = [
        {
            "key": a.item.key,
            "level": a.item.level,
            "skill": a.item.skill,
            "prompt": a.item.prompt,
            "choice": a.item.choices[a.choice],
            "answer": a.item.choices[a.item.answer],
            "correct": a.correct,
            "explanation": a.item.explanation,
        }
        for a in answers
    ]
    writing = getattr(attempt, "writing", None)
    return {
        "level": scoring.level_of(theta),
        "theta": round(theta, 3),
        "standard_error": round(se, 3),
        "skills": skills,
        "items": items,
        "writing": (
            with_band(
                {
                    "prompt": writing.prompt.prompt,
                    "text": writing.text,
                    "level": writing.level or None,
                    "scores": writing.scores,
                }
            )
            if writing
            else None
        ),
    }


def with_band(writing: dict | None) -> dict | None:
    """The writing part of a report with ``band`` and ``confidence`` (derived from its scores when a report written
    before bands existed lacks them; both None when the sample has no level)."""
    if writing is None or "band" in writing:
        return writing
    scores, level = writing.get("scores"), writing.get("level")
    shown: dict[str, float | str | None] = {"band": None, "confidence": None}
    if scores and level:
        shown.update(bands.describe(scores, level))
    return {**writing, **shown}


def save(attempt: Attempt) -> Report:
    """Store the report once (a redelivered message finds it and returns it)."""
    report, _ = Report.objects.get_or_create(attempt=attempt, defaults=build(attempt))
    return report
