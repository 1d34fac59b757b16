"""The rule query language: the query tree, its lexer and parser, and named concepts.

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
- ``@AZERBAIJAN`` — a named concept from the config (a list of alternative queries; a
  :class:`Concept` may also match its words' spellings in another script, see
  :mod:`alerts.rules.translit`).

:func:`parse_query` turns a query into a tree of :data:`Node` (:class:`Phrase`, :class:`And`,
:class:`Or`, :class:`Not`, :class:`Near`, :class:`Scoped`, :class:`Filter`) or raises
:class:`RuleSyntaxError`; :func:`compile_concepts` parses the named concepts (raising
:class:`ConceptError`). Query words are normalized like article text (see
:mod:`alerts.rules.text`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from alerts.rules.text import tokenize
from alerts.rules.translit import LANGUAGES, spelling_variants

_QUERY_TOKEN = re.compile(r'\s*(?:(\()|(\))|"([^"]*)("?)|([^\s()"]+))')
_NEAR = re.compile(r"^(O?NEAR)/(\d+)(f?)$")
_FIELD = re.compile(r"^(title|text|lang|source):(.*)$", re.IGNORECASE)
_CONCEPT = re.compile(r"^@([A-Za-z][A-Za-z0-9_-]*)$")


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


def _phrase(
    text: str, column: int, *, allow_prefix: bool, scripts: tuple[str, ...] = ()
) -> Phrase | Or:
    prefix = allow_prefix and text.endswith("*")
    body = text[:-1] if prefix else text
    words = tuple(t.norm for t in tokenize(body))
    if not words:
        raise RuleSyntaxError(f"'{text}' has no letters or digits to match", column)
    if prefix and not re.match(r"\w", words[-1]):
        raise RuleSyntaxError(f"'*' must follow a word in '{text}'", column)
    phrase = Phrase(words, prefix)
    if not scripts:
        return phrase
    others = [
        Phrase(spelled, prefix)
        for variant in spelling_variants(body, scripts)
        if (spelled := tuple(t.norm for t in tokenize(variant))) and spelled != words
    ]
    return Or((phrase, *others)) if others else phrase


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
    def __init__(
        self, query: str, concepts: Mapping[str, Node], scripts: tuple[str, ...] = ()
    ) -> None:
        self.query = query
        self.tokens = _lex(query)
        self.concepts = concepts
        self.scripts = scripts
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
            return _phrase(text, col, allow_prefix=True, scripts=self.scripts)
        if kind == "term":
            if (cm := _CONCEPT.match(text)) is not None:
                name = cm.group(1)
                if name not in self.concepts:
                    known = ", ".join("@" + k for k in self.concepts) or "none defined"
                    raise RuleSyntaxError(f"unknown concept @{name} (concepts: {known})", col)
                return self.concepts[name]
            return _phrase(text, col, allow_prefix=True, scripts=self.scripts)
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


def parse_query(
    query: str, concepts: Mapping[str, Node] | None = None, scripts: tuple[str, ...] = ()
) -> Node:
    """Parse a rule query. Raises :class:`RuleSyntaxError` with the column of the problem.
    With ``scripts`` (language codes), each word or phrase also matches its spellings in the
    other script of those languages."""
    node = _Parser(query, concepts or {}, scripts).parse()
    if not _has_positive(node):
        raise RuleSyntaxError(
            "a query needs at least one word that is not negated (filters alone match everything)",
            1,
        )
    return node


@dataclass(frozen=True)
class Concept:
    """A concept's alternative queries, and the languages (:data:`LANGUAGES`) in whose other
    script its words are also matched."""

    terms: tuple[str, ...]
    transliterate: tuple[str, ...] = ()

    @classmethod
    def of(cls, value: Concept | Sequence[str]) -> Concept:
        return value if isinstance(value, Concept) else cls(tuple(value))


def compile_concepts(concepts: Mapping[str, Sequence[str] | Concept]) -> dict[str, Node]:
    """Parse named concepts (each a list of alternative queries, which may use other concepts,
    without cycles, or a :class:`Concept`). Raises :class:`ConceptError` naming the concept and
    the alternative (index -1: its ``transliterate`` list)."""
    specs = {name: Concept.of(value) for name, value in concepts.items()}
    compiled: dict[str, Node] = {}
    visiting: list[str] = []

    def build(name: str) -> Node:
        if name in compiled:
            return compiled[name]
        if name in visiting:
            raise ConceptError(name, 0, f"concept @{name} refers to itself via {visiting}")
        visiting.append(name)
        parts = []
        spec = specs[name]
        unknown = [code for code in spec.transliterate if code not in LANGUAGES]
        if unknown:
            raise ConceptError(
                name, -1, f"unknown language '{unknown[0]}' (known: {', '.join(LANGUAGES)})"
            )
        for i, alt in enumerate(spec.terms):
            refs = {m.group(1) for m in re.finditer(r"@([A-Za-z][A-Za-z0-9_-]*)", alt)}
            for ref in refs:
                if ref in concepts and ref not in compiled:
                    build(ref)
            try:
                parts.append(parse_query(alt, compiled, spec.transliterate))
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


def concept_spellings(concept: Concept) -> list[tuple[str, list[str]]]:
    """The words and phrases of a concept with the other-script spellings it also matches
    (as the engine folds them), e.g. ``[("Қазақстан*", ["qazaqstan*", "kazakstan*"])]``."""
    if not concept.transliterate:
        return []
    out = []
    for term in concept.terms:
        after_filter = False
        for kind, text, _col in _lex(term):
            if kind in ("term", "phrase") and not after_filter and not _CONCEPT.match(text):
                prefix = text.endswith("*")
                body = text[:-1] if prefix else text
                star = "*" if prefix else ""
                found = [v + star for v in spelling_variants(body, concept.transliterate)]
                if found:
                    out.append((text, found))
            after_filter = kind == "field" and text in ("lang", "source")
    return out
