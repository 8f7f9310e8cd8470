"""Delivery performance from DORA metric answers."""

from __future__ import annotations

from fractions import Fraction

from assessment.engine.delivery import delivery_performance
from tests.catalog_builder import build, metric_hours, metric_percent


def catalog():
    return build(metrics=[metric_hours(), metric_percent()])


def test_band_answers_and_percentages():
    result = delivery_performance(catalog(), {"lead_time": "b1", "change_failure_rate": 15})
    lead, cfr = result.metrics
    # lead time: band b1 of 4 (best first) -> tier 4, quick check 10 * (3 - 1) / 3 = 20/3
    assert (lead.band, lead.tier, lead.quick_check) == ("b1", 4, Fraction(20, 3))
    # 15 % falls in [6, 21) -> tier 3; quick check 10 - 15/10 = 8.5
    assert (cfr.band, cfr.tier, cfr.quick_check) == ("p1", 3, Fraction(17, 2))
    assert result.throughput == Fraction(20, 3) and result.instability == Fraction(17, 2)
    assert result.quick_check == (Fraction(20, 3) + Fraction(17, 2)) / 2  # 91/12
    assert result.tier == 3  # median of 4 and 3 is 3.5, floored


def test_band_edges():
    low = delivery_performance(catalog(), {"change_failure_rate": 5}).metrics[1]
    high = delivery_performance(catalog(), {"change_failure_rate": 6}).metrics[1]
    worst = delivery_performance(catalog(), {"lead_time": "b3", "change_failure_rate": 100})
    assert (low.tier, high.tier) == (5, 3)
    assert worst.metrics[0].quick_check == 0 and worst.metrics[1].quick_check == 0
    assert worst.tier == 1


def test_unknown_and_missing_answers_are_left_out():
    result = delivery_performance(catalog(), {"lead_time": "unknown"})
    assert result.tier is None and result.quick_check is None
    assert result.metrics[0].answer == "unknown" and result.metrics[1].answer is None
