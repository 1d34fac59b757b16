"""Spike detection on synthetic daily series: the decisions an analyst expects."""

from __future__ import annotations

import math
import random

import pytest

from alerts.spikes import SpikeTest, assess, poisson_tail, rising_terms


def test_poisson_tail_matches_the_closed_form() -> None:
    lam = 3.0
    exact = 1 - sum(math.exp(-lam) * lam**i / math.factorial(i) for i in range(7))
    assert poisson_tail(7, lam) == pytest.approx(exact, rel=1e-9)
    assert poisson_tail(0, lam) == 1.0
    assert poisson_tail(2, lam) == pytest.approx(1 - math.exp(-lam) * (1 + lam), rel=1e-9)
    assert 0 < poisson_tail(1300, 1000.0) < 1e-15  # large means: no overflow, no wrong 0 or 1


def test_flat_series_is_no_spike() -> None:
    flat = [10] * 14
    for today in (8, 10, 12, 15):
        assert not assess(today, flat).spike


def test_slow_growth_is_no_spike() -> None:
    growing = [10 + i for i in range(14)]  # 10 … 23 stories a day
    decision = assess(25, growing)
    assert not decision.spike, decision.why
    assert decision.usual == pytest.approx(16.5)


def test_one_day_spike_is_a_spike() -> None:
    decision = assess(40, [10, 9, 11, 10, 12, 8, 10, 11, 9, 10, 10, 12, 9, 11])
    assert decision.spike, decision.why
    assert decision.p_value < 1e-6 and decision.ratio > 3.5


def test_low_volume_noise_is_no_spike() -> None:
    rng = random.Random(7)
    noise = [rng.choice([0, 0, 0, 1, 2]) for _ in range(14)]
    for today in (2, 3, 4):  # triple the usual, but a handful of stories is not a trend
        decision = assess(today, noise)
        assert not decision.spike, decision.why
        assert "minimum volume" in decision.why


def test_a_usually_silent_rule_with_a_burst_is_a_spike() -> None:
    assert assess(6, [0] * 14).spike
    assert not assess(6, [0] * 14, SpikeTest(min_volume=10)).spike


def test_missing_days_count_as_quiet_days() -> None:
    assert assess(12, [6, 6]).usual == pytest.approx(12 / 14)


def test_terms_that_rose_most() -> None:
    today = [
        "Trans-Caspian corridor cargo doubles",
        "Corridor talks in Baku",
        "Caspian corridor ferry deal signed",
        "Weather in Almaty",
    ]
    before = ["Caspian ferry schedule", "Almaty weather report", "Caspian summit"] * 3
    terms = rising_terms(today, before, 14)
    assert terms[0][0] == "corridor" and terms[0][1] == 3
    assert "weather" not in [t for t, _, _ in terms]  # in one of today's titles only
