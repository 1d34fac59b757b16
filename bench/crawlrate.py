"""End-to-end crawl rate against bare trafilatura on the same pages.

The 181 ScrapingHub benchmark pages are served by a local outlet (one feed listing them all);
`newsmon crawl` fetches, extracts, stores and matches them (delay 0, 16 in flight), once with
extraction in the crawl's own process and once with the default worker pool (one per CPU).
The baseline is `trafilatura.extract` over the same HTML in one process (pages/s on one core).
Goal: newsmon end-to-end ≥ 0.85 × (cores × bare single-core rate).

    python bench/crawlrate.py
"""

from __future__ import annotations

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

from crawler.demo.server import OutletServer  # noqa: E402

SH = ROOT.parent / "shared" / "corpus" / "scrapinghub-article-extraction-benchmark"


def main() -> None:
    truth = json.loads((SH / "ground-truth.json").read_text())
    pages = {k: gzip.decompress((SH / "html" / f"{k}.html.gz").read_bytes()) for k in truth}
    started = time.perf_counter()
    for html in pages.values():
        trafilatura.extract(html, include_comments=False)
    bare = len(pages) / (time.perf_counter() - started)
    cores = os.cpu_count() or 1
    print(f"bare trafilatura.extract: {bare:.1f} pages/s on one core ({cores} cores here)")
    results = {}
    for label, workers in (("in-process", "0"), (f"{cores} extraction workers", "")):
        with OutletServer(root=None) as site:
            site.set("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
            items = "".join(
                f"<item><title>p</title><link>{{{{BASE}}}}/p/{k}/</link></item>" for k in pages
            )
            site.set(
                "/feed.xml",
                f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>',
                "application/rss+xml",
            )
            for k, html in pages.items():
                site.set(f"/p/{k}/", html, "text/html; charset=utf-8")
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
            env = {**os.environ, "PYTHONUNBUFFERED": "1"}
            cmd = [sys.executable, "-m", "scrapy", "crawl", "corpus", "-s", "LOG_LEVEL=WARNING"]
            if workers:
                cmd += ["-s", f"NEWSMON_EXTRACT_WORKERS={workers}"]
            env["NEWSMON_CONFIG"] = str(tmp / "newsmon.yaml")
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
            elapsed = time.perf_counter() - t0
            rate = len(pages) / elapsed
            results[label] = rate
            print(
                f"newsmon crawl, {label}: {len(pages)} pages in {elapsed:.1f} s = {rate:.1f} pages/s"
            )
    best = max(results.values())
    goal = 0.85 * cores * bare
    print(
        f"best newsmon rate / (cores × bare rate) = {best / (cores * bare):.2f} "
        f"(goal ≥ 0.85: {'met' if best >= goal else 'NOT met'}); "
        "the newsmon figures include process start-up (~1.2 s), robots.txt and the feed"
    )


if __name__ == "__main__":
    main()
