"""Re-crawl cost: a 200-article fixture outlet crawled twice.

    .venv/bin/python bench/recrawl.py [--articles 200]

Prints, for the first crawl and the re-crawl of the unchanged outlet: requests the outlet saw,
article fetches among them, and wall time. Goal: the re-crawl fetches no article.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsmon.demo.outlets import OutletServer  # noqa: E402

PARAGRAPH = (
    "Officials in Astana and Baku discussed cargo volumes on the Caspian route, customs "
    "procedures at the border and new ferry schedules for the coming season. "
)


def build(outlet: OutletServer, n: int) -> None:
    items = []
    for i in range(n):
        path = f"/2025/10/{1 + i % 28:02d}/story-number-{i}/"
        body = f"<p>Story {i}. " + PARAGRAPH * 5 + "</p>"
        outlet.set(
            path,
            f"<html lang='en'><head><title>Story {i}</title></head><body><article>"
            f"<h1>Story {i}</h1>{body}</article></body></html>",
        )
        items.append(f"<item><title>Story {i}</title><link>{{{{BASE}}}}{path}</link></item>")
    outlet.set(
        "/feed.xml",
        "<rss version='2.0'><channel><title>bench</title>" + "".join(items) + "</channel></rss>",
        "application/rss+xml",
    )


def crawl(config: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "newsmon", "--config", str(config), "crawl"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, OutletServer(root=None) as outlet:
        build(outlet, args.articles)
        config = Path(tmp) / "newsmon.yaml"
        config.write_text(
            yaml.safe_dump(
                {
                    "database": "bench.db",
                    "sources": [
                        {
                            "name": "bench",
                            "url": outlet.url("/"),
                            "feeds": [outlet.url("/feed.xml")],
                            "delay": "0s",
                            "concurrency": 8,
                        }
                    ],
                }
            )
        )
        print(f"{'run':<10} {'requests':>9} {'articles':>9} {'seconds':>8}")
        for label in ("first", "re-crawl"):
            before = len(outlet.log)
            seconds = crawl(config)
            hits = outlet.log[before:]
            articles = sum(1 for h in hits if h.path.startswith("/2025/"))
            print(f"{label:<10} {len(hits):>9} {articles:>9} {seconds:>8.2f}")


if __name__ == "__main__":
    main()
