"""Reports as data: the status of every source and of the alert queue, rule checks and
backtests. The CLI prints them; nothing here prints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from alerts.rules import ArticleText, Concept, RuleSet, concept_spellings
from alerts.snippets import snippet
from crawler.config import Config
from crawler.extract.template import Template
from crawler.stats import CrawlCounts
from crawler.telegram_health import pace_shortfall, telegram_problem
from newsmon.timefmt import duration, iso, short_iso
from storage import (
    AlertCounts,
    ArticleRecord,
    FailedAlert,
    Lease,
    NodeInfo,
    Notice,
    PageTemplate,
    SearchHit,
    Storage,
)


@dataclass(frozen=True)
class SourceStatus:
    name: str
    health: str  # ok | new | disabled | removed | its problems (failing, empty, …)
    articles: int
    last_crawl: str  # "YYYY-MM-DD HH:MM:SS" (UTC) or "never"
    result: str  # finished | failed | running | -
    new: int  # articles the last crawl stored
    errors_24h: int
    every: str  # the current interval
    next_run: str
    last_error: str | None
    links: dict[str, int] = field(default_factory=dict)  # the last crawl's links by origin
    listings_stuck: bool = False
    template: str | None = None  # its learned page template, described


@dataclass(frozen=True)
class StatusReport:
    database: str
    sources: list[SourceStatus]
    alerts: AlertCounts
    failed: list[FailedAlert]
    notices: list[Notice]
    nodes: list[NodeInfo] = field(default_factory=list)  # daemons sharing the database
    leases: list[Lease] = field(default_factory=list)  # which node polls which source now
    telegram_pace: str | None = None  # the channels cannot be polled in time under the pace


def template_summary(template: PageTemplate, others: int = 0) -> str:
    """``learned from 6 pages 2026-12-07 10:02:11 (article 94% of …)``, for ``newsmon status``
    (the source's newest template; ``others``: how many more layouts it has templates of)."""
    learned = Template.from_json(template.data)
    text = f"learned from {template.pages} pages {short_iso_text(template.learned_at)}"
    if learned is not None:
        text += (
            f"; its container holds {learned.coverage:.0%} of the pages' own text, "
            f"{learned.purity:.0%} of its text is own; {len(learned.noise)} noise place(s)"
        )
        if learned.spots:  # where a page's metadata lacks them
            text += f"; {', '.join(learned.spots)} read from learned places"
    if template.replaced:
        text += f"; learned again {template.replaced}× (layout changed)"
    if others:
        text += f"; and {others} more template(s) for the outlet's other page layouts"
    return text


def _relearned_since(template: PageTemplate, since: datetime) -> bool:
    """Whether the source's template was learned again (its layout changed) since then."""
    if not template.replaced or not template.learned_at:
        return False
    return datetime.fromisoformat(template.learned_at) > since


def short_iso_text(when: str | None) -> str:
    return (when or "").replace("T", " ")[:19]


def status_report(config: Config, store: Storage) -> StatusReport:
    summaries = store.source_summaries()
    schedule = store.schedule()
    templates: dict[str, PageTemplate] = {}
    layouts: Counter[str] = Counter()
    for saved in store.page_templates():  # newest first per source
        templates.setdefault(saved.source, saved)
        layouts[saved.source] += 1
    day_ago = datetime.now(UTC) - timedelta(days=1)
    configured = {s.name: s for s in config.sources}
    rows = []
    for name in [*configured, *(n for n in summaries if n not in configured)]:
        info = summaries.get(name)
        plan = schedule.get(name)
        src = configured.get(name)
        if src is None:
            health = "removed"
        elif not src.enabled:
            health = "disabled"
        elif plan is None:
            health = "new"
        else:
            health = ",".join(plan.problems) or "ok"
        template = templates.get(name)
        if template is not None and _relearned_since(template, day_ago):
            health = "layout changed" if health == "ok" else f"{health},layout changed"
        run = info.last_run if info else None
        counts = CrawlCounts.from_stats(run.stats) if run else CrawlCounts()
        last_error = plan.last_error if plan else None
        if src is not None and src.telegram and src.enabled:
            telegram = telegram_problem(counts.errors)  # the last poll's, daemon or not
            if telegram is not None:
                health = telegram[0] if health in ("ok", "new") else f"{health},{telegram[0]}"
                last_error = telegram[1]
        interval = plan.interval if plan else (src.interval if src else None)
        rows.append(
            SourceStatus(
                name=name,
                health=health,
                articles=info.articles if info else 0,
                last_crawl=short_iso(run.started_at) if run else "never",
                result=run.status if run else "-",
                new=counts.stored,
                errors_24h=info.errors_24h if info else 0,
                every=duration(interval) if interval is not None else "-",
                next_run=iso(plan.next_due) if plan else "-",
                last_error=last_error,
                links=dict(counts.links),
                listings_stuck=counts.listings_stuck(),
                template=(
                    template_summary(template, layouts[name] - 1) if template is not None else None
                ),
            )
        )
    nodes, leases = store.fleet()
    return StatusReport(
        nodes=nodes,
        leases=leases,
        database=config.database_label,
        sources=rows,
        alerts=store.alert_counts(),
        failed=store.failed_alerts(),
        notices=store.recent_notices(5),
        telegram_pace=pace_shortfall(config.sources, config.model.telegram_delay),
    )


def example(text: str) -> ArticleText:
    """A rule example: "Headline\\n\\nbody" gives a title and a body, else all of it is body."""
    title, sep, body = text.partition("\n\n")
    return ArticleText(body, title) if sep else ArticleText(text)


@dataclass(frozen=True)
class RuleCheck:
    rule: str
    examples: int
    should_match: list[str] = field(default_factory=list)  # examples it failed to match
    should_not_match: list[str] = field(default_factory=list)  # … it matched anyway

    @property
    def ok(self) -> bool:
        return not (self.should_match or self.should_not_match)


def check_rules(config: Config) -> list[RuleCheck]:
    """Each rule against its own ``examples``."""
    checks = []
    for rule in config.rules:
        one = config.model.ruleset([rule.name])
        checks.append(
            RuleCheck(
                rule.name,
                len(rule.examples.match) + len(rule.examples.no_match),
                [ex for ex in rule.examples.match if not one.match(example(ex))],
                [ex for ex in rule.examples.no_match if one.match(example(ex))],
            )
        )
    return checks


@dataclass(frozen=True)
class ConceptSpellings:
    concept: str
    languages: tuple[str, ...]
    spellings: list[tuple[str, list[str]]]  # each word or phrase, and its other-script spellings


def concept_spellings_report(config: Config) -> list[ConceptSpellings]:
    """The spellings in another script that transliterating concepts also match."""
    return [
        ConceptSpellings(name, value.transliterate, concept_spellings(value))
        for name, value in config.model.concept_definitions.items()
        if isinstance(value, Concept) and value.transliterate
    ]


@dataclass(frozen=True)
class Backtest:
    label: str
    total: int  # articles tried
    matched: int
    by_source: dict[str, int]
    samples: list[tuple[ArticleRecord, str]]  # the latest matches, newest first, with snippets


def backtest(store: Storage, ruleset: RuleSet, label: str, samples: int = 10) -> Backtest:
    """What a rule set would have matched among every stored article."""
    total = 0
    by_source: Counter[str] = Counter()
    hits: list[tuple[ArticleRecord, str]] = []
    for row in store.articles():
        total += 1
        seen = ArticleText(row.text or "", row.title, row.language, row.source)
        found = ruleset.match(seen)
        if found:
            by_source[row.source] += 1
            hits.append((row, snippet(seen.combined, found, limit=200)))
            del hits[: -samples or None]
    return Backtest(
        label, total, sum(by_source.values()), dict(sorted(by_source.items())), hits[::-1]
    )


def draft_ruleset(config: Config, what: str) -> tuple[RuleSet, str]:
    """A configured rule (by name) or a draft query, compiled with the config's concepts;
    raises RuleSyntaxError for a draft that does not parse."""
    named = [r for r in config.rules if r.name == what]
    if named:
        return config.model.ruleset([what]), f"rule {what} ({named[0].query})"
    return RuleSet([("draft", what, "-")], config.model.concept_definitions), f"draft query {what}"


def matching_words(text: str, ruleset: RuleSet) -> list[tuple[str, str, list[str]]]:
    """Which rules match a text: (rule, channel, the words that matched)."""
    seen = example(text)
    combined = seen.combined
    return [(m.rule, m.channel, [combined[a:b] for a, b in m.spans]) for m in ruleset.match(seen)]


@dataclass(frozen=True)
class StoryHit:
    """Search hits collapsed by story: the best-ranked copy and the story's other copies."""

    best: SearchHit
    others: tuple[SearchHit, ...] = ()

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(h.language or "--" for h in (self.best, *self.others)))


def by_story(hits: Iterable[SearchHit], limit: int) -> list[StoryHit]:
    """One entry per story, in the rank of its best hit (at most ``limit`` stories)."""
    stories: dict[int | str, list[SearchHit]] = {}
    for hit in hits:
        key: int | str = hit.story_id if hit.story_id is not None else f"article-{hit.id}"
        stories.setdefault(key, []).append(hit)
    return [StoryHit(found[0], tuple(found[1:])) for found in stories.values()][:limit]
