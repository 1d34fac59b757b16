"""Matching: run compiled rules against an article's title and body. Pure code, no I/O.

Holds the evaluation of a query tree (:mod:`alerts.rules.query`) over an article's token index
(:mod:`alerts.rules.document`), :class:`Rule`, :class:`Match`, :class:`RuleSet` and
:func:`matched_sentence`.

Engine: all rules are compiled once. Each rule's positive words (or prefixes) become keys of
one Aho-Corasick automaton (pyahocorasick); a single pass over an article's normalized token
stream yields the rules that could match, and only those are evaluated exactly. The cost per
article is flat in the number of rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import ahocorasick

from alerts.rules.document import ArticleText, TokenDoc
from alerts.rules.query import (
    And,
    Concept,
    Filter,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    Scoped,
    compile_concepts,
    parse_query,
)
from alerts.rules.text import Token, norms, offsets

# Between the title and the body: a token that no query word can equal.
_SEPARATOR = "\x00"
# Spans kept per matched rule (for highlighting): the first ones in the text.
MAX_SPANS = 10


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


def _evaluate(node: Node, doc: TokenDoc, scope: str | None = None) -> Spans | None:
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
        index = doc.index
        for part in node.parts:
            # a word absent from the article: skipped without a call (a transliterating
            # concept's word is an OR of many spellings, most of them absent)
            if (
                type(part) is Phrase
                and part.words[0] not in index
                and (not part.prefix or len(part.words) > 1)
            ):
                continue
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
    channels: tuple[str, ...] = ()  # every channel or destination (``channel`` is the first)

    @classmethod
    def compile(cls, name: str, query: str, channel: str | Sequence[str], tree: Node) -> Rule:
        words: set[str] = set()
        prefixes: set[str] = set()
        _first_words(tree, words, prefixes)
        channels = (channel,) if isinstance(channel, str) else tuple(channel)
        first = channels[0] if channels else ""
        return cls(name, query, first, tree, frozenset(words), frozenset(prefixes), channels)


@dataclass(frozen=True)
class Match:
    """One rule that matched one text; spans are character offsets into that text."""

    rule: str
    channel: str
    spans: tuple[tuple[int, int], ...]
    channels: tuple[str, ...] = ()  # every channel of the rule (``channel`` is the first)


class RuleSet:
    """All rules compiled once. ``match(text)`` → the rules that hold, with matched spans."""

    def __init__(
        self,
        rules: Iterable[tuple[str, str, str | Sequence[str]]],
        concepts: Mapping[str, Sequence[str] | Concept] | None = None,
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
        body = article.visible_body
        tokens = title_tokens + sep + norms(body)
        ids = self.candidates(tokens)
        if not ids:
            return []
        doc = TokenDoc(tokens, len(title_tokens), article.language, article.source)
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
        body_spans = offsets(body, max(0, last - n_title)) if last > n_title else []
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
            Match(
                rule.name,
                rule.channel,
                tuple(sorted({(start(a), end(b - 1)) for a, b in hits})),
                rule.channels,
            )
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
