"""Whether an article reports the same event as a story: its embedding's closeness to the
story, weighed with what the texts name (``crawler.extract.evidence`` makes the keys).

Two reports of one event name the same actors and agree on figures and dates; two events on
one topic differ in an actor or a figure. So, in the same way in one language as across them:

- figures or dates that disagree with any of the story's articles keep the article out however
  close the wording (a figure counted in another unit is another figure: 1 million barrels,
  1 million tonnes);
- two facts that agree with one of its articles (two figures, a figure and the date) let the
  lowest similarity through, one a little more — unless each side names a rare actor the other
  does not;
- each side naming a country the other does not (a tariff agreed by Kazakhstan and
  Turkmenistan, pipeline talks between Turkmenistan and Azerbaijan) asks for the highest;
- a rare actor in common (a place, a person, a company, among the window's stories) lets a
  close pair through; each side with rare actors of its own and none in common asks for a
  near-identical text, and so does a story quiet for half a day (the day after an event brings
  a follow-up: the agreement signed after the talks, the loadings resumed after the strike);
- with nothing named either way, a close pair joins.

Every threshold is one base similarity plus a fixed step for its kind of evidence
(``Thresholds.from_base``): the steps are part of the design, the base is what
``bench/stories.py`` chooses on one half of its labelled events and measures on the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields

BASE = 0.86  # chosen on bench/stories/ (see docs/performance.md)
# How much more (or less) similar than the base an article must be to join, by what the
# evidence says: the more it agrees, the less wording it needs.
STEPS = {
    "agreeing_facts": -0.03,
    "agreeing": 0.0,
    "shared_name": 0.02,
    "no_evidence": 0.02,
    "agreeing_apart": 0.05,
    "one_sided": 0.06,
    "apart": 0.08,
    "quiet": 0.08,
    "other_country": 0.10,
}


def _at(kind: str, base: float = BASE) -> float:
    return round(base + STEPS[kind], 4)


@dataclass(frozen=True)
class Thresholds:
    """The cosine similarity of an article's title + lead embedding to a story an article needs
    to join it, by what the evidence says."""

    # two facts agree: two figures, or a figure and the date
    agreeing_facts: float = _at("agreeing_facts")
    # one figure or time agrees
    agreeing: float = _at("agreeing")
    # no figure agrees; a rare actor is in the story too
    shared_name: float = _at("shared_name")
    # neither side names a figure, a date or a rare actor
    no_evidence: float = _at("no_evidence")
    # a figure agrees, but each side has a rare actor the other lacks
    agreeing_apart: float = _at("agreeing_apart")
    # only one side names a figure or a time (a date alone is none)
    one_sided: float = _at("one_sided")
    # no figure agrees; each side has rare actors, none in common
    apart: float = _at("apart")
    # the story has been quiet for half a day, no figure agrees
    quiet: float = _at("quiet")
    # each side names a country the other does not
    other_country: float = _at("other_country")

    @classmethod
    def from_base(cls, base: float = BASE) -> Thresholds:
        return cls(**{f.name: _at(f.name, base) for f in fields(cls)})


DEFAULT = Thresholds.from_base()


def _kinds(evidence: Iterable[str]) -> tuple[set[str], set[str], set[str]]:
    strong: set[str] = set()
    weak: set[str] = set()
    when: set[str] = set()
    for key in evidence:
        kind = key[:2]
        if kind in ("d:", "t:"):
            when.add(key)
        elif kind in ("n:", "w:"):
            (strong if kind == "n:" else weak).add(key)
    return strong, weak, when


def names_of(evidence: Iterable[str]) -> set[str]:
    """The name keys (``p:``) among evidence keys."""
    return {key for key in evidence if key.startswith("p:")}


def _countries(evidence: Iterable[str]) -> set[str]:
    return {key for key in evidence if key.startswith("c:")}


def _shared(a: set[str], b: set[str]) -> bool:
    """Whether two sets of name keys share a name: the same key, or one key the start of the
    other (Баку and Бакинской, Бакуде)."""
    return any(x.startswith(y) or y.startswith(x) for x in a for y in b)


def _units(evidence: Iterable[str]) -> dict[str, set[str]]:
    """The units each figure is counted in (``u:500=mw``), by its ``n:`` key."""
    units: dict[str, set[str]] = {}
    for key in evidence:
        if key.startswith("u:"):
            figure, _, unit = key[2:].partition("=")
            units.setdefault("n:" + figure, set()).add(unit)
    return units


def _same_figures(a: Iterable[str], b: Iterable[str]) -> set[str]:
    """The figures two texts share, in the same unit where both name one (1 million barrels and
    1 million tonnes are not one figure)."""
    ua, ub = _units(a), _units(b)
    shared = _kinds(a)[0] & _kinds(b)[0]
    return {k for k in shared if not (ua.get(k) and ub.get(k)) or ua[k] & ub[k]}


def disagree(a: Iterable[str], b: Iterable[str]) -> bool:
    """Two texts name different figures, or different dates or times: two events."""
    sa, _, ta = _kinds(a)
    sb, _, tb = _kinds(b)
    return bool((ta and tb and not ta & tb) or (sa and sb and not _same_figures(a, b)))


def same_event(
    cosine: float,
    a: Iterable[str],
    b: Iterable[str],
    rare: Callable[[str], bool] = lambda name: False,
    thresholds: Thresholds = DEFAULT,
) -> bool:
    """Whether two articles report one event, from their embeddings' cosine similarity and
    their evidence (figures, dates, times; names that are ``rare``)."""
    return joins(cosine, tuple(a), [tuple(b)], rare, thresholds)


def _facts(evidence: Iterable[str]) -> tuple[set[str], set[str], set[str]]:
    """A text's figures and clock times, its weak figures, its dates."""
    strong, weak, when = _kinds(evidence)
    return strong | {k for k in when if k[0] == "t"}, weak, {k for k in when if k[0] == "d"}


