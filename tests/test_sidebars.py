"""Rotating sidebars: outlets whose article pages print the outlet's newest headlines, a video
box of titles without links, "most read" and editors' picks around the article, in a template of
their own (a hand-made site of tables in Azerbaijani, a Bitrix portal in Russian behind a page
cache, a Bootstrap agency of short Uzbek briefs, an AMP wire of English briefs; see
``tests/sidebar_sites.py``). Headlines naming Azerbaijan stand beside articles that never name
it, and the newest article's page is the first to show the newest headlines: line by line the
sidebars cannot be told from the article, by their place in the page they can.

Real crawls through the CLI, three polls, new articles between them. From the outlet's first
crawl on, every article is stored with its own paragraphs and hardly anything else, and the
``azerbaijan`` rule alerts on exactly the articles that name it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import newsmon
from tests.sidebar_sites import (
    Outlets,
    Tally,
    mentions_watched,
    read_store,
    score_article,
    total,
)

STYLES = ("handmade", "bitrix", "bootstrap", "amp")
FIRST, PER_POLL, POLLS = 5, 3, 3
MIN_RECALL, MIN_PRECISION = 0.98, 0.9


def crawl_polls(tmp_path: Path, outlets: Outlets) -> dict[str, Tally]:
    """Each article scored as stored by the poll that published it; alerts as delivered."""
    config = outlets.write_config(tmp_path)
    texts: dict[str, str | None] = {}
    alerted: set[str] = set()
    for poll in range(1, POLLS + 1):
        if poll > 1:
            outlets.publish(PER_POLL)
        result = newsmon("--config", str(config), "crawl")
        assert result.returncode == 0, result.stderr
        stored, now = read_store(tmp_path / "newsmon.db")
        alerted |= now
        texts.update({a.url: stored.get(a.url) for a in outlets.articles() if a.poll == poll})
    return {a.url: score_article(a, texts[a.url], a.url in alerted) for a in outlets.articles()}


@pytest.mark.sqlite
def test_sidebars_reach_neither_the_stored_text_nor_the_rules(tmp_path: Path) -> None:
    with Outlets(STYLES, seed=7, first=FIRST) as outlets:
        # the case: pages of articles that never name Azerbaijan do, around the article
        quiet = [a for a in outlets.articles() if not a.mentions]
        sites = {s.spec.name: s for s in outlets.sites}
        assert quiet and all(mentions_watched(sites[a.site].page(a)) for a in quiet)
        scores = crawl_polls(tmp_path, outlets)
        articles = outlets.articles()

    problems = []
    for name in sites:
        t = total(scores[a.url] for a in articles if a.site == name)
        if t.recall < MIN_RECALL:
            problems.append(f"{name}: paragraph recall {t.recall:.3f} < {MIN_RECALL}")
        if t.precision < MIN_PRECISION:
            problems.append(f"{name}: character precision {t.precision:.3f} < {MIN_PRECISION}")
        if t.false_alerts or t.missed_alerts:
            problems.append(
                f"{name}: {t.false_alerts} alert(s) from text around the article, "
                f"{t.missed_alerts} of {t.mentions} article(s) naming Azerbaijan not alerted"
            )
    details = [
        f"  poll {a.poll} {a.url}: {scores[a.url].by_url[a.url]}"
        for a in articles
        if scores[a.url].by_url
    ]
    assert not problems, "\n".join(problems + details)
