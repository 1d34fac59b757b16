"""Extraction quality through the whole crawl: the ScrapingHub pages as one served outlet.

    .venv/bin/python bench/blackbox.py [--show 10]

The 181 ScrapingHub benchmark pages are served by a local outlet (one feed lists them all) and
crawled by ``newsmon crawl --no-deliver`` — first batch, site-learned boilerplate lines, page
templates, deduplication, storage — as a user's crawl of a source would; the stored texts are
scored with the benchmark's own method (token 4-shingles, ``bench/extraction.py``) beside
``extract_article`` called directly on each page (what ``bench/extraction.py`` scores). The
pages whose stored text differs most from the direct extraction are listed, with why: not
stored, lines removed as the source's boilerplate, or another text.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.extraction import SH, newsmon_text, sh_pages, sh_score  # noqa: E402
from newsmon.demo.outlets import OutletServer  # noqa: E402


def crawl(pages: dict[str, bytes], tmp: Path) -> dict[str, str]:
    """The stored text of each page (by benchmark key) after ``newsmon crawl``."""
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
        for key, html in pages.items():
            site.set(f"/p/{key}/", html, "text/html; charset=utf-8")
        config = {
            "database": "blackbox.db",
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
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "newsmon",
                "--config",
                str(tmp / "newsmon.yaml"),
                "crawl",
                "--no-deliver",
            ],
            cwd=ROOT,
            env={**env, "NEWSMON_STORY_VECTORS": "0"},
            check=True,
            capture_output=True,
        )
    with sqlite3.connect(tmp / "blackbox.db") as conn:
        rows = conn.execute("SELECT fetched_url, text FROM articles").fetchall()
    return {url.rstrip("/").rsplit("/", 1)[-1]: text for url, text in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=10, help="list the pages that differ most")
    args = parser.parse_args()
    truth, html = sh_pages()
    urls = {k: v["url"] for k, v in json.loads((SH / "ground-truth.json").read_text()).items()}
    direct = {k: newsmon_text(page, urls[k]) for k, page in html.items()}
    with tempfile.TemporaryDirectory() as tmp:
        stored = crawl(html, Path(tmp))
    for label, pred in (
        ("extract_article, page by page", direct),
        ("newsmon crawl, stored", stored),
    ):
        s = sh_score(truth, pred)
        print(f"{label:<32} F1 {s['f1']:.3f}  P {s['precision']:.3f}  R {s['recall']:.3f}")
    print(f"stored {len(stored)} of {len(html)} pages")
    diffs = []
    for key in html:
        one = {key: truth[key]}
        a = sh_score(one, {key: direct[key]})["f1"]
        b = sh_score(one, {key: stored.get(key, "")})["f1"]
        if abs(a - b) > 1e-9:
            got = stored.get(key)
            if got is None:
                why = "not stored"
            elif set(got.splitlines()) < set(direct[key].splitlines()):
                why = (
                    f"{len(set(direct[key].splitlines()) - set(got.splitlines()))} line(s) removed"
                )
            else:
                why = f"another text ({len(got)} against {len(direct[key])} characters)"
            diffs.append((b - a, key, a, b, why))
    diffs.sort()
    print(f"{len(diffs)} page(s) scored differently; the largest differences:")
    for delta, key, a, b, why in diffs[: args.show]:
        print(f"  {key} {urls[key][:60]}: F1 {a:.3f} → {b:.3f} ({delta:+.3f}): {why}")


if __name__ == "__main__":
    main()
