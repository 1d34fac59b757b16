"""Saved real pages of an outlet: generic extraction against the outlet's learned template.

The pages are third parties' articles and are not part of the repository: point ``--dir`` at a
folder with one sub-folder per outlet, each holding saved article pages (``*.html``) and, beside
each, ``<name>.truth.json`` with at least ``first_paragraph``, ``last_paragraph`` and
``body_chars_estimate`` (and optionally ``url``, ``watched``: a word of a rule that the page's
sidebars carry but its article does not). A ``SOURCES.md`` at the top says where each page came
from. The template of each outlet is learned from all of its pages, as a first crawl would, and
each page is then read with it.

    python bench/realpages.py --dir ../realpages [--stages]

``--stages``: where the time of a page read by the template goes — each step of
``extract_page`` timed on its own (best of 9 passes); "the rest" is the function's own work and
lxml freeing the page's tree.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import crawler.extract.article as article_module  # noqa: E402
from crawler.extract.article import Article, extract_page  # noqa: E402
from crawler.extract.template import Template, learn  # noqa: E402


def _norm(text: str) -> str:
    return " ".join(text.split())


def _ms_per_page(pages: list[tuple[str, str]], template: Template | None, rounds: int = 3) -> float:
    """Best of ``rounds`` passes over the pages: milliseconds a page."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for html, url in pages:
            extract_page(html, url, templates=(template,) if template is not None else ())
        best = min(best, (time.perf_counter() - started) / len(pages))
    return best * 1000


# the steps of extract_page timed by --stages (the names it calls them by)
STAGES = [
    "parse_page",
    "PageHead",
    "declared_page_urls",
    "canonical_page_url",
    "published_date",
    "page_types",
    "headline_and_site",
    "detect_language",
    "find",
    "prune",
    "prune_inserts",
    "layout",
    "declared_author",
    "byline_author",
    "read_author",
    "read_title",
    "read_date",
    "_light_metadata",
    "_body_lines",
    "linked_spans",
    "fingerprint",
    "clean_title",
    "not_article_reason",
    "page_description",
]


def _stages(pages: list[tuple[str, str]], template: Template, rounds: int = 9) -> None:
    """Milliseconds a page in each step of extract_page with the template (best pass)."""
    spent: dict[str, float] = defaultdict(float)
    inside = [False]

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            if inside[0]:  # a step called by another is the other's time
                return fn(*args, **kwargs)
            inside[0] = True
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started
                inside[0] = False

        return run

    saved = {
        name: getattr(article_module, name) for name in STAGES if hasattr(article_module, name)
    }
    for name, fn in saved.items():
        setattr(article_module, name, timed(name, fn))
    try:
        best: dict[str, float] = {}
        for _ in range(rounds):
            spent.clear()
            started = time.perf_counter()
            for html, url in pages:
                article_module.extract_page(html, url, templates=(template,))
            total = time.perf_counter() - started
            if not best or total < best["total"]:
                best = {**spent, "total": total}
    finally:
        for name, fn in saved.items():
            setattr(article_module, name, fn)
    per_page = {k: v / len(pages) * 1000 for k, v in best.items()}
    rest = per_page["total"] - sum(v for k, v in per_page.items() if k != "total")
    for name, ms in sorted(per_page.items(), key=lambda kv: -kv[1]):
        if ms >= 0.001:
            print(f"    {name:<22} {ms:6.3f} ms")
    print(f"    {'(the rest)':<22} {rest:6.3f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, default=ROOT.parent / "shared" / "realpages")
    parser.add_argument("--watched", default="", help="a word the sidebars carry (any case)")
    parser.add_argument("--stages", action="store_true", help="time each step of a page's read")
    args = parser.parse_args()
    if not args.dir.is_dir():
        print(f"no saved pages at {args.dir} (see this script's docstring)", file=sys.stderr)
        return 1
    print(f"{'page':<44} {'truth':>6} {'generic':>8} {'template':>9}  first/last found  watched")
    for outlet in sorted(p for p in args.dir.rglob("*") if p.is_dir()):
        pages = sorted(outlet.glob("*.html"))
        if not pages:
            continue
        found: list[tuple[Path, dict[str, object], Article]] = []
        for page in pages:
            truth_file = page.with_suffix(".truth.json")
            truth = json.loads(truth_file.read_text()) if truth_file.exists() else {}
            html = page.read_text(encoding="utf-8", errors="replace")
            url = str(truth.get("url") or f"https://{outlet.name}.example/{page.stem}")
            article = extract_page(html, url, with_layout=True)
            if isinstance(article, Article):
                found.append((page, truth, article))
        template = learn([a.layout for _, _, a in found if a.layout is not None])
        print(f"{outlet.name}: {template.describe() if template else 'no template learned'}")
        if template is not None:
            htmls = [(p.read_text(encoding="utf-8", errors="replace"), a.url) for p, _, a in found]
            generic, by_template = (_ms_per_page(htmls, t) for t in (None, template))
            print(
                f"  extraction: {by_template:.1f} ms a page by the template, {generic:.1f} generic"
            )
            if args.stages:
                _stages(htmls, template)
        for page, truth, article in found:
            assert article.layout is not None
            by_template = template.text_of(article.layout) if template else None
            text = _norm(by_template or "")
            ends = [_norm(str(truth.get(k, ""))) for k in ("first_paragraph", "last_paragraph")]
            hits = "/".join("yes" if e and e[:80] in text else "no" for e in ends)
            watched = str(truth.get("watched") or args.watched).casefold()
            leak = (
                f"{watched in article.text.casefold()}/{watched in text.casefold()}"
                if watched
                else "-"
            )
            print(
                f"  {page.stem[:42]:<42} {truth.get('body_chars_estimate', '?'):>6} "
                f"{len(article.text):>8} {len(by_template or ''):>9}  {hits:<16} {leak}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
