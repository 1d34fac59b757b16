"""Alert rules: text normalization, the query language and the matching engine.

``normalize`` (tokens) ← ``query`` (the query language) ← ``engine`` (matching): each module
imports only from the ones before it.
"""

from alerts.rules.engine import ArticleText, Match, RuleSet, matched_sentence
from alerts.rules.query import ConceptError, RuleSyntaxError, compile_concepts, parse_query
from alerts.rules.text import normalize, tokenize

__all__ = [
    "ArticleText",
    "ConceptError",
    "Match",
    "RuleSet",
    "RuleSyntaxError",
    "compile_concepts",
    "matched_sentence",
    "normalize",
    "parse_query",
    "tokenize",
]
