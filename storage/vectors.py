"""The same event across languages: a flat in-memory index of the window's story vectors.

Each stored article may carry a multilingual sentence embedding of its title and lead (unit
length, float32) and its *evidence*: the numbers, dates and clock times it names, and its names'
keys (made by ``crawler.extract.evidence``). A new article is weighed against every candidate
story among its nearest neighbours, with what the whole story says, not only its nearest
article: its closeness to the story is the mean of its two best cosines to the story's articles
(a copy of the event is close to more than one report of it); figures or dates that disagree with any of the story's articles keep it out however
close the wording (the same countries, another event); a figure or date shared with any of them
lets a lower similarity through, and so, a little less, does a name that is rare among the
window's articles (a place, a person, a company: not the region's countries) shared with any of
them — a story told in four languages gives a Kazakh or Uzbek copy four chances; a story that
has been quiet for half a day takes an article only on shared figures or near-identical
wording (the day after an event brings a follow-up: the agreement signed after the talks, the
loadings resumed after the strike); with no evidence on either side only a close pair joins.

The index is exact (a matrix product over every vector of the window: a few thousand articles a
week, a few milliseconds) and lives in the process; each backend feeds it the rows other
processes stored since it last looked, so nodes sharing a database see each other's articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storage.days import mention_time

DIM = 384
RARE = 0.05  # a name is rare in at most this share of the window's articles (or in 2)
NEIGHBOURS = 16  # nearest articles looked at
QUIET_S = 12 * 3600  # a story with nothing newer than this before the article is a day old


@dataclass(frozen=True)
class Thresholds:
    """The cosine similarity of two articles' title + lead embeddings an article needs to join a
    story, by what the evidence says; chosen on the labelled multilingual set in bench/stories/
    (``--holdout`` chooses them on half the events and measures on the other half; see
    docs/performance.md)."""

    agreeing: float = 0.85  # a figure, date or time shared with one of the story's articles
    shared_name: float = 0.90  # no figure agrees, but a rare name is in the story too
    one_sided: float = 0.91  # only one side names any figure or date
    no_evidence: float = 0.90  # neither does
    quiet: float = 0.93  # the story has been quiet for QUIET_S: no shared figure, a close copy


DEFAULT = Thresholds()


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


def _names(evidence: Iterable[str]) -> set[str]:
    return {key for key in evidence if key.startswith("p:")}


def disagree(a: Iterable[str], b: Iterable[str]) -> bool:
    """Two texts name different figures, or different dates or times: two events."""
    sa, _, ta = _kinds(a)
    sb, _, tb = _kinds(b)
    return bool((ta and tb and not ta & tb) or (sa and sb and not sa & sb))


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


def joins(
    cosine: float,
    keys: tuple[str, ...],
    story: list[tuple[str, ...]],
    rare: Callable[[str], bool],
    thresholds: Thresholds = DEFAULT,
    quiet: bool = False,
) -> bool:
    """Whether an article (its evidence ``keys``, its best ``cosine`` to the story) joins a
    story whose articles name ``story``; ``quiet``: the story has had nothing for half a day."""
    if any(disagree(keys, other) for other in story):
        return False
    sa, wa, ta = _kinds(keys)
    dated = bool(sa or ta)
    others_dated = False
    for other in story:
        sb, wb, tb = _kinds(other)
        if sa & sb or ta & tb or len(wa & wb) >= 2:
            return cosine >= thresholds.agreeing
        others_dated = others_dated or bool(sb or tb)
    if quiet:
        return cosine >= thresholds.quiet
    theirs = set().union(*(_names(other) for other in story))
    if any(rare(name) for name in _names(keys) & theirs):
        return cosine >= thresholds.shared_name
    if dated != others_dated:
        return cosine >= thresholds.one_sided
    return cosine >= thresholds.no_evidence


@dataclass(frozen=True)
class StoryVector:
    article_id: int
    story_id: int
    created_at: float
    vector: bytes
    evidence: tuple[str, ...]
    published: float = field(default=0.0)  # epoch seconds (the stored time without a date)


def story_cosine(cosines: np.ndarray) -> float:
    """How close an article is to a story: the mean of its two best cosines to the story's
    articles (the one when the story has one). A copy of the event is close to more than one of
    its reports; another event on the same night near one of them only is not (a summit, and an
    announcement at its margins)."""
    best = np.sort(cosines)[-2:]
    return float(best.mean())


def published_at(row: Sequence[Any]) -> float:
    """A stored row's article time (its ``published, fetched_at`` columns last), epoch seconds:
    the publication date, else when it was fetched."""
    return mention_time(row[-2], row[-1])[1]


def evidence_text(evidence: Iterable[str]) -> str:
    return " ".join(evidence)


def evidence_keys(text: str | None) -> tuple[str, ...]:
    return tuple((text or "").split())


class StoryIndex:
    """The window's story vectors, in memory: nearest neighbours by exact cosine."""

    def __init__(self, window_s: float, thresholds: Thresholds = DEFAULT) -> None:
        self.window_s = window_s
        self.thresholds = thresholds
        self.loaded_until = 0.0  # the newest created_at seen
        self._rows: dict[int, StoryVector] = {}
        self._matrix: np.ndarray | None = None
        self._order: list[StoryVector] = []
        self._names: Counter[str] = Counter()  # in how many of the window's articles

    def __len__(self) -> int:
        return len(self._rows)

    def since(self, now: float) -> float:
        """From which created_at the backend should read rows (a margin for transactions that
        committed late)."""
        return max(now - self.window_s, self.loaded_until - 60.0)

    def missing(self, article_ids: Iterable[int]) -> list[int]:
        """Which of these articles the index has not read yet."""
        return [i for i in article_ids if i not in self._rows]

    def add(self, rows: Iterable[StoryVector]) -> None:
        for row in rows:
            if row.article_id in self._rows or len(row.vector) != DIM * 4:
                continue
            self._rows[row.article_id] = row
            self._names.update(_names(row.evidence))
            self.loaded_until = max(self.loaded_until, row.created_at)
            self._matrix = None

    def _prune(self, now: float) -> None:
        cutoff = now - self.window_s
        old = [k for k, r in self._rows.items() if r.created_at < cutoff]
        for key in old:
            self._names.subtract(_names(self._rows.pop(key).evidence))
        if old:
            self._matrix = None

    def story_for(
        self,
        vector: bytes,
        evidence: Iterable[str],
        now: float,
        published: float | None = None,
    ) -> int | None:
        """The story of the nearest articles that reports the same event, if any (``published``:
        the article's time, epoch seconds; ``now`` without one)."""
        self._prune(now)
        if not self._rows or len(vector) != DIM * 4:
            return None
        if self._matrix is None:
            self._order = list(self._rows.values())
            self._matrix = np.frombuffer(
                b"".join(r.vector for r in self._order), dtype=np.float32
            ).reshape(len(self._order), DIM)
        query = np.frombuffer(vector, dtype=np.float32)
        sims = self._matrix @ query
        keys = tuple(evidence)
        when = now if published is None else published
        limit = max(2.0, RARE * len(self._rows))
        floor = min(
            self.thresholds.agreeing,
            self.thresholds.shared_name,
            self.thresholds.no_evidence,
            self.thresholds.one_sided,
        )

        def rare(name: str) -> bool:
            return self._names[name] <= limit

        seen: set[int] = set()
        for i in np.argsort(-sims)[:NEIGHBOURS]:
            cosine = float(sims[i])
            if cosine < floor:
                break
            story_id = self._order[int(i)].story_id
            if story_id in seen:
                continue  # its best cosine was weighed already
            seen.add(story_id)
            at = [k for k, r in enumerate(self._order) if r.story_id == story_id]
            members = [self._order[k] for k in at]
            quiet = when - max(r.published for r in members) > QUIET_S
            story = [r.evidence for r in members]
            if joins(story_cosine(sims[at]), keys, story, rare, self.thresholds, quiet):
                return story_id
        return None
