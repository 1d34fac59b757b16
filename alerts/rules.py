"""Keyword rules: parse a query once, match it against an article's title and body.

Pure code, no I/O. The query language (first version):

- ``Azerbaijan`` — a word, matched on word boundaries, case- and diacritic-insensitive;
- ``Azerbaij*`` — a trailing ``*`` matches any word starting with the prefix;
- ``"Central Asia"`` — a phrase: the words in this order, next to each other;
  hyphens and dashes count as spaces, so ``"Trans-Caspian"`` also matches "Trans Caspian";
- ``C5+1`` — symbols are tokens of their own, so this matches "C5+1" and "C5 + 1" but not "C5";
- ``a OR b``, ``a AND b`` (or just ``a b``), ``NOT a`` / ``-a``, and parentheses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Letters that Unicode does not decompose into base + accent, folded by hand.
_FOLD = str.maketrans(
    {
        "ə": "e",  # Azərbaycan is often typed Azerbaycan
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "ŋ": "n",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ё": "е",
        "ң": "н",
        "ғ": "г",
        "ү": "у",
        "ұ": "у",
        "қ": "к",
        "ө": "о",
        "һ": "х",
        "ә": "а",
        "і": "и",
        "ʻ": "",
        "ʼ": "",
        "‘": "",
        "’": "",
        "`": "",
    }
)

# Words, or single symbols (everything that is neither a word character nor a space).
_TOKEN = re.compile(r"\w+|[^\w\s]")
_DASHES = set("-‐‑‒–—―−")
# A bare term in a query: anything up to whitespace, a parenthesis or a quote.
_QUERY_TOKEN = re.compile(r'\s*(?:(\()|(\))|"([^"]*)("?)|([^\s()"]+))')


def normalize(word: str) -> str:
    """NFKC, casefold and fold diacritics (including ə, ı, қ, ң, ғ, ө, ү, ұ, һ, ё …)."""
    text = unicodedata.normalize("NFKC", word).casefold().translate(_FOLD)
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Token:
    norm: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split text into normalized word/symbol tokens, keeping character offsets.

    Dashes and apostrophes inside or between words are dropped, so that ``Trans-Caspian``,
    ``Trans–Caspian`` and ``Trans Caspian`` give the same tokens.
    """
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        if raw in _DASHES:
            continue
        norm = normalize(raw)
        if norm:
            out.append(Token(norm, m.start(), m.end()))
    return out


class RuleSyntaxError(ValueError):
    """A query that does not parse. The message names the column (1-based)."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"column {column}: {message}")
        self.column = column


# --- the query tree -------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    """One or more words in a row; ``prefix`` makes the last word match as a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    part: Node


Node = Phrase | And | Or | Not


def _phrase(text: str, column: int, *, allow_prefix: bool) -> Phrase:
    prefix = allow_prefix and text.endswith("*")
    body = text[:-1] if prefix else text
    words = tuple(t.norm for t in tokenize(body))
    if not words:
        raise RuleSyntaxError(f"'{text}' has no letters or digits to match", column)
    if prefix and not re.match(r"\w", words[-1]):
        raise RuleSyntaxError(f"'*' must follow a word in '{text}'", column)
    return Phrase(words, prefix)


