"""What an article's text matches: the rules that alert, and the subjects it mentions (every
rule that matched and every ``@concept`` it names) — the same on first store, when a stored
article is cleaned again, and when the mentions of a rule added later are counted."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from alerts.rules import ArticleText, Match, RuleSet
from crawler.config import NewsmonConfig


@dataclass(frozen=True)
class Matched:
    alerts: list[Match]  # the rules that hold
    mentions: tuple[str, ...]  # the rules and @concepts to count the article for


class Matcher:
    def __init__(self, rules: RuleSet, concepts: RuleSet | None = None) -> None:
        self.rules = rules
        self.concepts = concepts
        names = [r.name for r in rules.rules] + [
            r.name for r in (concepts.rules if concepts else [])
        ]
        self.subjects = frozenset(names)  # what is looked for

    @classmethod
    def of(cls, model: NewsmonConfig, only: Collection[str] | None = None) -> Matcher:
        """The config's rules and concepts (``only``: just these rules and ``@concepts``)."""
        if only is None:
            return cls(model.ruleset(), model.concept_ruleset() if model.concepts else None)
        rules = model.ruleset([r.name for r in model.rules if r.name in only])
        named = [f"@{n}" for n in model.concepts if f"@{n}" in only]
        concepts = RuleSet(((n, n, "") for n in named), model.concept_definitions)
        return cls(rules, concepts if named else None)

    def match(self, seen: ArticleText) -> Matched:
        matches = self.rules.match(seen)
        mentions = [m.rule for m in matches]
        if self.concepts is not None:
            mentions += [m.rule for m in self.concepts.match(seen)]
        return Matched(matches, tuple(dict.fromkeys(mentions)))
