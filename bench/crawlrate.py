"""End-to-end crawl rate against bare trafilatura on the same pages.

The 181 ScrapingHub benchmark pages are served by a local outlet, ``--copies`` times over under
different URLs (one feed lists them all); ``scrapy crawl`` fetches, extracts, stores and matches
them (delay 0, 16 in flight), once with extraction in the crawl's own process and once with the
default worker pool (one per CPU). The same crawl of an empty feed gives the fixed cost of a crawl
(process start-up, robots.txt, the feed, shutdown), reported apart from the per-page rate.
The baseline is ``trafilatura.extract`` over the same HTML in one process (pages/s on one core,
best of 3). CPU time per page is the whole machine's busy time during the crawl (crawl,
extraction workers, local outlet) over the pages: run it on an otherwise idle machine.
Goal: newsmon end-to-end ≥ 0.85 × (cores × bare single-core rate).

    python bench/crawlrate.py [--copies 5]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from newsmon.demo.outlets import OutletServer  # noqa: E402

SH = ROOT.parent / "shared" / "corpus" / "scrapinghub-article-extraction-benchmark"


def bare_rate(pages: dict[str, bytes]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for html in pages.values():
            trafilatura.extract(html, include_comments=False)
        best = min(best, time.perf_counter() - started)
    return len(pages) / best


def machine_cpu() -> float:
    """CPU seconds the whole machine has been busy (Linux /proc/stat): the crawl, its extraction
    workers (which are not children of the crawl under forkserver) and the local outlet."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(x) for x in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def crawl(pages: dict[str, bytes], copies: int, workers: str) -> tuple[float, float, int]:
    """Wall seconds, machine CPU seconds during the crawl, articles stored."""
    with OutletServer(root=None) as site:
        site.set("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
        items = "".join(
            f"<item><title>p</title><link>{{{{BASE}}}}/c{c}/p/{k}/</link></item>"
            for c in range(copies)
            for k in pages
        )
        site.set(
            "/feed.xml",
            f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>',
            "application/rss+xml",
        )
        for c in range(copies):
            for k, html in pages.items():
                site.set(f"/c{c}/p/{k}/", html, "text/html; charset=utf-8")
        tmp = Path(tempfile.mkdtemp(prefix="newsmon-rate-"))
        config = {
            "database": "rate.db",
            "sources": [
                {
                    "name": "corpus",
                    "url": site.url("/"),
                    "feeds": [site.url("/feed.xml")],
                    "delay": "0s",
                    "concurrency": 16,
                }
            ],
            "rules": [{"name": "azerbaijan", "query": "Azerbaijan*", "channel": "#c"}],
        }
        (tmp / "newsmon.yaml").write_text(yaml.safe_dump(config))
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "NEWSMON_CONFIG": str(tmp / "newsmon.yaml")}
        cmd = [sys.executable, "-m", "scrapy", "crawl", "corpus", "-s", "LOG_LEVEL=WARNING"]
        if workers:
            cmd += ["-s", f"NEWSMON_EXTRACT_WORKERS={workers}"]
        cpu0, t0 = machine_cpu(), time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
        wall, cpu = time.perf_counter() - t0, machine_cpu() - cpu0
        from storage import open_store

        store = open_store(tmp / "rate.db")
        stored = sum(1 for _ in store.articles())
        store.close()
        return wall, cpu, stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=5, help="times each page is served")
    args = parser.parse_args()
    truth = json.loads((SH / "ground-truth.json").read_text())
    pages = {k: gzip.decompress((SH / "html" / f"{k}.html.gz").read_bytes()) for k in truth}
    n = len(pages) * args.copies
    bare = bare_rate(pages)
    cores = os.cpu_count() or 1
    print(
        f"bare trafilatura.extract: {bare:.1f} pages/s on one core = {1000 / bare:.1f} ms CPU/page "
        f"({cores} cores here; goal {0.85 * cores * bare:.1f} pages/s)"
    )
    fixed, _cpu, _ = crawl({}, 1, "")
    print(f"fixed cost of a crawl (start-up, robots.txt, feed, shutdown): {fixed:.1f} s")
    results = {}
    for label, workers in (("in-process", "0"), (f"{cores} extraction workers", "")):
        wall, cpu, stored = crawl(pages, args.copies, workers)
        rate, steady = n / wall, n / max(0.001, wall - fixed)
        results[label] = (rate, steady)
        print(
            f"newsmon crawl, {label}: {n} pages ({stored} stored) in {wall:.1f} s = "
            f"{rate:.1f} pages/s ({steady:.1f} without the fixed cost); "
            f"machine busy {1000 * cpu / n:.1f} ms CPU/page ({cpu / n * bare:.2f}× bare)"
        )
    best, best_steady = max(r[0] for r in results.values()), max(r[1] for r in results.values())
    goal = 0.85 * cores * bare
    print(
        f"best newsmon rate / (cores × bare rate) = {best / (cores * bare):.2f}, "
        f"{best_steady / (cores * bare):.2f} without the fixed cost "
        f"(goal ≥ 0.85: {'met' if best >= goal else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
