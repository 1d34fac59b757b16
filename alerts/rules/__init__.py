"""Alert rules: text normalization, the query language and the matching engine."""

from alerts.rules.engine import (
    ArticleText,
    ConceptError,
    Match,
    RuleSet,
    RuleSyntaxError,
    compile_concepts,
    matched_sentence,
    normalize,
    parse_query,
    tokenize,
)

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
