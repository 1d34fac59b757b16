"""Site-learned boilerplate: lines of extracted text that a source repeats across its articles.

Generic pruning (``crawler.extract``) knows widgets by their markup. Some furniture is plain
text inside the article body — "Follow us on Telegram", "Subscribe to our newsletter", a byline
box, a standard disclaimer — and only looks like boilerplate once a source has printed it under
several different articles. newsmon counts, per source, in how many distinct articles each short
line appears (``boilerplate`` table, so it survives restarts); a line seen in
``NEWSMON_BOILERPLATE_MIN_ARTICLES`` (3) articles is dropped from that source's articles from then
on. A line repeated inside one article counts once, so an article's own refrain is never learned.
"""

from __future__ import annotations

import hashlib

from lxml import html as lxml_html
from lxml.etree import ParserError

MIN_LINE = 3
MAX_LINE = 300  # longer lines are article prose, not furniture


def line_key(line: str) -> str | None:
    """The key a line is counted under (None for lines too short or too long to learn, and for
    lines without a letter: separators such as ``___`` and table rules are the article's
    layout, and no rule matches them)."""
    norm = " ".join(line.split()).casefold()  # same as collapsing \s+ and stripping
    if not MIN_LINE <= len(norm) <= MAX_LINE or not any(c.isalpha() for c in norm):
        return None
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16]


def learnable(text: str) -> dict[str, str]:
    """Distinct line keys of an article's text, with a sample line for each."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        key = line_key(line)
        if key is not None and key not in out:
            out[key] = line.strip()[:MAX_LINE]
    return out


Spans = tuple[tuple[int, int], ...]


def strip_learned(text: str, known: set[str], spans: Spans = ()) -> tuple[str, int, Spans]:
    """The text without its lines known as the source's boilerplate, how many went, and the
    given spans of the text moved to the shorter text (spans in dropped lines go with them)."""
    if not known:
        return text, 0, spans
    kept: list[str] = []
    moved: list[tuple[int, int]] = []
    dropped = 0
    at = new_at = 0
    for line in text.split("\n"):
        end = at + len(line)
        key = line_key(line)
        if key is not None and key in known:
            dropped += 1
        else:
            shift = new_at - at
            moved.extend((a + shift, b + shift) for a, b in spans if at <= a and b <= end)
            kept.append(line)
            new_at += len(line) + 1
        at = end + 1
    joined = "\n".join(kept)
    out = joined.strip()
    lead = len(joined) - len(joined.lstrip())
    limit = len(out)
    final = tuple(
        (max(0, a - lead), min(limit, b - lead))
        for a, b in moved
        if b - lead > 0 and a - lead < limit
    )
    return out, dropped, final


_PAGE_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "span", "a", "td", "dd")


def page_lines(html: str) -> dict[str, str]:
    """Distinct line keys of a home or section page: the text of each of its innermost blocks
    (evidence that a line of the source's articles is also printed around them)."""
    try:
        tree = lxml_html.document_fromstring(html)
    except (ParserError, ValueError):
        return {}
    out: dict[str, str] = {}
    for el in tree.iter(*_PAGE_BLOCKS):
        if any(isinstance(child.tag, str) and child.tag in _PAGE_BLOCKS for child in el):
            continue
        line = " ".join(el.text_content().split())
        key = line_key(line)
        if key is not None and key not in out:
            out[key] = line[:MAX_LINE]
    return out
