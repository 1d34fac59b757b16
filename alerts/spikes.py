"""Is a rule's coverage rising? A pure test of today's count against the rule's own baseline.

Today's stories are compared with the previous days' (14 by default) under a Poisson model: a
spike is a count that the baseline's daily mean makes very unlikely (upper-tail probability
below ``alpha``), at least ``min_ratio`` times that mean and at least ``min_volume`` stories
(a handful of stories is never a trend, whatever the baseline). A quiet baseline counts as
``floor`` stories a day, so one day's noise on a rule that is usually silent is not a spike.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SpikeTest:
    baseline_days: int = 14
    min_volume: int = 5
    alpha: float = 0.001
    min_ratio: float = 2.0
    floor: float = 0.5


@dataclass(frozen=True)
class SpikeDecision:
    today: int
    usual: float  # the baseline's daily mean
    p_value: float  # P(X >= today) for X ~ Poisson(max(usual, floor))
    spike: bool
    why: str

    @property
    def ratio(self) -> float:
        return self.today / max(self.usual, 1e-9)


def poisson_tail(k: int, lam: float) -> float:
    """P(X >= k) for X ~ Poisson(lam), accurate in the far tail (summed in log space)."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    if k <= lam:  # not in the upper tail: 1 - P(X < k)
        below = sum(math.exp(-lam + i * math.log(lam) - math.lgamma(i + 1)) for i in range(k))
        return max(0.0, 1.0 - below)
    total, i = 0.0, k
    while True:
        term = math.exp(-lam + i * math.log(lam) - math.lgamma(i + 1))
        total += term
        if term < total * 1e-12 or term == 0.0:
            return min(1.0, total)
        i += 1


def assess(today: int, baseline: Sequence[int], test: SpikeTest = SpikeTest()) -> SpikeDecision:
    """Today's count against the baseline days' counts (missing days count as 0)."""
    days = list(baseline)[-test.baseline_days :]
    days += [0] * (test.baseline_days - len(days))
    usual = sum(days) / len(days) if days else 0.0
    lam = max(usual, test.floor)
    p = poisson_tail(today, lam)
    if today < test.min_volume:
        why = f"{today} < minimum volume {test.min_volume}"
    elif today < test.min_ratio * lam:
        why = f"{today} is under {test.min_ratio:g}× the usual {usual:.1f}"
    elif p >= test.alpha:
        why = f"p = {p:.2g} is not below {test.alpha:g}"
    else:
        return SpikeDecision(today, usual, p, True, f"{today} vs usual {usual:.1f} (p = {p:.1g})")
    return SpikeDecision(today, usual, p, False, why)


# Words that say nothing about what rose (en, ru); short words are dropped anyway.
_STOP = frozenset(
    [
        "about",
        "after",
        "again",
        "against",
        "also",
        "amid",
        "among",
        "been",
        "before",
        "being",
        "between",
        "could",
        "during",
        "from",
        "have",
        "into",
        "more",
        "news",
        "over",
        "said",
        "says",
        "than",
        "that",
        "their",
        "them",
        "there",
        "these",
        "they",
        "this",
        "those",
        "under",
        "were",
        "what",
        "when",
        "which",
        "while",
        "will",
        "with",
        "would",
        "year",
        "years",
        "today",
        "week",
        "будет",
        "более",
        "было",
        "были",
        "быть",
        "года",
        "году",
        "годы",
        "если",
        "есть",
        "как",
        "когда",
        "который",
        "которые",
        "между",
        "может",
        "после",
        "против",
        "свои",
        "также",
        "только",
        "этом",
        "этот",
        "этой",
    ]
)
_WORD = re.compile(r"[^\W\d_]{4,}")


def _terms(title: str) -> set[str]:
    return {w for w in (x.casefold() for x in _WORD.findall(title)) if w not in _STOP}


def rising_terms(
    today_titles: Iterable[str],
    baseline_titles: Iterable[str],
    baseline_days: int,
    limit: int = 5,
    exclude: str = "",
) -> list[tuple[str, int, float]]:
    """The title words that rose most today: (term, today's titles with it, usual per day),
    words of at least two of today's titles, by how much they exceed their daily usual. The
    words of ``exclude`` (the rule's own query) are left out: they are why the titles match."""
    known = _terms(exclude)
    now = Counter(t for title in today_titles for t in _terms(title) - known)
    before = Counter(t for title in baseline_titles for t in _terms(title))
    days = max(1, baseline_days)
    scored = [
        (term, n, before[term] / days)
        for term, n in now.items()
        if n >= 2 and n > before[term] / days
    ]
    scored.sort(key=lambda x: (-(x[1] + 1) / (x[2] + 1), -x[1], x[0]))
    return scored[:limit]