def agreement(keys: Iterable[str], story: list[tuple[str, ...]]) -> int:
    """How many facts an article shares with the story article it agrees with most: figures and
    times (two or more shared weak figures count as one), and its date beside a shared figure —
    a date alone is shared by every event of the day."""
    _, weak, dates = _facts(keys)
    times = {k for k in keys if k.startswith("t:")}
    best = 0
    for other in story:
        _, w, d = _facts(other)
        shared = len(_same_figures(keys, other)) + len(times & set(other)) + (len(weak & w) >= 2)
        if shared:
            best = max(best, shared + bool(dates & d))
    return best


def joins(
    cosine: float,
    keys: tuple[str, ...],
    story: list[tuple[str, ...]],
    rare: Callable[[str], bool],
    thresholds: Thresholds = DEFAULT,
    quiet: bool = False,
) -> bool:
    """Whether an article (its evidence ``keys``, its best ``cosine`` to the story) joins a
    story whose articles name ``story``; ``quiet``: the story has had nothing for half a day.

    Figures or dates that disagree keep it out; each side naming a country the other does not
    asks for the most; two facts that agree (two figures, a figure and the date) let the lowest
    similarity through; a quiet story asks for a near-identical text unless two facts agree; one
    fact needs a little more than two — more still when each side names a rare actor the other
    does not (another place, company or person: another event on the same topic); then a rare
    actor in common, then rare actors and none in common, then whether one side only counts
    something."""
    if any(disagree(keys, other) for other in story):
        return False
    mine = {name for name in names_of(keys) if rare(name)}
    theirs = {name for other in story for name in names_of(other) if rare(name)}
    named = _shared(mine, theirs)
    here, there = _countries(keys), {c for other in story for c in _countries(other)}
    if here - there and there - here:  # each names a country the other does not
        return cosine >= thresholds.other_country
    apart = bool(mine and theirs and not named)
    agreed = agreement(keys, story)
    if agreed >= 2:
        return cosine >= thresholds.agreeing_facts
    if quiet:  # a day later one figure in common is not enough: the follow-up cites it too
        return cosine >= thresholds.quiet
    if agreed:
        return cosine >= (thresholds.agreeing_apart if apart else thresholds.agreeing)
    if named:
        return cosine >= thresholds.shared_name
    if apart:
        return cosine >= thresholds.apart
    # a date alone is no figure: only one side counting something is one-sided
    figured = bool(_facts(keys)[0])
    if figured != any(_facts(other)[0] for other in story):
        return cosine >= thresholds.one_sided
    return cosine >= thresholds.no_evidence


def mergeable(a: list[tuple[str, ...]], b: list[tuple[str, ...]]) -> bool:
    """Whether two stories one new report would join both of are one event split in two: one
    of their articles shares a figure with one of the other's, and no two disagree on a figure
    or a date (two events one report links — two meetings of one summit — stay apart)."""
    if any(disagree(x, y) for x in a for y in b):
        return False
    return any(_same_figures(x, y) for x in a for y in b)
