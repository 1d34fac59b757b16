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

from alerts.spikes import SpikeDecision, SpikeTest, assess, rising_terms
from alerts.trend_messages import (
    MAX_STORIES,
    Briefing,
    SpikeReport,
    briefing_blocks,
    briefing_text,
    spike_blocks,
    spike_text,
)
from crawler.config import BriefingConfig, NewsmonConfig, RuleConfig
from storage import DailyMentions, PostDraft, Storage
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


def decisions(
    store: Storage, rules: Sequence[str], day: str, test: SpikeTest
) -> dict[str, tuple[SpikeDecision, int, float]]:
    """Each rule's day against its baseline, from one read of the daily counts:
    (decision, outlets that day, usual outlets a day)."""
    first = days_before(day, test.baseline_days)
    before = day_range(first, days_before(day, 1))
    by_rule: dict[str, dict[str, DailyMentions]] = defaultdict(dict)
    for m in store.daily_mentions(first, day, list(rules)):
        by_rule[m.subject][m.day] = m
    out = {}
    for rule in rules:
        by_day = by_rule.get(rule, {})
        today = by_day.get(day)
        decision = assess(
            today.stories if today else 0,
            [by_day[d].stories if d in by_day else 0 for d in before],
            test,
        )
        usual_outlets = sum(by_day[d].outlets for d in before if d in by_day) / len(before)
        out[rule] = (decision, today.outlets if today else 0, usual_outlets)
    return out


def spike_report(
    store: Storage,
    rule: RuleConfig,
    day: str,
    test: SpikeTest,
    decided: tuple[SpikeDecision, int, float],
) -> SpikeReport:
    """A rule's day with the stories, terms and languages behind its numbers."""
    decision, outlets, usual_outlets = decided
    first = days_before(day, test.baseline_days)
    languages: Counter[str] = Counter()
    for count in store.mention_counts(day, day, [rule.name]):
        languages[count.language] += count.articles
    titles = store.mention_titles(rule.name, first, day)
    terms = rising_terms(
        [t for d, t in titles if d == day],
        [t for d, t in titles if d < day],
        test.baseline_days,
        exclude=f"{rule.name} {rule.query}",
    )
    return SpikeReport(
        rule=rule.name,
        channel=", ".join(rule.channels),
        day=day,
        decision=decision,
        outlets=outlets,
        usual_outlets=usual_outlets,
        stories=store.top_stories([rule.name], since_day=day, until_day=day, limit=MAX_STORIES),
        terms=terms,
        languages=dict(languages.most_common()),
    )


def check_spikes(store: Storage, config: NewsmonConfig, now: float) -> list[SpikeReport]:
    """Queue a spike alert for each rule whose stories today are a spike — at most one per
    rule and day, unless the volume doubles again since the last one. Returns those queued.
    One read of the daily counts decides for every rule; only a spike reads its stories."""
    if not config.spikes.enabled or not config.rules:
        return []
    test = spike_test(config)
    day = day_of(now)
    decided = decisions(store, [r.name for r in config.rules], day, test)
    queued: list[SpikeReport] = []
    for rule in config.rules:
        decision = decided[rule.name][0]
        if not decision.spike:
            continue
        last = store.latest_post("spike", rule.name, day)
        level = 0
        if last is not None:
            if decision.today < 2 * last.volume:
                continue
            level = int(last.key.rsplit(":", 1)[-1]) + 1
        report = spike_report(store, rule, day, test, decided[rule.name])
        for i, channel in enumerate(rule.channels):
            # the first channel keeps the key it always had; each other one has its own
            where = "" if i == 0 else f"@{channel}"
            draft = PostDraft(
                key=f"spike:{rule.name}{where}:{day}:{level}",
                kind="spike",
                channel=channel,
                subject=rule.name,
                day=day,
                volume=decision.today,
                text=spike_text(report),
                blocks=tuple(spike_blocks(report)),
            )
            if store.add_post(draft) is not None:
                log.info("spike: %s (%s)", draft.text, channel)
                if not queued or queued[-1] is not report:
                    queued.append(report)
    return queued


def rising(store: Storage, config: NewsmonConfig, now: float) -> list[SpikeReport]:
    """Every rule's numbers for today, spikes first with their stories, terms and languages
    (``newsmon trends``)."""
    test = spike_test(config)
    day = day_of(now)
    decided = decisions(store, [r.name for r in config.rules], day, test)
    reports = [
        spike_report(store, r, day, test, decided[r.name])
        if decided[r.name][0].spike
        else SpikeReport(r.name, ", ".join(r.channels), day, *decided[r.name])
        for r in config.rules
    ]
    return sorted(reports, key=lambda r: (not r.decision.spike, -r.decision.ratio, r.rule))


# --- the daily briefing ----------------------------------------------------------------------


def briefing_channels(config: NewsmonConfig) -> list[str]:
    wanted = config.briefing.channels if config.briefing else None
    channels = list(dict.fromkeys(c for r in config.rules for c in r.channels))
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
    rules = [r.name for r in config.rules if channel in r.channels]
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
