"""Trends at scale: what keeping mention counts costs each stored article, the spike check after
a crawl cycle, a daily briefing with its chart, the HTML report, the one-time backfill from
stored alerts, and counting a rule added later over an archive of article-length texts.

    python bench/trends.py [--articles 100000] [--rules 50] [--days 30] [--late-articles 20000]

Synthetic SQLite archive: ``--articles`` articles over ``--days`` days, each matching 0–3 of
``--rules`` rules (Zipf-like popularity), 3 per story on average, 12 sources, 4 languages.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.config import NewsmonConfig  # noqa: E402
from newsmon.backfill import backfill_mentions  # noqa: E402
from newsmon.report_html import build_report, report_span  # noqa: E402
from newsmon.trends import build_briefing, check_spikes  # noqa: E402
from storage import AlertDraft, NewArticle, open_store  # noqa: E402


def fill(
    path: Path, n: int, rules: list[str], days: int, rnd: random.Random
) -> tuple[float, float]:
    """Store ``n`` articles; returns (median ms per save with mentions, without)."""
    store = open_store(path)
    now = datetime.now(UTC)
    weights = [1 / (i + 1) for i in range(len(rules))]
    timed: dict[bool, list[float]] = {True: [], False: []}
    for i in range(n):
        matched = tuple(dict.fromkeys(rnd.choices(rules, weights, k=rnd.randint(0, 3))))
        when = now - timedelta(days=rnd.random() * days)
        article = NewArticle(
            url=f"https://outlet{i % 12}.test/{i}",
            source=f"outlet-{i % 12}",
            title=f"story {i // 3} about {' '.join(matched) or 'nothing'}",
            text=f"text {i}",
            published=when.isoformat(timespec="seconds"),
            language=("en", "ru", "kk", "uz")[i % 4],
            fingerprint=f"fp{i // 3}",
        )
        with_counts = i % 2 == 0
        started = time.perf_counter()
        store.save_article(
            article,
            alerts=[AlertDraft("#news", matched)] if matched else [],
            mentions=matched if with_counts else (),
        )
        if matched:
            timed[with_counts].append(time.perf_counter() - started)
    store.close()
    return statistics.median(timed[True]) * 1000, statistics.median(timed[False]) * 1000


WORDS = [
    "the",
    "ministers",
    "agreed",
    "on",
    "cargo",
    "transit",
    "through",
    "the",
    "port",
    "and",
    "the",
    "new",
    "rail",
    "line",
    "while",
    "customs",
    "officials",
    "said",
    "freight",
    "volumes",
    "grew",
    "as",
    "the",
    "ferry",
    "schedule",
    "changed",
    "and",
    "the",
    "government",
    "announced",
    "tariffs",
    "for",
    "container",
    "trains",
    "in",
    "the",
    "region",
    "after",
    "talks",
    "in",
    "the",
    "capital",
]


def late_rule(n: int, rules: int, rnd: random.Random) -> None:
    """A rule and a concept added to the config after ``n`` articles of ~400 words were
    stored: the time to count their mentions over the archive (once)."""
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "late.db")
        for i in range(n):
            body = " ".join(rnd.choice(WORDS) for _ in range(400))
            if i % 7 == 0:
                body += " The Trans-Caspian corridor was discussed."
            store.save_article(
                NewArticle(
                    url=f"https://outlet{i % 12}.test/{i}",
                    source=f"outlet-{i % 12}",
                    title=f"story {i}",
                    text=body,
                    language="en",
                    fingerprint=f"fp{i}",
                )
            )
        config = NewsmonConfig(
            rules=[
                {"name": f"rule-{i}", "query": f"rule{i}", "channel": "#c"} for i in range(rules)
            ]
            + [{"name": "corridor", "query": '"Trans-Caspian" NEAR/5 corridor', "channel": "#c"}],  # type: ignore[misc]
            concepts={"FREIGHT": ["freight", "cargo", "container*"]},  # type: ignore[dict-item]
        )
        started = time.perf_counter()
        done = backfill_mentions(store, config)
        seconds = time.perf_counter() - started
        again = time.perf_counter()
        backfill_mentions(store, config)  # nothing new: one query
        print(
            f"a rule added later, counted over {n:,} stored articles of ~400 words "
            f"({len(done.subjects)} subjects, {done.mentions:,} mentions): {seconds:.1f}s "
            f"({n / seconds:,.0f} articles/s); the check when nothing is new "
            f"{(time.perf_counter() - again) * 1000:.1f} ms"
        )
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rules", type=int, default=50)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--late-articles", type=int, default=20_000)
    args = parser.parse_args()
    rnd = random.Random(16)
    rules = [f"rule-{i}" for i in range(args.rules)]
    config = NewsmonConfig(
        rules=[
            {"name": r, "query": r.replace("-", ""), "channel": f"#c{i % 5}"}
            for i, r in enumerate(rules)
        ],  # type: ignore[misc]
        briefing={"time": "08:00", "timezone": "Asia/Almaty"},  # type: ignore[arg-type]
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "trends.db"
        started = time.perf_counter()
        with_ms, without_ms = fill(path, args.articles, rules, args.days, rnd)
        print(
            f"stored {args.articles:,} articles in {time.perf_counter() - started:.0f}s; "
            f"save_article median {with_ms:.2f} ms with mention counts, {without_ms:.2f} ms without "
            f"(+{with_ms - without_ms:.2f} ms)"
        )
        store = open_store(path)
        with sqlite3.connect(path) as conn:
            mentions = conn.execute("SELECT count(*) FROM mentions").fetchone()[0]
        now = time.time()
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            check_spikes(store, config, now)
            runs.append(time.perf_counter() - started)
        print(
            f"spike check, {args.rules} rules over {mentions:,} mentions: median "
            f"{statistics.median(runs) * 1000:.0f} ms ({statistics.median(runs) * 1000 / args.rules:.1f} ms a rule)"
        )
        started = time.perf_counter()
        _briefing, png, _name = build_briefing(store, config, "#c0", now, "today")
        print(
            f"briefing of one channel with its chart: {(time.perf_counter() - started) * 1000:.0f} ms, PNG {len(png) // 1024} KiB"
        )
        started = time.perf_counter()
        page = build_report(store, config, now, report_span(store, config, now, 14))
        print(
            f"HTML report, 14 days: {(time.perf_counter() - started) * 1000:.0f} ms, {len(page) // 1024} KiB"
        )
        store.close()
        # the one-time backfill: drop the counts and migrate again from the stored alerts
        with sqlite3.connect(path) as conn:
            conn.executescript(
                "DROP TABLE mentions; DROP TABLE mention_counts; DROP TABLE trend_posts; "
                "DELETE FROM _sqlite_migrations WHERE name = 'm011_mentions';"
            )
        started = time.perf_counter()
        open_store(path).close()
        print(
            f"backfill of {mentions:,} mentions from stored alerts: {time.perf_counter() - started:.1f}s"
        )
    late_rule(args.late_articles, args.rules, rnd)


if __name__ == "__main__":
    main()
