"""What rules see of an article: :class:`ArticleText` (title, body, muted spans, metadata) and
:class:`TokenDoc`, its token stream indexed for the rules that could match."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from alerts.rules.query import Phrase


@dataclass(frozen=True)
class ArticleText:
    """What rules see: the title and the extracted body, plus metadata for filters."""

    body: str
    title: str | None = None
    language: str | None = None
    source: str | None = None
    # spans of the body rules do not see: the anchor text of links to other articles
    muted: tuple[tuple[int, int], ...] = ()

    @property
    def combined(self) -> str:
        """``title\\n\\nbody``: match spans are offsets into this string."""
        return f"{self.title}\n\n{self.body}" if self.title else self.body

    @property
    def visible_body(self) -> str:
        """The body with its muted spans blanked (same length, so offsets stay valid)."""
        if not self.muted:
            return self.body
        chars = list(self.body)
        for start, end in self.muted:
            for i in range(max(0, start), min(end, len(chars))):
                if not chars[i].isspace():
                    chars[i] = " "
        return "".join(chars)


@dataclass
class TokenDoc:
    """An article's normalized tokens, with the positions of the words candidate rules start
    with: what a query tree is evaluated over."""

    tokens: list[str]  # normalized tokens: title, separator, body
    title_end: int  # tokens [0, title_end) are the title
    language: str | None
    source: str | None
    index: dict[str, list[int]] = field(default_factory=dict)

    def prepare(self, words: Iterable[str], prefixes: Iterable[str]) -> None:
        """Index the positions of the given words and of every token starting with one of the
        prefixes: the first words of the candidate rules' phrases, nothing else."""
        vocabulary = set(self.tokens)
        wanted = vocabulary.intersection(words)
        prefixes = list(prefixes)
        if prefixes:
            ordered = sorted(vocabulary)
            for prefix in prefixes:
                lo = bisect_left(ordered, prefix)
                while lo < len(ordered) and ordered[lo].startswith(prefix):
                    wanted.add(ordered[lo])
                    lo += 1
        index: dict[str, list[int]] = {w: [] for w in wanted}
        if wanted:
            for i, tok in enumerate(self.tokens):
                if tok in wanted:
                    index[tok].append(i)
        self.index = index
        self._words = sorted(index)

    def starting_with(self, prefix: str) -> list[int]:
        """Positions of tokens that start with ``prefix`` (bisect over the indexed words)."""
        words = self._words
        lo = bisect_left(words, prefix)
        out: list[int] = []
        while lo < len(words) and words[lo].startswith(prefix):
            out.extend(self.index[words[lo]])
            lo += 1
        return out

    def find(self, phrase: Phrase, scope: str | None) -> list[tuple[int, int]]:
        """Token index ranges [i, j) where the phrase occurs (within the scope)."""
        first = phrase.words[0]
        n = len(phrase.words)
        if n == 1 and phrase.prefix:
            starts = self.starting_with(first)
        else:
            starts = self.index.get(first, [])
        if not starts:
            return []
        hits = []
        tokens = self.tokens
        for i in starts:
            if i + n > len(tokens):
                continue
            ok = True
            for k in range(1, n):
                word = tokens[i + k]
                want = phrase.words[k]
                if not (word == want or (k == n - 1 and phrase.prefix and word.startswith(want))):
                    ok = False
                    break
            if ok and self.in_scope(i, i + n, scope):
                hits.append((i, i + n))
        return sorted(hits)

    def in_scope(self, i: int, j: int, scope: str | None) -> bool:
        if scope == "title":
            return j <= self.title_end
        if scope == "text":
            return i >= self.title_end
        return True
