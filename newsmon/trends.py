"""What is rising: spike alerts after each crawl cycle and each channel's daily briefing.

Both read the mention counts that storage keeps as articles are matched (never the archive),
and both go out through the outbox (``trend_posts``): a message is queued under a key — a rule's
spike level of the day, a channel's local date — that the database keeps unique, so it is sent
once across restarts and across the nodes sharing the database, paced and retried by the
dispatcher like every other message.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from alerts.spikes import SpikeTest, assess, rising_terms
from alerts.trend_messages import (
    MAX_STORIES,
    Briefing,
    SpikeReport,
    briefing_blocks,
    briefing_text,
    spike_blocks,
    spike_text,
)
from crawler.config import BriefingConfig, NewsmonConfig
from storage import PostDraft, Storage
from storage.days import day_of, days_before

log = logging.getLogger("newsmon.trends")

CHART_DAYS = 14
BRIEFING_HOURS = 24


def day_range(first: str, last: str) -> list[str]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [(start + timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]


def spike_test(config: NewsmonConfig) -> SpikeTest:
    s = config.spikes
    return SpikeTest(
        baseline_days=s.baseline_days,
        min_volume=s.min_stories,
        alpha=s.significance,
        min_ratio=s.min_ratio,
    )


def spike_report(
    store: Storage, rule: str, channel: str, day: str, test: SpikeTest, query: str = ""
) -> SpikeReport:
    """A rule's day against its baseline, with the stories, terms and languages behind it."""
    first = days_before(day, test.baseline_days)
    by_day = {m.day: m for m in store.daily_mentions(first, day, [rule])}
    before = day_range(first, days_before(day, 1))
    today = by_day.get(day)
    decision = assess(
        today.stories if today else 0,
        [by_day[d].stories if d in by_day else 0 for d in before],
        test,
    )
    usual_outlets = sum(by_day[d].outlets for d in before if d in by_day) / len(before)
    languages: Counter[str] = Counter()
    for count in store.mention_counts(day, day, [rule]):
        languages[count.language] += count.articles
    titles = store.mention_titles(rule, first, day)
    terms = rising_terms(
        [t for d, t in titles if d == day],
        [t for d, t in titles if d < day],
        len(before),
        exclude=f"{rule} {query}",
    )
    return SpikeReport(
        rule=rule,
        channel=channel,
        day=day,
        decision=decision,
        outlets=today.outlets if today else 0,
        usual_outlets=usual_outlets,
        stories=store.top_stories([rule], since_day=day, until_day=day, limit=MAX_STORIES),
        terms=terms,
        languages=dict(languages.most_common()),
    )


def check_spikes(store: Storage, config: NewsmonConfig, now: float) -> list[SpikeReport]:
    """Queue a spike alert for each rule whose stories today are a spike — at most one per
    rule and day, unless the volume doubles again since the last one. Returns those queued."""
    if not config.spikes.enabled:
        return []
    test = spike_test(config)
    day = day_of(now)
    queued = []
    for rule in config.rules:
        report = spike_report(store, rule.name, rule.channel, day, test, rule.query)
        if not report.decision.spike:
            continue
        last = store.latest_post("spike", rule.name, day)
        level = 0
        if last is not None:
            if report.decision.today < 2 * last.volume:
                continue
            level = int(last.key.rsplit(":", 1)[-1]) + 1
        draft = PostDraft(
            key=f"spike:{rule.name}:{day}:{level}",
            kind="spike",
            channel=rule.channel,
            subject=rule.name,
            day=day,
            volume=report.decision.today,
            text=spike_text(report),
            blocks=tuple(spike_blocks(report)),
        )
        if store.add_post(draft) is not None:
            log.info("spike: %s", draft.text)
            queued.append(report)
    return queued


