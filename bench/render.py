"""Rendered pages per second, and the browser's memory, over a crawl of rendered articles.

A local outlet serves ``--articles`` (default 100) article pages that are JavaScript app shells:
each page's body is filled from a JSON request after load (as tests/probe_outlets.py's
JavaScript-only outlet). One source with ``render: true`` is crawled by one crawl engine in this
process, the machine's Chromium rendering the pages (``rendering.max_pages`` at once, default 4).
The rate is stored articles over the crawl's wall time from its first rendered page to the last
(the browser's launch included); the memory is the browser processes' proportional set size,
sampled every 0.5 s (peak and last), and the browser's restarts past the ceiling
(``--memory`` sets it low to see them). Goal: ≥ 5 rendered pages/s on the 2-core machine, memory
under the ceiling (``rendering.memory``, default 1024 MiB).

    flock /tmp/newsmon-bench.lock .venv/bin/python bench/render.py [--articles 100] [--pages 4]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NEWSMON_STORY_VECTORS", "0")

from crawler.config import load_config  # noqa: E402
from crawler.engine import CrawlEngine  # noqa: E402
from crawler.rendering import browser_pids, memory_bytes  # noqa: E402
from crawler.runner import crawl_settings  # noqa: E402
from newsmon.demo.outlets import OutletServer  # noqa: E402
from tests.probe_outlets import add_js_articles, js_only  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--pages", type=int, default=4, help="rendering.max_pages")
    parser.add_argument("--memory", type=int, default=1024, help="rendering.memory (MiB)")
    args = parser.parse_args()
    with OutletServer(root=None) as site:
        site.set("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
        js_only(site, n=0)
        add_js_articles(
            site, [f"/2026/12/07/pipeline-talks-resume-{i}/" for i in range(args.articles)]
        )
        tmp = Path(tempfile.mkdtemp(prefix="newsmon-render-"))
        source = {
            "name": "spa",
            "url": site.url("/"),
            "feeds": [site.url("/rss")],
            "delay": "0s",
            "concurrency": args.pages,
            "render": True,
        }
        data = {
            "database": "render.db",
            "sources": [source],
            "rendering": {"max_pages": args.pages, "memory": args.memory},
        }
        (tmp / "newsmon.yaml").write_text(yaml.safe_dump(data))
        config = load_config(tmp / "newsmon.yaml")
        engine = CrawlEngine(config, crawl_settings(config))
        engine.start()
        samples: list[int] = []
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.5):
                crawler = engine._crawler
                if crawler is not None:
                    samples.append(memory_bytes(browser_pids(crawler)))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        restarts = 0
        try:
            result = engine.submit("spa", timeout=600).result()
            if engine._crawler is not None and engine._crawler.stats is not None:
                restarts = int(engine._crawler.stats.get_value("newsmon/render_restarts", 0))
        finally:
            done.set()
            engine.stop()
        pages = [h for h in site.log if h.path.startswith("/2026/")]
        span = max(h.at for h in pages) - min(h.started for h in pages) if pages else 0.0
        stored = result.counts.stored
        ceiling = config.model.rendering.memory
        peak = max(samples, default=0) / 2**20
        print(f"rendered articles stored: {stored} of {args.articles} ({args.pages} pages at once)")
        print(f"rendered pages/s: {stored / span:.1f} over {span:.1f}s (goal >= 5)")
        print(
            f"browser memory (PSS): peak {peak:.0f} MiB, last "
            f"{(samples[-1] if samples else 0) / 2**20:.0f} MiB, ceiling {ceiling} MiB, "
            f"{restarts} restart(s) past it"
        )
        print(
            f"crawl: {result.counts.seconds:.1f}s, {result.counts.render_failures} render failures"
        )
        return 0 if stored == args.articles else 1


if __name__ == "__main__":
    sys.exit(main())
