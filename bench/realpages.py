"""Saved real pages of an outlet: generic extraction against the outlet's learned template.

The pages are third parties' articles and are not part of the repository: point ``--dir`` at a
folder with one sub-folder per outlet, each holding saved article pages (``*.html``) and, beside
each, ``<name>.truth.json`` with at least ``first_paragraph``, ``last_paragraph`` and
``body_chars_estimate`` (and optionally ``url``, ``watched``: a word of a rule that the page's
sidebars carry but its article does not). A ``SOURCES.md`` at the top says where each page came
from. The template of each outlet is learned from all of its pages, as a first crawl would, and
each page is then read with it.

    python bench/realpages.py --dir ../realpages
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, default=ROOT.parent / "shared" / "realpages")
    parser.add_argument("--watched", default="", help="a word the sidebars carry (any case)")
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
