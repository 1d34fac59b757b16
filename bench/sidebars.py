"""Rotating sidebars: synthetic outlets crawled poll after poll by the real CLI.

    .venv/bin/python bench/sidebars.py [--outlets 6 | --styles bitrix,handmade] [--polls 4]
                                       [--first 8] [--per-poll 5] [--seed 1] [--show 10]
                                       [--checkout DIR]

The outlets (tests/sidebar_sites.py) each print their articles into a page template of their
own — WordPress (en), Bitrix (ru), Drupal (kk), a hand-made site of tables (az), a Bootstrap
agency of short briefs (uz), an AMP wire of briefs (en) — with sidebars of the outlet's newest
headlines (linked on some, plain text on others), a video box of titles without links, "most
read", editors' picks, a ticker. Headlines naming Azerbaijan stand beside articles that do not.

``newsmon --config … crawl`` runs once per poll (alerts delivered to the console), each outlet
publishing ``--per-poll`` new articles between polls (``--first`` before the first). Each
article is scored as stored by the poll that found it, against its ground truth:

- paragraph recall: share of the article's paragraphs found in the stored text (whitespace
  normalised);
- character precision: characters of the article's paragraphs found in the stored text over
  the stored characters (capped at 1): the body characters over the stored ones when every
  paragraph is there, and no credit for text that is not the article's;
- false alerts: ``azerbaijan`` alerts for articles whose headline and body do not name it;
  missed alerts: articles that name it without an alert; leaks: stored texts of articles that
  do not name it that do (an alert or not).

``--checkout DIR`` runs the CLI of another source tree (a before/after comparison).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.sidebar_sites import (  # noqa: E402
    STYLES,
    Article,
    Outlets,
    Tally,
    norm,
    page_text_chars,
    read_store,
    score_article,
    total,
)


def cli_env(checkout: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    env.update({"NEWSMON_EXTRACT_WORKERS": "0", "NEWSMON_STORY_VECTORS": "0"})
    if checkout != ROOT:
        env["PYTHONPATH"] = str(checkout)
    return env


def crawl(config: Path, checkout: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "newsmon", "--config", str(config), "crawl"],
        cwd=checkout,
        env=cli_env(checkout),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"newsmon crawl failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        c.ljust(w) if i == 0 else c.rjust(w)
        for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    )


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    print(row(header, widths))
    print(row(["-" * w for w in widths], widths))
    for r in rows:
        print(row(r, widths))


def measures(t: Tally) -> list[str]:
    return [
        f"{t.stored}/{t.articles}",
        f"{t.recall:.3f}",
        f"{t.precision:.3f}",
        str(t.false_alerts),
        f"{t.missed_alerts}/{t.mentions}",
        str(t.leaks),
    ]


MEASURES = ["stored", "para recall", "char precision", "false alerts", "missed", "leaks"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outlets", type=int, default=len(STYLES), help="1 to 6 styles")
    parser.add_argument("--styles", help=f"comma-separated, of {', '.join(STYLES)}")
    parser.add_argument("--polls", type=int, default=4)
    parser.add_argument("--first", type=int, default=8, help="articles before the first poll")
    parser.add_argument("--per-poll", type=int, default=5, help="new articles between polls")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=0, help="list this many failing articles")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="source tree of the CLI")
    args = parser.parse_args()
    styles = STYLES[: max(1, min(args.outlets, len(STYLES)))]
    if args.styles:
        styles = tuple(s.strip() for s in args.styles.split(",") if s.strip())
        unknown = set(styles) - set(STYLES)
        if unknown:
            parser.error(f"unknown style(s): {', '.join(sorted(unknown))}")
    checkout = args.checkout.resolve()

    texts: dict[str, str | None] = {}  # by URL: as stored by the poll that published it
    alerted: set[str] = set()
    seconds: list[float] = []
    page_chars: dict[str, list[int]] = defaultdict(list)
    with (
        tempfile.TemporaryDirectory() as tmp,
        Outlets(styles, seed=args.seed, first=args.first) as outlets,
    ):
        config = outlets.write_config(Path(tmp))
        for poll in range(1, args.polls + 1):
            if poll > 1:
                outlets.publish(args.per_poll)
            for site in outlets.sites:  # the pages as this poll finds them
                for a in site.articles:
                    if a.poll == poll:
                        page_chars[site.spec.name].append(
                            page_text_chars(site.page(a)) - len(norm(a.body))
                        )
            seconds.append(crawl(config, checkout))
            stored, now_alerted = read_store(Path(tmp) / "newsmon.db")
            alerted |= now_alerted  # delivered at the end of the poll: never taken back
            for a in outlets.articles():
                if a.poll == poll:
                    texts[a.url] = stored.get(a.url)
        articles: list[Article] = outlets.articles()
        sites = [s.spec for s in outlets.sites]
    scored = {a.url: score_article(a, texts[a.url], a.url in alerted) for a in articles}

    print(
        f"Rotating sidebars: {len(sites)} outlet(s), {args.polls} polls, {args.first} articles "
        f"before the first, {args.per_poll} per outlet between polls (seed {args.seed}); "
        f"CLI from {checkout}"
    )
    rows = []
    for spec in sites:
        mine = [a for a in articles if a.site == spec.name]
        rows.append(
            [
                spec.name,
                spec.style,
                spec.lang,
                spec.kind,
                "linked" if spec.linked_latest else "plain",
                "yes" if spec.cached else "no",
                str(len(mine)),
                str(round(statistics.mean(len(a.body) for a in mine))),
                str(round(statistics.mean(page_chars[spec.name]))),
                f"{sum(a.mentions for a in mine)}",
            ]
        )
    table(
        "Outlets (characters: article body, and the page's other visible text, on average)",
        [
            "outlet",
            "style",
            "lang",
            "kind",
            "newest list",
            "cached",
            "articles",
            "body",
            "around",
            "naming az",
        ],
        rows,
    )

    rows = []
    for spec in sites:
        outlet = [scored[a.url] for a in articles if a.site == spec.name]
        first = [scored[a.url] for a in articles if a.site == spec.name and a.poll == 1]
        later = [scored[a.url] for a in articles if a.site == spec.name and a.poll > 1]
        t, f, lt = total(outlet), total(first), total(later)
        rows.append(
            [
                spec.name,
                *measures(t),
                f"{f.recall:.2f} / {lt.recall:.2f}",
                f"{f.precision:.2f} / {lt.precision:.2f}",
                f"{f.false_alerts} / {lt.false_alerts}",
            ]
        )
    overall = total(scored.values())
    rows.append(["all", *measures(overall), "", "", ""])
    table(
        "Per outlet, all polls (last three columns: first poll / later polls)",
        ["outlet", *MEASURES, "recall", "precision", "false"],
        rows,
    )

    rows = []
    for poll in range(1, args.polls + 1):
        t = total(scored[a.url] for a in articles if a.poll == poll)
        label = f"{poll} (first crawl)" if poll == 1 else str(poll)
        rows.append([label, *measures(t), f"{seconds[poll - 1]:.1f}"])
    rows.append(["all", *measures(overall), f"{sum(seconds):.1f}"])
    table("Per poll, all outlets", ["poll", *MEASURES, "crawl s"], rows)

    rows = []
    for spec in sites:
        cells = [spec.name]
        for poll in range(1, args.polls + 1):
            t = total(scored[a.url] for a in articles if a.site == spec.name and a.poll == poll)
            cells.append(f"{t.recall:.2f} {t.precision:.2f} {t.false_alerts}/{t.missed_alerts}")
        rows.append(cells)
    table(
        "Per outlet and poll: recall, precision, false/missed alerts",
        ["outlet", *(f"poll {p}" for p in range(1, args.polls + 1))],
        rows,
    )

    if args.show:
        failing = [(a, scored[a.url]) for a in articles if scored[a.url].by_url]
        print(
            f"\n{len(failing)} article(s) with a problem; the first {min(args.show, len(failing))}:"
        )
        for a, t in failing[: args.show]:
            print(f"  poll {a.poll} {a.site}: {a.url}\n      {t.by_url[a.url]}")


if __name__ == "__main__":
    main()
