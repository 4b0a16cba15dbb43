"""Median, spread, band and trend from level histograms (level index -> count)."""

from apps.progress import figures


def test_the_median_and_spread_come_from_the_histogram():
    summary = figures.level_summary({0: 1, 2: 5, 3: 3, 4: 1})  # A1 x1, B1 x5, B2 x3, C1 x1
    assert summary == {"level": "B1", "band": "B1-B2", "low": "B1", "high": "B2", "samples": 10}


def test_a_clear_majority_gives_a_single_level_band():
    assert figures.level_summary({1: 9, 2: 1})["band"] == "A2"


def test_an_empty_histogram_has_no_level():
    assert figures.level_summary({}) == {"level": None, "band": None, "low": None, "high": None, "samples": 0}


def test_the_trend_is_the_least_squares_slope_of_the_weekly_means():
    assert figures.trend([1.0, 1.5, 2.0, 2.5]) == {"direction": "up", "per_week": 0.5}
    assert figures.trend([3.0, None, 2.0, None])["direction"] == "down"
    assert figures.trend([2.0, 2.05, 1.98, 2.0])["direction"] == "steady"
    assert figures.trend([None, None, 2.0, None]) == {"direction": None, "per_week": None}


def test_shares_sum_to_one_and_survive_an_empty_profile():
    assert figures.shares({"A1": 1, "A2": 3}) == {"A1": 0.25, "A2": 0.75}
    assert figures.shares({"A1": 0}) == {"A1": 0.0}
