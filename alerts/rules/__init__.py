"""Alert rules: text normalization, the query language and the matching engine.

``text`` (normalized tokens) ← ``translit`` (spellings in another script) ← ``query`` (the query
language) ← ``document`` (what rules see of an article) ← ``engine`` (matching): each module imports only from the ones before it.
"""

from alerts.rules.document import ArticleText
from alerts.rules.engine import Match, RuleSet, matched_sentence
from alerts.rules.query import (
    Concept,
    ConceptError,
    RuleSyntaxError,
    compile_concepts,
    concept_spellings,
    parse_query,
)
from alerts.rules.text import normalize, tokenize
from alerts.rules.translit import LANGUAGES

__all__ = [
    "LANGUAGES",
    "ArticleText",
    "Concept",
    "ConceptError",
    "Match",
    "RuleSet",
    "RuleSyntaxError",
    "compile_concepts",
    "concept_spellings",
    "matched_sentence",
    "normalize",
    "parse_query",
    "tokenize",
]
