"""Keyword rules: parse queries once, match them against an article's title and body.

Pure code, no I/O. The query language:

- ``Azerbaijan`` — a word, matched on word boundaries, case- and diacritic-insensitive;
- ``Azerbaij*`` — a trailing ``*`` matches any word starting with the prefix;
- ``"Central Asia"`` — a phrase: the words in this order, next to each other; hyphens and
  dashes count as spaces, so ``"Trans-Caspian"`` also matches "Trans Caspian";
- ``C5+1`` — symbols are tokens of their own, so this matches "C5+1" and "C5 + 1" but not "C5";
- ``a OR b``, ``a AND b`` (or just ``a b``), ``NOT a`` / ``-a``, and parentheses;
- ``a NEAR/5 b`` — both within 5 words of each other, in either order; ``a NEAR/5f b`` (or
  ``a ONEAR/5 b``) — ``a`` first. Operands are words, phrases, concepts or OR-groups of them;
- ``title:word`` / ``text:(a OR b)`` — only in the headline / only in the body;
- ``lang:ru`` — the article's language; ``source:azertac`` (``source:azer*``) — its source;
- ``@AZERBAIJAN`` — a named concept from the config (a list of alternative queries).

Engine: all rules are compiled once. Each rule's positive words (or prefixes) become keys of
one Aho-Corasick automaton (pyahocorasick); a single pass over an article's normalized token
stream yields the rules that could match, and only those are evaluated exactly. The cost per
article is flat in the number of rules.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice

import ahocorasick

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
        "ў": "у",
        "ҳ": "х",
        "ʻ": "",
        "ʼ": "",
        "‘": "",
        "’": "",
        "'": "",
        "`": "",
        # dashes and hyphens separate words and are not tokens themselves
        "-": "",
        "‐": "",
        "‑": "",
        "‒": "",
        "–": "",
        "—": "",
        "―": "",
        "−": "",
    }
)
# Cyrillic letters that look like Latin ones, folded inside tokens that also hold Latin letters
# or digits ("С5" typed with a Cyrillic С is "C5"); all-Cyrillic words are left alone.
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "с": "c",
        "е": "e",
        "н": "h",
        "к": "k",
        "м": "m",
        "о": "o",
        "р": "p",
        "т": "t",
        "х": "x",
        "у": "y",
        "і": "i",
    }
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_OR_DIGIT = re.compile(r"[a-z0-9]")

# Words (an apostrophe after o/g joins Uzbek oʻ/gʻ words: O'zbekiston), or single symbols.
# Dashes and apostrophes are never tokens of their own: "Trans-Caspian" = "Trans Caspian".
_TOKEN = re.compile(r"\w+(?:(?<=[oOgG])['ʻʼ‘’`]\w+)*|[^\w\s\-‐‑‒–—―−'ʻʼ‘’`]")
# The norm of a token that folds to nothing (a lone modifier letter): equals no query word.
_BLANK = "\x01"
_QUERY_TOKEN = re.compile(r'\s*(?:(\()|(\))|"([^"]*)("?)|([^\s()"]+))')
_NEAR = re.compile(r"^(O?NEAR)/(\d+)(f?)$")
_FIELD = re.compile(r"^(title|text|lang|source):(.*)$", re.IGNORECASE)
_CONCEPT = re.compile(r"^@([A-Za-z][A-Za-z0-9_-]*)$")

_norm_cache: dict[str, str] = {}


def _normalize(word: str) -> str:
    text = unicodedata.normalize("NFKC", word).casefold().translate(_FOLD)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        if _CYRILLIC.search(text) and _LATIN_OR_DIGIT.search(text):
            text = text.translate(_HOMOGLYPHS)
    return text


def normalize(word: str) -> str:
    """NFKC, casefold, diacritics folded (including ə, ı, қ, ң, ғ, ө, ү, ұ, һ, ё, oʻ …) and
    Cyrillic look-alikes folded inside Latin/digit tokens. Cached: words repeat."""
    got = _norm_cache.get(word)
    if got is None:
        got = _normalize(word)
        if len(_norm_cache) < 500_000:
            _norm_cache[word] = got
    return got


@dataclass(frozen=True, slots=True)
class Token:
    norm: str
    start: int
    end: int


def norms(text: str) -> list[str]:
    """The normalized tokens of ``text`` (the fast path: no offsets)."""
    cache = _norm_cache
    return [cache.get(raw) or normalize(raw) or _BLANK for raw in _TOKEN.findall(text)]


def offsets(text: str, upto: int | None = None) -> list[tuple[int, int]]:
    """Character offsets of the tokens :func:`norms` returns, in the same order (only the
    first ``upto`` + 1 when given: spans are wanted for matched tokens only)."""
    found = _TOKEN.finditer(text)
    if upto is not None:
        found = islice(found, upto + 1)  # type: ignore[assignment]
    return [m.span() for m in found]


def tokenize(text: str) -> list[Token]:
    """Split text into normalized word/symbol tokens, keeping character offsets.

    Dashes are dropped, so ``Trans-Caspian``, ``Trans–Caspian`` and ``Trans Caspian`` give the
    same tokens; apostrophes vanish (``Azerbaijan’s`` → ``azerbaijan`` ``s``).
    """
    return [Token(n, a, b) for n, (a, b) in zip(norms(text), offsets(text), strict=True)]


class RuleSyntaxError(ValueError):
    """A query that does not parse. The message names the column (1-based)."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"column {column}: {message}")
        self.message = message
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


