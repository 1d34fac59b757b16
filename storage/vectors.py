"""The same event across languages: a flat in-memory index of the window's story vectors.

Each stored article may carry a multilingual sentence embedding of its title and lead (unit
length, float32) and its *evidence*: the figures (with their units), dates, times, countries and
names it names (keys made by ``crawler.extract.evidence``). A new article is weighed against
every candidate story among its nearest neighbours, with what the whole story says, not only
its nearest article: its closeness to the story is the mean of its two best cosines to the
story's articles (a copy of the event is close to more than one report of it), and what the
evidence says decides how close is close enough (``storage.story_decision``). A name is *rare*
when at most 5 % of the window's stories (or 2) name it; a sentence's first word (``q:``)
counts as a name only when the window knows it as one.

The index is exact (a matrix product over every vector of the window: a few thousand articles a
week, a few milliseconds) and lives in the process; each backend feeds it the rows other
processes stored since it last looked, so nodes sharing a database see each other's articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, field, replace
from typing import Any

import numpy as np

from storage.days import mention_time
from storage.story_decision import DEFAULT, Thresholds, joins, mergeable, names_of

__all__ = ["DEFAULT", "DIM", "StoryIndex", "StoryVector", "Thresholds"]

DIM = 384
RARE = 0.05  # a name is rare in at most this share of the window's stories (or in 2)
NEIGHBOURS = 16  # nearest articles looked at
QUIET_S = 12 * 3600  # a story with nothing newer than this before the article is a day old


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
        self._names: Counter[str] = Counter()  # in how many of the window's stories
        self._story_names: dict[int, Counter[str]] = {}  # a story's names: in how many articles

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
            named = self._story_names.setdefault(row.story_id, Counter())
            for name in names_of(row.evidence):
                self._names[name] += not named[name]
                named[name] += 1
            self.loaded_until = max(self.loaded_until, row.created_at)
            self._matrix = None

    def _prune(self, now: float) -> None:
        cutoff = now - self.window_s
        old = [k for k, r in self._rows.items() if r.created_at < cutoff]
        for key in old:
            row = self._rows.pop(key)
            named = self._story_names.get(row.story_id, Counter())
            for name in names_of(row.evidence):
                named[name] -= 1
                if not named[name]:
                    del named[name]
                    self._names[name] -= 1
            if not named:
                self._story_names.pop(row.story_id, None)
        if old:
            self._matrix = None

    def _resolve(self, evidence: Iterable[str]) -> tuple[str, ...]:
        """The evidence with a sentence's first word (``q:``) read as a name when the window
        knows it as one (``p:``), dropped otherwise."""
        return tuple(
            key if key[0] != "q" else "p:" + key[2:]
            for key in evidence
            if key[0] != "q" or self._names["p:" + key[2:]] > 0
        )

    def story_for(
        self,
        vector: bytes,
        evidence: Iterable[str],
        now: float,
        published: float | None = None,
    ) -> int | None:
        """The story of the nearest articles that reports the same event, if any (``published``:
        the article's time, epoch seconds; ``now`` without one)."""
        return next(self._joining(vector, evidence, now, published), None)

    def decide(
        self,
        vector: bytes,
        evidence: Iterable[str],
        now: float,
        published: float | None = None,
    ) -> tuple[int | None, list[int]]:
        """The story an article joins, and the other stories it would join that are one event
        split in two with it (``story_decision.mergeable``): the earliest of them is kept, the
        later ones are to be joined into it."""
        found = list(self._joining(vector, evidence, now, published))
        if not found:
            return None, []
        group = [found[0]]
        story = self._evidence_of(found[0])
        for other in found[1:]:
            theirs = self._evidence_of(other)
            if mergeable(story, theirs):
                group.append(other)
                story += theirs
        kept = min(group)
        return kept, sorted(s for s in group if s != kept)

    def merge(self, from_id: int, into_id: int) -> None:
        """A story joined another: its rows are the kept story's from now on."""
        moved = [r for r in self._rows.values() if r.story_id == from_id]
        if not moved:
            return
        into = self._story_names.setdefault(into_id, Counter())
        for name, count in self._story_names.pop(from_id, Counter()).items():
            if into[name]:
                self._names[name] -= 1  # two stories that named it are one now
            into[name] += count
        for row in moved:
            self._rows[row.article_id] = replace(row, story_id=into_id)
        self._matrix = None

    def _evidence_of(self, story_id: int) -> list[tuple[str, ...]]:
        return [self._resolve(r.evidence) for r in self._rows.values() if r.story_id == story_id]

    def _joining(
        self,
        vector: bytes,
        evidence: Iterable[str],
        now: float,
        published: float | None,
    ) -> Iterator[int]:
        """The stories among the nearest articles' that this article would join, nearest
        first."""
        self._prune(now)
        if not self._rows or len(vector) != DIM * 4:
            return
        if self._matrix is None:
            self._order = list(self._rows.values())
            self._matrix = np.frombuffer(
                b"".join(r.vector for r in self._order), dtype=np.float32
            ).reshape(len(self._order), DIM)
        query = np.frombuffer(vector, dtype=np.float32)
        sims = self._matrix @ query
        keys = self._resolve(evidence)
        when = now if published is None else published
        limit = max(2.0, RARE * len(self._story_names))
        floor = min(astuple(self.thresholds))

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
            story = [self._resolve(r.evidence) for r in members]
            if joins(story_cosine(sims[at]), keys, story, rare, self.thresholds, quiet):
                yield story_id
