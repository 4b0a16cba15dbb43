"""Adaptive scoring with a one-parameter (Rasch) IRT model, estimated by EAP on a grid.

Each item's difficulty is fixed by its CEFR level on the logit scale (A1 -2.5, A2 -1.5, B1 -0.5, B2 0.5, C1 1.5,
C2 2.5); the probability of a right answer is ``1 / (1 + exp(-(theta - b)))``. After every answer the learner's
ability ``theta`` is the mean of the posterior (a normal prior N(0, 1.5^2) times the likelihood of the answers so
far) and its standard error is the posterior's standard deviation, which narrows as answers accumulate. The next
item is an unanswered one whose difficulty is closest to ``theta`` (the most informative for a Rasch item). The
level reported is the highest one the learner has mastered: whose items they are predicted to answer right at least
60% of the time (``theta >= b + 0.405``), so a learner right up to B1 and wrong above is B1, not B2.
"""

import math
from collections.abc import Iterable

from apps.core.levels import LEVELS

DIFFICULTY = {level: -2.5 + i for i, level in enumerate(LEVELS)}
GRID = [-6 + i * 0.05 for i in range(241)]
PRIOR_SD = 1.5


def p_correct(theta: float, b: float) -> float:
    return 1 / (1 + math.exp(-(theta - b)))


def estimate(answers: Iterable[tuple[str, bool]]) -> tuple[float, float]:
    """``(theta, standard error)`` from ``(item level, answered right)`` pairs; the prior alone without answers."""
    log_post = [-(t * t) / (2 * PRIOR_SD**2) for t in GRID]
    for level, right in answers:
        b = DIFFICULTY[level]
        for i, t in enumerate(GRID):
            p = p_correct(t, b)
            log_post[i] += math.log(p if right else 1 - p)
    top = max(log_post)
    weights = [math.exp(v - top) for v in log_post]
    total = sum(weights)
    mean = sum(w * t for w, t in zip(weights, GRID, strict=True)) / total
    variance = sum(w * (t - mean) ** 2 for w, t in zip(weights, GRID, strict=True)) / total
    return mean, math.sqrt(variance)


MASTERY = 0.6
MASTERY_MARGIN = math.log(MASTERY / (1 - MASTERY))  # 0.405 logits above an item's difficulty


def level_of(theta: float) -> str:
    """The highest CEFR level whose items the learner answers right with probability >= MASTERY (A1 at least)."""
    mastered = [level for level in LEVELS if theta >= DIFFICULTY[level] + MASTERY_MARGIN]
    return mastered[-1] if mastered else LEVELS[0]


def closest_level(theta: float) -> str:
    return min(LEVELS, key=lambda level: abs(DIFFICULTY[level] - theta))