@dataclass(frozen=True)
class Near:
    """Both sides within ``distance`` words of each other (``ordered``: left first)."""

    left: Node
    right: Node
    distance: int
    ordered: bool = False


@dataclass(frozen=True)
class Scoped:
    """A sub-query that must hold in the title only, or in the body only."""

    scope: str  # "title" | "text"
    part: Node


@dataclass(frozen=True)
class Filter:
    """A condition on the article's metadata: ``lang:ru``, ``source:azer*``."""

    key: str  # "lang" | "source"
    value: str
    prefix: bool = False


Node = Phrase | And | Or | Not | Near | Scoped | Filter


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
            elif _NEAR.match(word):
                tokens.append(("NEAR", word, col))
            elif word.startswith(("NEAR/", "ONEAR/")):
                raise RuleSyntaxError(f"'{word}': write NEAR/n, NEAR/nf or ONEAR/n", col)
            else:
                if word.startswith("-") and len(word) > 1:
                    tokens.append(("NOT", "-", col))
                    word, col = word[1:], col + 1
                if (fm := _FIELD.match(word)) is not None:
                    tokens.append(("field", fm.group(1).lower(), col))
                    rest = fm.group(2)
                    if rest:
                        tokens.append(("term", rest, col + len(fm.group(1)) + 1))
                else:
                    tokens.append(("term", word, col))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, query: str, concepts: Mapping[str, Node]) -> None:
        self.query = query
        self.tokens = _lex(query)
        self.concepts = concepts
        self.i = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    @property
    def end_col(self) -> int:
        return len(self.query) + 1

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
        return self.near_expr()

    def near_expr(self) -> Node:
        node = self.atom()
        while (tok := self.peek()) and tok[0] == "NEAR":
            self.i += 1
            m = _NEAR.match(tok[1])
            assert m is not None
            right = self.atom()
            for side, col in ((node, tok[2]), (right, tok[2])):
                if not _near_operand(side):
                    raise RuleSyntaxError(
                        "NEAR joins words, phrases, concepts or OR-groups of them", col
                    )
            ordered = m.group(1) == "ONEAR" or m.group(3) == "f"
            node = Near(node, right, int(m.group(2)), ordered)
        return node

    def atom(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise RuleSyntaxError("query ends where a word was expected", self.end_col)
        kind, text, col = tok
        self.i += 1
        if kind == "(":
            node = self.or_expr()
            close = self.peek()
            if close is None or close[0] != ")":
                raise RuleSyntaxError("missing ')'", close[2] if close else self.end_col)
            self.i += 1
            return node
        if kind == "field":
            return self.scoped(text, col)
        if kind == "phrase":
            return _phrase(text, col, allow_prefix=True)
        if kind == "term":
            if (cm := _CONCEPT.match(text)) is not None:
                name = cm.group(1)
                if name not in self.concepts:
                    known = ", ".join("@" + k for k in self.concepts) or "none defined"
                    raise RuleSyntaxError(f"unknown concept @{name} (concepts: {known})", col)
                return self.concepts[name]
            return _phrase(text, col, allow_prefix=True)
        raise RuleSyntaxError(f"unexpected '{text}'", col)

    def scoped(self, name: str, col: int) -> Node:
        if name in ("lang", "source"):
            tok = self.peek()
            if tok is None or tok[0] != "term":
                raise RuleSyntaxError(f"{name}: needs a value, e.g. {name}:ru", col)
            self.i += 1
            value = tok[1].strip().casefold()
            prefix = value.endswith("*")
            return Filter(name, value.rstrip("*"), prefix)
        tok = self.peek()
        if tok is None or tok[0] in (")", "OR", "AND", "NEAR"):
            raise RuleSyntaxError(f"{name}: needs a word, a phrase or (...)", col)
        return Scoped(name, self.atom())


def _near_operand(node: Node) -> bool:
    if isinstance(node, Phrase | Near):
        return True
    if isinstance(node, Or):
        return all(_near_operand(p) for p in node.parts)
    if isinstance(node, Scoped):
        return _near_operand(node.part)
    return False


def _has_positive(node: Node) -> bool:
    if isinstance(node, Phrase):
        return True
    if isinstance(node, Not | Filter):
        return False
    if isinstance(node, Near | Scoped):
        return True
    if isinstance(node, Or):
        return all(_has_positive(p) for p in node.parts)
    return any(_has_positive(p) for p in node.parts)


def parse_query(query: str, concepts: Mapping[str, Node] | None = None) -> Node:
    """Parse a rule query. Raises :class:`RuleSyntaxError` with the column of the problem."""
    node = _Parser(query, concepts or {}).parse()
    if not _has_positive(node):
        raise RuleSyntaxError(
            "a query needs at least one word that is not negated (filters alone match everything)",
            1,
        )
    return node


def compile_concepts(concepts: Mapping[str, Sequence[str]]) -> dict[str, Node]:
    """Parse named concepts (each a list of alternative queries, which may use other concepts,
    without cycles). Raises :class:`ConceptError` naming the concept and the alternative."""
    compiled: dict[str, Node] = {}
    visiting: list[str] = []

    def build(name: str) -> Node:
        if name in compiled:
            return compiled[name]
        if name in visiting:
            raise ConceptError(name, 0, f"concept @{name} refers to itself via {visiting}")
        visiting.append(name)
        parts = []
        for i, alt in enumerate(concepts[name]):
            refs = {m.group(1) for m in re.finditer(r"@([A-Za-z][A-Za-z0-9_-]*)", alt)}
            for ref in refs:
                if ref in concepts and ref not in compiled:
                    build(ref)
            try:
                parts.append(parse_query(alt, compiled))
            except RuleSyntaxError as exc:
                raise ConceptError(name, i, str(exc)) from None
        visiting.pop()
        if not parts:
            raise ConceptError(name, 0, "a concept needs at least one alternative")
        compiled[name] = parts[0] if len(parts) == 1 else Or(tuple(parts))
        return compiled[name]

    for name in concepts:
        build(name)
    return compiled


class ConceptError(ValueError):
    def __init__(self, name: str, index: int, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.index = index


# --- matching -------------------------------------------------------------------------------

# Between the title and the body: a token that no query word can equal.
_SEPARATOR = "\x00"
# Spans kept per matched rule (for highlighting): the first ones in the text.
MAX_SPANS = 10


@dataclass(frozen=True)
class ArticleText:
    """What rules see: the title and the extracted body, plus metadata for filters."""

    body: str
    title: str | None = None
    language: str | None = None
    source: str | None = None

    @property
    def combined(self) -> str:
        """``title\\n\\nbody``: match spans are offsets into this string."""
        return f"{self.title}\n\n{self.body}" if self.title else self.body


@dataclass
class _Doc:
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


Spans = list[tuple[int, int]]


def _near(left: Spans, right: Spans, distance: int, ordered: bool) -> Spans:
    out: Spans = []
    for a in left:
        for b in right:
            if b[0] >= a[1]:
                gap = b[0] - a[1]
            elif a[0] >= b[1]:
                if ordered:
                    continue
                gap = a[0] - b[1]
            else:
                continue  # overlapping: the same words, not two things near each other
            if gap <= distance:
                out.append((min(a[0], b[0]), max(a[1], b[1])))
    return out


def _evaluate(node: Node, doc: _Doc, scope: str | None = None) -> Spans | None:
    """The token spans that satisfy the node, or None when it does not hold."""
    if isinstance(node, Phrase):
        return doc.find(node, scope) or None
    if isinstance(node, Not):
        return None if _evaluate(node.part, doc, scope) is not None else []
    if isinstance(node, And):
        spans: Spans = []
        for part in node.parts:
            got = _evaluate(part, doc, scope)
            if got is None:
                return None
            spans.extend(got)
        return spans
    if isinstance(node, Or):
        any_hit = False
        spans = []
        for part in node.parts:
            got = _evaluate(part, doc, scope)
            if got is not None:
                any_hit = True
                spans.extend(got)
        return spans if any_hit else None
    if isinstance(node, Near):
        left = _evaluate(node.left, doc, scope)
        right = _evaluate(node.right, doc, scope) if left else None
        if not left or not right:
            return None
        near = _near(left, right, node.distance, node.ordered)
        return near or None
    if isinstance(node, Scoped):
        return _evaluate(node.part, doc, node.scope)
    value = (doc.language if node.key == "lang" else doc.source) or ""
    value = value.casefold()
    ok = value.startswith(node.value) if node.prefix else value == node.value
    if node.key == "lang" and not ok and not node.prefix:
        ok = value.split("-")[0] == node.value  # lang:pt matches pt-BR
    return [] if ok else None


def _triggers(node: Node) -> tuple[set[str], set[str]] | None:
    """Words and prefixes of which at least one must occur for the node to hold, or None when
    the node can hold without any word (a negation, a filter)."""
    if isinstance(node, Phrase):
        if len(node.words) == 1 and node.prefix:
            return set(), {node.words[0]}
        return {node.words[0]}, set()
    if isinstance(node, Not | Filter):
        return None
    if isinstance(node, Scoped):
        return _triggers(node.part)
    if isinstance(node, Near):
        return _triggers(node.left)
    if isinstance(node, And):
        for part in node.parts:  # any one positive part is required: take the first
            got = _triggers(part)
            if got is not None:
                return got
        return None
    words: set[str] = set()
    prefixes: set[str] = set()
    for part in node.parts:
        got = _triggers(part)
        if got is None:
            return None
        words |= got[0]
        prefixes |= got[1]
    return words, prefixes


def _first_words(node: Node, words: set[str], prefixes: set[str]) -> None:
    """The words every phrase of the node starts with (negated ones too): what evaluation
    looks up."""
    if isinstance(node, Phrase):
        (prefixes if len(node.words) == 1 and node.prefix else words).add(node.words[0])
    elif isinstance(node, Not | Scoped):
        _first_words(node.part, words, prefixes)
    elif isinstance(node, Near):
        _first_words(node.left, words, prefixes)
        _first_words(node.right, words, prefixes)
    elif isinstance(node, And | Or):
        for part in node.parts:
            _first_words(part, words, prefixes)


@dataclass(frozen=True)
class Rule:
    name: str
    query: str
    channel: str
    tree: Node
    words: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()

    @classmethod
    def compile(cls, name: str, query: str, channel: str, tree: Node) -> Rule:
        words: set[str] = set()
        prefixes: set[str] = set()
        _first_words(tree, words, prefixes)
        return cls(name, query, channel, tree, frozenset(words), frozenset(prefixes))


@dataclass(frozen=True)
class Match:
    """One rule that matched one text; spans are character offsets into that text."""

    rule: str
    channel: str
    spans: tuple[tuple[int, int], ...]


class RuleSet:
    """All rules compiled once. ``match(text)`` → the rules that hold, with matched spans."""

    def __init__(
        self,
        rules: Iterable[tuple[str, str, str]],
        concepts: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        compiled = compile_concepts(concepts or {})
        self.rules = [
            Rule.compile(name, query, channel, parse_query(query, compiled))
            for name, query, channel in rules
        ]
        self.always: list[int] = []  # rules that can hold without any word (none today)
        self.automaton: ahocorasick.Automaton | None = None
        keys: dict[str, set[int]] = {}
        for i, rule in enumerate(self.rules):
            got = _triggers(rule.tree)
            if got is None:
                self.always.append(i)
                continue
            for word in got[0]:
                keys.setdefault(f" {word} ", set()).add(i)
            for prefix in got[1]:
                keys.setdefault(f" {prefix}", set()).add(i)
        if keys:
            automaton = ahocorasick.Automaton()
            for key, ids in keys.items():
                automaton.add_word(key, tuple(sorted(ids)))
            automaton.make_automaton()
            self.automaton = automaton

    def __len__(self) -> int:
        return len(self.rules)

    def candidates(self, tokens: Sequence[Token] | Sequence[str]) -> list[int]:
        """Rules that could match these tokens: one Aho-Corasick pass over the token stream."""
        found: set[int] = set(self.always)
        if self.automaton is not None and tokens:
            words = [t if isinstance(t, str) else t.norm for t in tokens]
            stream = " " + " ".join(words) + " "
            for _end, ids in self.automaton.iter(stream):
                found.update(ids)
        return sorted(found)

    def match(self, article: str | ArticleText) -> list[Match]:
        """Rules that hold for the article, with character spans into its ``combined`` text
        (for a plain string: into the string itself, all of it body)."""
        if isinstance(article, str):
            article = ArticleText(article)
        if not self.rules or not (article.body or article.title):
            return []
        title_tokens = norms(article.title) if article.title else []
        sep = [_SEPARATOR] if title_tokens else []
        tokens = title_tokens + sep + norms(article.body)
        ids = self.candidates(tokens)
        if not ids:
            return []
        doc = _Doc(tokens, len(title_tokens), article.language, article.source)
        doc.prepare(
            (w for i in ids for w in self.rules[i].words),
            (p for i in ids for p in self.rules[i].prefixes),
        )
        found: list[tuple[Rule, Spans]] = []
        for i in ids:
            rule = self.rules[i]
            hits = _evaluate(rule.tree, doc)
            if hits is not None:
                found.append((rule, hits))
        if not found:
            return []
        # Character offsets (into title + "\n\n" + body) only for articles that matched, for
        # the first MAX_SPANS hits of each rule, and only as far as the last of those.
        firsts = [
            (rule, sorted(h for h in hits if h[1] > h[0])[:MAX_SPANS]) for rule, hits in found
        ]
        last = max((b for _rule, hits in firsts for _a, b in hits), default=0)
        n_title = len(title_tokens) + len(sep)
        title_spans = offsets(article.title or "") if title_tokens else []
        body_spans = offsets(article.body, max(0, last - n_title)) if last > n_title else []
        body_at = len(article.title) + 2 if article.title else 0

        def start(i: int) -> int:
            return (
                title_spans[i][0]
                if i < n_title - len(sep)
                else body_spans[i - n_title][0] + body_at
            )

        def end(i: int) -> int:
            return (
                title_spans[i][1]
                if i < n_title - len(sep)
                else body_spans[i - n_title][1] + body_at
            )

        return [
            Match(rule.name, rule.channel, tuple(sorted({(start(a), end(b - 1)) for a, b in hits})))
            for rule, hits in firsts
        ]


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
