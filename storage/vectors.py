"""The same event across languages: a flat in-memory index of the window's story vectors.

Each stored article may carry a multilingual sentence embedding of its title and lead (unit
length, float32) and its *evidence*: the numbers, dates and clock times it names (keys made by
``crawler.extract.evidence``). An article joins the story of its nearest neighbour when the
cosine similarity is high enough for what the two texts' evidence says: a shared figure or date
lets a lower similarity through, and so, a little less, does a name that is rare among the
window's articles (a place, a person, a company: not the region's countries); figures or dates
that disagree keep two stories apart however close the wording (the same countries, another
event); with no evidence on either side only a very close pair joins. A story is joined only if none of its articles in the index disagrees.

The index is exact (a matrix product over every vector of the window: a few thousand articles a
week, a few milliseconds) and lives in the process; each backend feeds it the rows other
processes stored since it last looked, so nodes sharing a database see each other's articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

DIM = 384
# Thresholds on the cosine similarity of two articles' title + lead embeddings, fitted on the
# labelled multilingual set in bench/stories/ (see docs/performance.md).
AGREEING = 0.86  # a shared figure, date or time (or two shared small numbers)
ONE_SIDED = 0.93  # only one of the two names any figure or date
NO_EVIDENCE = 0.92  # neither does
SHARED_NAME = 0.91  # no figures agree, but a rare name is in both
RARE = 0.05  # a name is rare in at most this share of the window's articles (or in 2)
NEIGHBOURS = 16  # nearest articles looked at


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
) -> bool:
    """Whether two articles report one event, from their embeddings' cosine similarity and
    their evidence (figures, dates, times; names that are ``rare``)."""
    a, b = tuple(a), tuple(b)
    sa, wa, ta = _kinds(a)
    sb, wb, tb = _kinds(b)
    if (ta and tb and not ta & tb) or (sa and sb and not sa & sb):
        return False
    if sa & sb or ta & tb or len(wa & wb) >= 2:
        return cosine >= AGREEING
    if any(rare(name) for name in _names(a) & _names(b)):
        return cosine >= SHARED_NAME
    if bool(sa or ta) != bool(sb or tb):
        return cosine >= ONE_SIDED
    return cosine >= NO_EVIDENCE


@dataclass(frozen=True)
class StoryVector:
    article_id: int
    story_id: int
    created_at: float
    vector: bytes
    evidence: tuple[str, ...]


def evidence_text(evidence: Iterable[str]) -> str:
    return " ".join(evidence)


def evidence_keys(text: str | None) -> tuple[str, ...]:
    return tuple((text or "").split())


class StoryIndex:
    """The window's story vectors, in memory: nearest neighbours by exact cosine."""

    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
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

    def story_for(self, vector: bytes, evidence: Iterable[str], now: float) -> int | None:
        """The story of the nearest article that reports the same event, if any."""
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
        limit = max(2.0, RARE * len(self._rows))

        def rare(name: str) -> bool:
            return self._names[name] <= limit

        top = np.argsort(-sims)[:NEIGHBOURS]
        for i in top:
            cosine = float(sims[i])
            if cosine < AGREEING:
                break
            row = self._order[int(i)]
            if not same_event(cosine, keys, row.evidence, rare):
                continue
            members = (r for r in self._order if r.story_id == row.story_id)
            if any(disagree(keys, m.evidence) for m in members):
                continue
            return row.story_id
        return None
