"""Adaptive polling and source health: pure functions over one source's state and a run's outcome.

After every crawl the daemon turns the run's record into a :class:`RunOutcome` and calls
:func:`advance`, which returns the source's new :class:`SourceState` (persisted in the
``schedule`` table, so a restart resumes it) and the health events to announce.

Polling (after Media Cloud's feed fetcher): when most links an outlet shows were already seen
(≥ 67 %), the interval grows by a quarter; when most are new (seen < 33 %), it shrinks by a third —
always within the source's ``min_interval`` .. ``max_interval``. A failed crawl backs off
linearly (interval × (1 + failures), capped at ``max_interval``); a source is never given up.
A ``Retry-After`` from the outlet pushes the next crawl past it.

Health problems: ``failing`` (N crawls in a row failed), ``empty`` (feeds/sitemaps/listings gave
no links for N crawls), ``extraction`` (article pages were fetched but none gave an article, N
crawls in a row: a redesign?), ``silent`` (no new article for k× the source's usual gap),
``javascript`` (article pages hold no text until JavaScript runs: the source needs ``render``),
``rendering`` (the browser failed to render its pages and nothing was stored). Each
problem is announced once when it starts, and the source's recovery once when all have cleared.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field, replace

from crawler.stats import CrawlCounts
from crawler.telegram_health import telegram_problem
from newsmon.timefmt import duration
from storage import ScheduleEntry

SEEN_HIGH = 0.67
SEEN_LOW = 0.33
GROW = 1.25
SHRINK = 1.5


@dataclass(frozen=True)
class HealthPolicy:
    failed_runs: int = 3
    empty_runs: int = 3
    extraction_runs: int = 2
    silent_factor: float = 4.0
    min_silent_s: float = 6 * 3600  # never call a source silent sooner than this


@dataclass(frozen=True)
class RunOutcome:
    """What one crawl of a source came to (from its ``crawl_runs`` row and the child's exit)."""

    ok: bool
    error: str | None = None
    discovered: int = 0
    skipped_seen: int = 0
    unchanged_entries: int = 0  # entry pages answered 304 or with an unchanged body
    stored: int = 0
    not_article: int = 0
    retry_after: float | None = None
    needs_render: int = 0
    render_failures: int = 0

    @classmethod
    def from_counts(cls, counts: CrawlCounts, *, ok: bool, error: str | None = None) -> RunOutcome:
        if ok and counts.entry_errors and not counts.discovered and not counts.unchanged_entries:
            # every entry page failed: the crawl ran, but the source did not answer
            kinds = sorted(f"{kind} ×{n}" for kind, n in counts.errors.items())
            ok, error = False, "its feeds/sitemaps/listings failed: " + ", ".join(kinds)
            if (telegram := telegram_problem(counts.errors)) is not None:
                error = telegram[1]
        return cls(
            ok=ok,
            error=error,
            discovered=counts.discovered,
            skipped_seen=counts.skipped_seen,
            unchanged_entries=counts.unchanged_entries,
            stored=counts.stored,
            not_article=counts.not_article,
            retry_after=counts.retry_after_s,
            needs_render=counts.needs_render,
            render_failures=counts.render_failures,
        )

    @property
    def seen_share(self) -> float:
        """The share of the links shown that were already known (1.0 for an unchanged feed)."""
        if self.discovered <= 0:
            return 1.0
        return max(0.0, (self.discovered - self.stored - self.not_article) / self.discovered)


# A source's state between crawls is what the schedule table keeps of it.
SourceState = ScheduleEntry


@dataclass(frozen=True)
class HealthEvent:
    source: str
    kind: str  # failing | empty | extraction | silent | recovered
    text: str
    at: float = field(default=0.0)


def usual_gap(article_times: list[float]) -> float | None:
    """The median time between a source's recent articles (None with fewer than 5)."""
    if len(article_times) < 5:
        return None
    ordered = sorted(article_times)
    gaps = [b - a for a, b in zip(ordered, ordered[1:], strict=False) if b > a]
    return statistics.median(gaps) if gaps else None


def next_interval(state: SourceState, outcome: RunOutcome, floor: float, ceiling: float) -> float:
    if not outcome.ok:
        return state.interval
    seen = outcome.seen_share
    interval = state.interval
    if seen >= SEEN_HIGH:
        interval *= GROW
    elif seen < SEEN_LOW:
        interval /= SHRINK
    return min(ceiling, max(floor, interval))


def advance(
    state: SourceState,
    outcome: RunOutcome,
    *,
    now: float,
    floor: float,
    ceiling: float,
    adaptive: bool = True,
    policy: HealthPolicy | None = None,
    article_times: list[float] | None = None,
) -> tuple[SourceState, list[HealthEvent]]:
    """The source's state after a crawl, and the health events it causes."""
    policy = policy or HealthPolicy()
    interval = next_interval(state, outcome, floor, ceiling) if adaptive else state.interval
    if outcome.ok:
        failures = 0
        wait = interval
    else:
        failures = state.failures + 1
        wait = min(max(ceiling, interval), interval * (1 + failures))  # linear backoff
    if outcome.retry_after:
        wait = max(wait, outcome.retry_after)
    entries_empty = outcome.ok and outcome.discovered == 0 and outcome.unchanged_entries == 0
    extraction_empty = outcome.ok and outcome.stored == 0 and outcome.not_article >= 3
    last_new = now if outcome.stored > 0 else state.last_new_article
    new = replace(
        state,
        interval=interval,
        next_due=now + wait,
        failures=failures,
        empty_runs=state.empty_runs + 1 if entries_empty else 0,
        extraction_runs=state.extraction_runs + 1 if extraction_empty else 0,
        last_success=now if outcome.ok else state.last_success,
        last_new_article=last_new,
        last_error=None if outcome.ok else outcome.error,
    )
    problems: dict[str, str] = {}
    if new.failures >= policy.failed_runs:
        problems["failing"] = (
            f"{new.failures} crawls in a row failed; last error: {outcome.error or 'unknown'}. "
            f"Next try in {duration(wait)}."
        )
    if new.empty_runs >= policy.empty_runs:
        problems["empty"] = (
            f"its feeds, sitemaps and listings gave no article links in {new.empty_runs} crawls "
            "in a row: check the URLs in newsmon.yaml (moved feed? blocked?)."
        )
    if new.extraction_runs >= policy.extraction_runs:
        problems["extraction"] = (
            f"article pages were fetched but none gave an article in {new.extraction_runs} crawls "
            "in a row: a site redesign? Check a page with `newsmon crawl -v`."
        )
    # a crawl that read no article page (an unchanged feed) neither raises nor clears these
    no_pages = not (outcome.stored or outcome.not_article or outcome.needs_render)
    no_pages = no_pages and not outcome.render_failures
    if outcome.needs_render and not outcome.stored:
        problems["javascript"] = (
            f"{outcome.needs_render} article page(s) hold no text until JavaScript runs: set "
            "render: true for this source (see `newsmon check`)."
        )
    if outcome.render_failures and not outcome.stored:
        problems["rendering"] = (
            f"rendering in Chromium failed for {outcome.render_failures} page(s) and no "
            "article was stored: check rendering.chromium and `newsmon crawl -v`."
        )
    for kind in ("javascript", "rendering"):
        if no_pages and outcome.ok and kind in state.problems:
            problems[kind] = "still (no article page was read since)"
    gap = usual_gap(article_times or [])
    if gap is not None and last_new is not None:
        limit = max(policy.min_silent_s, policy.silent_factor * gap)
        if now - last_new > limit:
            problems["silent"] = (
                f"no new article for {duration(now - last_new)} (usually one every {duration(gap)})."
            )
    events: list[HealthEvent] = []
    for kind, text in problems.items():
        if kind not in state.problems:
            events.append(HealthEvent(state.source, kind, f"{state.source}: {text}", now))
    if state.problems and not problems:
        since = state.problems_since or now
        events.append(
            HealthEvent(
                state.source,
                "recovered",
                f"{state.source} recovered ({', '.join(state.problems)} for {duration(now - since)}).",
                now,
            )
        )
    new = replace(
        new,
        problems=tuple(problems),
        problems_since=(state.problems_since or now) if problems else None,
    )
    return new, events