def rising(store: Storage, config: NewsmonConfig, now: float) -> list[SpikeReport]:
    """Every rule's report for today, spikes first (``newsmon trends``)."""
    test = spike_test(config)
    day = day_of(now)
    reports = [spike_report(store, r.name, r.channel, day, test, r.query) for r in config.rules]
    return sorted(reports, key=lambda r: (not r.decision.spike, -r.decision.ratio, r.rule))


# --- the daily briefing ----------------------------------------------------------------------


def briefing_channels(config: NewsmonConfig) -> list[str]:
    wanted = config.briefing.channels if config.briefing else None
    channels = list(dict.fromkeys(r.channel for r in config.rules))
    return [c for c in channels if wanted is None or c in wanted] + [
        c for c in (wanted or []) if c not in channels
    ]


def chart_series(
    store: Storage, rules: Sequence[str], last_day: str, days: int = CHART_DAYS
) -> tuple[dict[str, list[int]], list[str]]:
    """Matched articles per rule on each of the ``days`` days up to ``last_day``."""
    span = day_range(days_before(last_day, days - 1), last_day)
    totals: dict[str, dict[str, int]] = defaultdict(dict)
    for count in store.mention_counts(span[0], last_day, list(rules)):
        totals[count.subject][count.day] = totals[count.subject].get(count.day, 0) + count.articles
    return {r: [totals[r].get(d, 0) for d in span] for r in rules if r in totals}, span


def build_briefing(
    store: Storage, config: NewsmonConfig, channel: str, now: float, local_day: str
) -> tuple[Briefing, bytes, str]:
    """A channel's briefing for ``local_day``: the briefing, its chart (PNG) and file name."""
    rules = [r.name for r in config.rules if r.channel == channel]
    # the last 24 hours: published then (or first seen then, when undated)
    since = now - BRIEFING_HOURS * 3600
    first, last = day_of(since), day_of(now)
    stories = store.top_stories(
        rules, since_day=first, until_day=last, since=since, limit=MAX_STORIES * 2
    )
    totals: Counter[str] = Counter()
    for m in store.daily_mentions(first, last, rules, since=since):
        totals[m.subject] += m.articles
    from newsmon.charts import mentions_chart  # matplotlib: loaded when a chart is drawn

    series, span = chart_series(store, rules, last)
    name = f"mentions-{channel.lstrip('#')}-{local_day}.png"
    png = mentions_chart(series, span, f"Mentions per rule, {span[0]} – {span[-1]} ({channel})")
    briefing = Briefing(
        channel=channel,
        day=local_day,
        hours=BRIEFING_HOURS,
        stories=stories,
        totals=dict(totals.most_common()),
        chart_name=name,
    )
    return briefing, png, name


def briefing_due(briefing: BriefingConfig, now: float) -> str | None:
    """The local date whose briefing is due at ``now`` (its time of day has passed), else
    None."""
    local = datetime.fromtimestamp(now, UTC).astimezone(briefing.zone)
    hour, minute = briefing.at
    if (local.hour, local.minute) < (hour, minute):
        return None
    return local.date().isoformat()


def queue_briefings(store: Storage, config: NewsmonConfig, now: float) -> list[str]:
    """Queue the briefing of each channel whose local briefing time has passed today and whose
    briefing for today was not queued yet (by this node or another). Returns the keys queued."""
    if config.briefing is None:
        return []
    local_day = briefing_due(config.briefing, now)
    if local_day is None:
        return []
    queued = []
    for channel in briefing_channels(config):
        key = f"briefing:{channel}:{local_day}"
        if store.post_exists(key):
            continue
        briefing, png, name = build_briefing(store, config, channel, now, local_day)
        draft = PostDraft(
            key=key,
            kind="briefing",
            channel=channel,
            subject=channel,
            day=local_day,
            volume=len(briefing.stories),
            text=briefing_text(briefing),
            blocks=tuple(briefing_blocks(briefing)),
            filename=name,
            file=png,
        )
        if store.add_post(draft) is not None:
            log.info("briefing for %s (%s) queued", channel, local_day)
            queued.append(key)
    return queued
