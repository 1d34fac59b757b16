"""Crawl rate on outlets with a learned page template, against bare trafilatura.

    .venv/bin/python bench/templaterate.py [--per-outlet 150] [--workers N]

The six rotating-sidebar outlets of ``tests/sidebar_sites.py`` (WordPress en, Bitrix ru, Drupal
kk, hand-made az, Bootstrap uz, AMP en; each on a loopback address of its own, so that each is a
site with its own politeness limit) publish 8 articles each and are crawled once by
``newsmon crawl --no-deliver``: their first batch teaches each outlet its template. Then each
publishes ``--per-outlet`` more (the feeds list them all) and the second crawl — fetch,
extract, story vectors and signatures, store, match, alerts queued (their delivery is paced one
message a second per channel, which is not the crawl's work) — is timed. The same crawl of outlets that
have published nothing new gives its fixed cost (start-up, robots.txt, feeds, shutdown), and the
rate is reported with and without it. CPU is the whole machine's busy time (crawl, extraction
workers, the local outlets): run it on an otherwise idle machine.

The baseline is bare ``trafilatura.extract`` in one process over the same pages as served (best
of 3). Goal: the whole pipeline with templates ≥ 1.7 × the bare single-core rate, on both cores.
The same pages crawled by a copy of the outlets without templates (``NEWSMON_TEMPLATES=0``) give
the generic figure beside it. Story vectors (an embedding of title and lead, about 70 ms of one
core, for each article a rule matches — a quarter of these outlets' articles name the watched
country) are measured on and off.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from bench.crawlrate import machine_cpu  # noqa: E402
from tests.sidebar_sites import STYLES, Outlets  # noqa: E402


def newsmon_crawl(config: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "newsmon", "--config", str(config), "crawl", "--no-deliver"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"newsmon crawl failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def stored(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def bare_rate(pages: list[str]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for html in pages:
            trafilatura.extract(html, include_comments=False)
        best = min(best, time.perf_counter() - started)
    return len(pages) / best


def run(per_outlet: int, env: dict[str, str]) -> tuple[int, float, float, float, list[str]]:
    """Pages crawled, wall seconds and machine CPU seconds of the timed crawl, the fixed cost
    of a crawl with nothing new, and the pages as served."""
    with tempfile.TemporaryDirectory() as tmp, Outlets(STYLES, first=8) as outlets:
        config = outlets.write_config(Path(tmp))
        for site in outlets.sites:
            site.feed_items = per_outlet + 8
        newsmon_crawl(config, env)  # the first batch: templates learned
        before = stored(Path(tmp) / "newsmon.db")
        outlets.publish(per_outlet)
        pages = [
            site.page(a).replace("{{BASE}}", site.base)
            for site in outlets.sites
            for a in site.articles[-per_outlet:]
        ]
        cpu0 = machine_cpu()
        wall = newsmon_crawl(config, env)
        cpu = machine_cpu() - cpu0
        crawled = stored(Path(tmp) / "newsmon.db") - before
        fixed = newsmon_crawl(config, env)  # nothing new: the fixed cost
        return crawled, wall, cpu, fixed, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-outlet", type=int, default=150, help="articles timed per outlet")
    parser.add_argument("--workers", default="", help="NEWSMON_EXTRACT_WORKERS (default: cores)")
    args = parser.parse_args()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    base_env["PYTHONUNBUFFERED"] = "1"
    if args.workers:
        base_env["NEWSMON_EXTRACT_WORKERS"] = args.workers
    bare = None
    runs = (
        ("with templates, story vectors on", {"NEWSMON_STORY_VECTORS": "1"}),
        ("with templates, story vectors off", {"NEWSMON_STORY_VECTORS": "0"}),
        ("generic, story vectors off", {"NEWSMON_STORY_VECTORS": "0", "NEWSMON_TEMPLATES": "0"}),
    )
    for label, extra in runs:
        crawled, wall, cpu, fixed, pages = run(args.per_outlet, {**base_env, **extra})
        if bare is None:
            bare = bare_rate(pages)
            print(
                f"bare trafilatura.extract: {bare:.1f} pages/s on one core = "
                f"{1000 / bare:.1f} ms CPU/page ({len(pages)} pages, "
                f"{sum(map(len, pages)) / len(pages) / 1000:.1f} k characters each)"
            )
        n = len(pages)
        rate, steady = n / wall, n / max(0.001, wall - fixed)
        print(
            f"newsmon crawl {label}: {n} pages ({crawled} stored) in {wall:.1f} s = "
            f"{rate:.1f} pages/s ({steady:.1f} without the fixed cost of {fixed:.1f} s); "
            f"{rate / bare:.2f} × bare ({steady / bare:.2f} ×); machine busy "
            f"{1000 * cpu / n:.1f} ms CPU/page"
        )


if __name__ == "__main__":
    main()
