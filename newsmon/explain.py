"""What newsmon keeps of a page and what it leaves out, and why — so an analyst can see why a
word did or did not alert. The page is extracted as a crawl extracts it (the source's learned
template and ``prune`` selectors, its learned boilerplate lines); every line of the page that
is not in the article is put under the reason it went."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from alerts.rules import ArticleText
from crawler.extract.article import Article, extract_page, parse_page
from crawler.extract.boilerplate import strip_learned
from crawler.extract.spots import SPOT_SHAPES
from crawler.extract.template import Layout, Template, Unit, layout, line_key
from crawler.matching import Matcher

FURNITURE = "page furniture (menus, polls, share bars, related lists, inserts)"
OUTSIDE = "outside the article's container (the outlet's template: sidebars, header, footer)"
NOISE = "a noise place inside the container (the outlet's template)"
GENERIC = "left out by generic extraction"
LEARNED = "a line the outlet repeats under its articles (learned boilerplate)"
SPOT = "the headline, date or byline (their places, learned with the outlet's template)"


@dataclass(frozen=True)
class Explanation:
    url: str
    article: Article | None
    reason: str | None  # why the page holds no article
    how: str  # how the article was read
    removed: dict[str, list[str]] = field(default_factory=dict)  # reason → lines
    matched: tuple[str, ...] = ()  # rules matching the article
    only_removed: dict[str, str] = field(default_factory=dict)  # rule → a removed line it matches


def explain(
    html: str,
    url: str,
    *,
    templates: tuple[Template, ...] = (),
    prune_xpaths: tuple[str, ...] = (),
    learned_lines: set[str] | None = None,
    matcher: Matcher | None = None,
    source: str = "",
) -> Explanation:
    found = extract_page(
        html, url, prune_xpaths=prune_xpaths, templates=templates, with_layout=True
    )
    if not isinstance(found, Article):
        return Explanation(url, None, found, "no article")
    article = found
    if learned_lines:
        text, dropped, linked = strip_learned(found.text, learned_lines, found.linked)
        if dropped:
            article = replace(found, text=text, linked=linked)
    kept = {line_key(line) for line in article.text.split("\n")} | {line_key(article.title or "")}
    learned_out = {line_key(line) for line in found.text.split("\n")} - kept
    pruned = {line_key(u.text) for u in found.layout.units} if found.layout else set()
    by_template = next((t for t in templates if t.key == found.template_key), None)
    removed: dict[str, list[str]] = defaultdict(list)
    for unit in _whole(html).units:
        key = line_key(unit.text)
        if key in kept:
            continue
        why = _why(unit.place, key, pruned, learned_out, by_template)
        if by_template is not None and _at_spot(unit, by_template):
            why = SPOT
        removed[why].append(unit.text)
    if by_template is not None:
        how = f"read by the outlet's template (container {'/'.join(by_template.container)})"
    elif templates:
        how = "generic extraction (the page does not fit the outlet's template)"
    else:
        how = "generic extraction (no template learned for the outlet yet)"
    matched: tuple[str, ...] = ()
    only: dict[str, str] = {}
    if matcher is not None:
        seen = ArticleText(
            article.text, article.title, article.language, source, muted=article.linked
        )
        matched = tuple(dict.fromkeys(m.rule for m in matcher.match(seen).alerts))
        for lines in removed.values():
            for line in lines:
                for m in matcher.match(ArticleText(line, None, article.language, source)).alerts:
                    if m.rule not in matched:
                        only.setdefault(m.rule, line)
    return Explanation(url, article, None, how, dict(removed), matched, only)


def _why(
    place: tuple[str, ...],
    key: str,
    pruned: set[str],
    learned_out: set[str],
    template: Template | None,
) -> str:
    """Why a line of the page is not in the article (``template``: the one that read it)."""
    if template is not None:
        n = len(template.container)
        if place[:n] != template.container:
            return OUTSIDE
        if any(place[: n + len(q)] == template.container + q for q in template.noise):
            return NOISE
        return LEARNED if key in learned_out else FURNITURE
    if key not in pruned:
        return FURNITURE
    return LEARNED if key in learned_out else GENERIC


def _at_spot(unit: Unit, template: Template) -> bool:
    """Whether the line is at one of the template's learned spots (headline, date, byline)."""
    return any(
        unit.place == spot.place and SPOT_SHAPES[name](unit.text) == spot.shape
        for name, spot in template.spots.items()
    )


def _whole(html: str) -> Layout:
    """The page's lines before anything is pruned."""
    tree = parse_page(html)
    return layout(tree) if tree is not None else Layout(())
