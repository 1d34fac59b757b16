"""Adaptive polling and source health (pure logic)."""

from __future__ import annotations

from dataclasses import replace

from crawler.stats import CrawlCounts
from newsmon.schedule import HealthPolicy, RunOutcome, SourceState, advance, usual_gap

FLOOR, CEIL = 450.0, 3600.0
T0 = 1_800_000_000.0


def step(state: SourceState, outcome: RunOutcome, now: float = T0, **kw):  # type: ignore[no-untyped-def]
    return advance(state, outcome, now=now, floor=FLOOR, ceiling=CEIL, **kw)


def base() -> SourceState:
    return SourceState("outlet", 900.0, T0)


def test_mostly_seen_lengthens_mostly_new_shortens_within_bounds() -> None:
    seen = RunOutcome(ok=True, discovered=20, skipped_seen=19, stored=1)
    fresh = RunOutcome(ok=True, discovered=20, skipped_seen=2, stored=18)
    s, _ = step(base(), seen)
    assert s.interval == 900 * 1.25 and s.next_due == T0 + s.interval
    for _ in range(20):
        s, _ = step(s, seen)
    assert s.interval == CEIL
    for _ in range(20):
        s, _ = step(s, fresh)
    assert s.interval == FLOOR
    middle = RunOutcome(ok=True, discovered=10, skipped_seen=5, stored=5)
    assert step(replace(base(), interval=1000), middle)[0].interval == 1000
    # an unchanged feed (304) counts as all seen
    assert step(base(), RunOutcome(ok=True, unchanged_entries=1))[0].interval > 900
    # adaptive off: the interval stays
    assert step(base(), fresh, adaptive=False)[0].interval == 900


def test_failures_back_off_linearly_never_give_up_and_alert_once() -> None:
    fail = RunOutcome(ok=False, error="crawl process exited with 1")
    s, events = step(base(), fail)
    assert s.failures == 1 and s.next_due == T0 + 1800 and events == []
    s, events = step(s, fail)
    assert s.next_due == T0 + 2700 and events == []
    s, events = step(s, fail)
    assert [e.kind for e in events] == ["failing"]
    assert "3 crawls in a row failed; last error: crawl process exited with 1" in events[0].text
    for _ in range(10):
        s, events = step(s, fail)
        assert events == []  # announced once
    assert s.next_due == T0 + CEIL  # capped, never given up
    s, events = step(s, RunOutcome(ok=True, discovered=3, skipped_seen=3), now=T0 + 7200)
    assert [e.kind for e in events] == ["recovered"] and s.failures == 0
    assert "outlet recovered (failing for 2.0 h)" in events[0].text


def test_retry_after_pushes_the_next_crawl() -> None:
    s, _ = step(base(), RunOutcome(ok=True, discovered=1, skipped_seen=1, retry_after=7200))
    assert s.next_due == T0 + 7200


def test_empty_entries_and_empty_extraction_are_problems() -> None:
    empty = RunOutcome(ok=True)
    s = base()
    kinds: list[str] = []
    for _ in range(3):
        s, events = step(s, empty)
        kinds += [e.kind for e in events]
    assert kinds == ["empty"]
    redesign = RunOutcome(ok=True, discovered=5, not_article=5)
    s, ev1 = step(base(), redesign)
    s, ev2 = step(s, redesign)
    assert ev1 == [] and [e.kind for e in ev2] == ["extraction"]


def test_silent_source() -> None:
    hourly = [T0 - 3600 * i for i in range(1, 30)]
    assert usual_gap(hourly) == 3600
    assert usual_gap(hourly[:3]) is None
    quiet = RunOutcome(ok=True, discovered=10, skipped_seen=10)
    state = replace(base(), last_new_article=T0 - 3600)
    policy = HealthPolicy(silent_factor=4, min_silent_s=3600)
    _, events = step(state, quiet, article_times=hourly, policy=policy)
    assert events == []
    s, events = step(state, quiet, now=T0 + 5 * 3600, article_times=hourly, policy=policy)
    assert [e.kind for e in events] == ["silent"]
    assert "no new article for 6.0 h (usually one every 60 min)" in events[0].text
    # a new article ends it
    s, events = step(
        s,
        RunOutcome(ok=True, discovered=10, stored=1),
        now=T0 + 6 * 3600,
        article_times=hourly,
        policy=policy,
    )
    assert [e.kind for e in events] == ["recovered"]


def test_entry_errors_without_links_are_a_failed_crawl() -> None:
    stats = {"newsmon/entry_errors": 2, "newsmon/errors/http_500": 2}
    out = RunOutcome.from_counts(CrawlCounts.from_stats(stats), ok=True)
    assert not out.ok and out.error == "its feeds/sitemaps/listings failed: http_500 ×2"
    fine = RunOutcome.from_counts(
        CrawlCounts.from_stats({"newsmon/entry_errors": 1, "newsmon/discovered": 4}), ok=True
    )
    assert fine.ok