def _lex(query: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(query):
        m = _QUERY_TOKEN.match(query, pos)
        if not m or m.end() == pos:
            break
        col = m.start() + len(m.group()) - len(m.group().lstrip()) + 1
        if m.group(1):
            tokens.append(("(", "(", col))
        elif m.group(2):
            tokens.append((")", ")", col))
        elif m.group(3) is not None:
            if not m.group(4):
                raise RuleSyntaxError("unclosed quote", col)
            tokens.append(("phrase", m.group(3), col))
        elif m.group(5):
            word = m.group(5)
            if word in ("AND", "OR", "NOT"):
                tokens.append((word, word, col))
            elif word.startswith("-") and len(word) > 1:
                tokens.append(("NOT", "-", col))
                tokens.append(("term", word[1:], col + 1))
            else:
                tokens.append(("term", word, col))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = _lex(query)
        self.i = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> Node:
        if not self.tokens:
            raise RuleSyntaxError("empty query", 1)
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:
            raise RuleSyntaxError(f"unexpected '{tok[1]}'", tok[2])
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while (tok := self.peek()) and tok[0] == "OR":
            self.i += 1
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expr(self) -> Node:
        parts = [self.not_expr()]
        while (tok := self.peek()) and tok[0] not in ("OR", ")"):
            if tok[0] == "AND":
                self.i += 1
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def not_expr(self) -> Node:
        tok = self.peek()
        if tok and tok[0] == "NOT":
            self.i += 1
            return Not(self.not_expr())
        return self.atom()

    def atom(self) -> Node:
        tok = self.peek()
        end_col = len(self.query) + 1
        if tok is None:
            raise RuleSyntaxError("query ends where a word was expected", end_col)
        kind, text, col = tok
        self.i += 1
        if kind == "(":
            node = self.or_expr()
            close = self.peek()
            if close is None or close[0] != ")":
                raise RuleSyntaxError("missing ')'", close[2] if close else end_col)
            self.i += 1
            return node
        if kind == "phrase":
            return _phrase(text, col, allow_prefix=True)
        if kind == "term":
            return _phrase(text, col, allow_prefix=True)
        raise RuleSyntaxError(f"unexpected '{text}'", col)


def _has_positive(node: Node) -> bool:
    if isinstance(node, Phrase):
        return True
    if isinstance(node, Not):
        return False
    return any(_has_positive(p) for p in node.parts)


def parse_query(query: str) -> Node:
    """Parse a rule query. Raises :class:`RuleSyntaxError` with the column of the problem."""
    node = _Parser(query).parse()
    if not _has_positive(node):
        raise RuleSyntaxError("a query needs at least one word that is not negated", 1)
    return node


# --- matching -------------------------------------------------------------------------------


@dataclass
class _Doc:
    tokens: list[Token]
    index: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for i, tok in enumerate(self.tokens):
            self.index.setdefault(tok.norm, []).append(i)

    def find(self, phrase: Phrase) -> list[tuple[int, int]]:
        """Token index ranges [i, j) where the phrase occurs."""
        first = phrase.words[0]
        n = len(phrase.words)
        if n == 1 and phrase.prefix:
            starts = [i for word, pos in self.index.items() if word.startswith(first) for i in pos]
        else:
            starts = self.index.get(first, [])
        hits = []
        for i in starts:
            if i + n > len(self.tokens):
                continue
            ok = True
            for k in range(1, n):
                word = self.tokens[i + k].norm
                want = phrase.words[k]
                last = k == n - 1
                if not (word == want or (last and phrase.prefix and word.startswith(want))):
                    ok = False
                    break
            if ok:
                hits.append((i, i + n))
        return sorted(hits)


def _evaluate(node: Node, doc: _Doc) -> list[tuple[int, int]] | None:
    """The spans that satisfy the node, or None when it does not hold."""
    if isinstance(node, Phrase):
        hits = doc.find(node)
        return hits or None
    if isinstance(node, Not):
        return None if _evaluate(node.part, doc) is not None else []
    if isinstance(node, And):
        spans: list[tuple[int, int]] = []
        for part in node.parts:
            got = _evaluate(part, doc)
            if got is None:
                return None
            spans.extend(got)
        return spans
    any_hit = False
    spans = []
    for part in node.parts:
        got = _evaluate(part, doc)
        if got is not None:
            any_hit = True
            spans.extend(got)
    return spans if any_hit else None


@dataclass(frozen=True)
class Rule:
    name: str
    query: str
    channel: str
    tree: Node


@dataclass(frozen=True)
class Match:
    """One rule that matched one text; spans are character offsets into that text."""

    rule: str
    channel: str
    spans: tuple[tuple[int, int], ...]


class RuleSet:
    """All rules compiled once. ``match(text)`` → the rules that hold, with matched spans."""

    def __init__(self, rules: Iterable[tuple[str, str, str]]) -> None:
        self.rules = [
            Rule(name, query, channel, parse_query(query)) for name, query, channel in rules
        ]

    def __len__(self) -> int:
        return len(self.rules)

    def match(self, text: str) -> list[Match]:
        if not self.rules or not text:
            return []
        doc = _Doc(tokenize(text))
        out = []
        for rule in self.rules:
            hits = _evaluate(rule.tree, doc)
            if hits is None:
                continue
            spans = tuple(sorted({(doc.tokens[i].start, doc.tokens[j - 1].end) for i, j in hits}))
            out.append(Match(rule.name, rule.channel, spans))
        return out


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def matched_sentence(text: str, spans: Sequence[tuple[int, int]], limit: int = 400) -> str:
    """The sentence of ``text`` around the first matched span, trimmed to ``limit`` chars."""
    if not spans:
        return text[:limit]
    start, end = spans[0]
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    right_m = _SENTENCE_END.search(text, end)
    right = right_m.start() if right_m else len(text)
    sentence = text[left:right].strip()
    if len(sentence) > limit:
        centre = start - left
        lo = max(0, centre - limit // 2)
        sentence = ("…" if lo else "") + sentence[lo : lo + limit].strip() + "…"
    return sentence
