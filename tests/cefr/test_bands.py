"""The band a learner sees: two neighbouring levels when the second is close to the first, else one level."""

import pytest

from apps.cefr.bands import BAND_RATIO, band, confidence, describe


def scores(**given: float) -> dict[str, float]:
    return {level: given.get(level, 0.0) for level in ("A1", "A2", "B1", "B2", "C1", "C2")}


def test_two_close_neighbours_make_a_band_lower_level_first():
    assert band(scores(B1=0.5, B2=0.4, A2=0.1)) == "B1-B2"
    assert band(scores(B2=0.5, B1=0.4, C1=0.1)) == "B1-B2"


def test_a_clear_winner_is_a_single_level():
    assert band(scores(B1=0.62, B2=0.3, A2=0.08)) == "B1"  # 0.30 < 0.5 x 0.62


def test_the_ratio_is_the_boundary():
    assert BAND_RATIO == 0.5
    assert band(scores(A2=0.6, A1=0.3, B1=0.1)) == "A1-A2"  # exactly half
    assert band(scores(A2=0.6, A1=0.29, B1=0.11)) == "A2"
    assert band(scores(A2=0.6, A1=0.29, B1=0.11), ratio=0.4) == "A1-A2"


def test_levels_that_are_not_neighbours_never_make_a_band():
    assert band(scores(A2=0.45, B2=0.44, B1=0.11)) == "A2"


def test_the_setting_sets_the_ratio(settings):
    close = scores(C1=0.55, C2=0.35, B2=0.1)
    assert band(close) == "C1-C2"
    settings.CEFR_BAND_RATIO = 0.7
    assert band(close) == "C1"


def test_a_level_shown_beside_the_band_is_always_in_it():
    mixed = scores(A2=0.4, B1=0.35, B2=0.25)
    assert band(mixed) == "A2-B1"
    assert band(mixed, level="B1") == "A2-B1"
    assert band(mixed, level="B2") == "B2"  # e.g. a writing sample's rounded expected level


def test_confidence_is_the_top_probability():
    assert confidence(scores(B1=0.7, B2=0.2, A2=0.1)) == pytest.approx(0.7)
    assert describe(scores(B1=0.7, B2=0.2, A2=0.1)) == {"confidence": pytest.approx(0.7), "band": "B1"}
