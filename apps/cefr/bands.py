"""What a learner is shown of a CEFR result: the top probability (``confidence``) and a level or a two-level band.

The band rule: when the two most probable levels are neighbours and the second has at least ``CEFR_BAND_RATIO``
(default ``BAND_RATIO``, 0.5) of the first one's probability, the text sits between them and the band names both,
lower first ("B1-B2"); otherwise the band is the single most probable level. Scores must be calibrated
probabilities (the model's temperature is applied in the worker) for the ratio to mean the same for every model.
Derived from ``scores`` alone, so results cached or stored before bands existed get theirs when read.

Why 0.5 (bench/results/cefr-bands.json, dev set, the calibrated model, temperature 1.30): "the second level is at
least half as likely as the first" reads plainly, and it shows a band for 31% of sentences, half as often as the two
annotators disagree (63%); the shown level or band then shares a level with the annotators' range for 89.4% of
sentences against 83.5% for the single level (0.3: 60% banded; 0.7: 15% banded, 87.0%). A temperature above 1
brings the top two closer, so rerun ``python -m bench.cefr_bands`` after recalibrating.
"""

from django.conf import settings

from apps.cefr.levels import LEVEL_INDEX, LEVELS

BAND_RATIO = 0.5


def band_ratio() -> float:
    """The configured ratio (``CEFR_BAND_RATIO``), BAND_RATIO when the setting is absent."""
    return float(getattr(settings, "CEFR_BAND_RATIO", BAND_RATIO))


def confidence(scores: dict[str, float]) -> float:
    """The probability of the most probable level."""
    return max(scores.values())


def band(scores: dict[str, float], level: str | None = None, ratio: float | None = None) -> str:
    """Return "B1-B2" or "B1" for ``scores`` (see the module's rule; ``ratio`` defaults to ``band_ratio()``).

    ``level``, when given, is the level already shown beside the band (the writing sample's level is the rounded
    expected level, which may not be the most probable one): a band that does not contain it is replaced by it.
    """
    ratio = band_ratio() if ratio is None else ratio
    first, second = sorted(LEVELS, key=lambda lvl: scores.get(lvl, 0.0), reverse=True)[:2]
    low, high = sorted((first, second), key=LEVEL_INDEX.__getitem__)
    paired = LEVEL_INDEX[high] - LEVEL_INDEX[low] == 1 and scores.get(second, 0.0) >= ratio * scores[first]
    shown = f"{low}-{high}" if paired else first
    if level is not None and level not in shown.split("-"):
        return level
    return shown


def describe(scores: dict[str, float], level: str | None = None) -> dict[str, float | str]:
    """``{"confidence": p, "band": "B1-B2"}`` for ``scores`` (the fields the API adds beside level and scores)."""
    return {"confidence": confidence(scores), "band": band(scores, level)}
