"""Teaser cards: "more from …" rows of other articles, each a linked headline with its standfirst.

A related-stories row is often built from cards: an image, a headline that is a link to another
article of the same site, a one- or two-sentence standfirst ("dek") and the author's name. The
standfirst is longer than a label and not linked, so the link-block recognition of
``crawler.extract.inserts`` keeps it (or takes the headline and leaves the standfirst behind
as an orphan line). What gives a card away is the row: two or more sibling elements of the same
tag and class, each holding one headline linked to another article and little else. A row
that holds a third of the page's paragraph text or more is the article itself (a list of
places or people, each under a linked name) and stays.
"""

from __future__ import annotations

from lxml.etree import _Element

from crawler.extract.pruning import drop_element

HEADINGS = ("h2", "h3", "h4", "h5", "h6")
CARD_TEXT = 400  # a card's text besides its headline: a standfirst, a name, a date
MIN_CARDS = 2
ROW_LABEL = 40  # what a row holds besides its cards: a heading ("More from The Nation")
_NEVER = frozenset({"html", "body", "main"})


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def _linked_heading(heading: _Element, article_links: set[_Element]) -> bool:
    """A headline that is only a link to another article (its text may repeat once for screen
    readers: "Title Title")."""
    links = [a for a in heading.iter("a") if a in article_links]
    if not links:
        return False
    text = _collapsed(heading.text_content())
    anchors = {_collapsed(a.text_content()) for a in links}
    if not text or not all(anchors):
        return False
    rest = text
    for anchor in anchors:
        rest = rest.replace(anchor, " ")
    return not rest.strip()


def _card_of(heading: _Element, headings: set[_Element]) -> _Element | None:
    """The largest element around a linked headline that holds no other linked headline and
    little text besides it (None when even the headline's parent holds more)."""
    card: _Element | None = None
    node = heading.getparent()
    heading_chars = len(_collapsed(heading.text_content()))
    while node is not None and isinstance(node.tag, str) and node.tag not in _NEVER:
        if sum(1 for h in node.iter(*HEADINGS) if h in headings) > 1:
            break
        if len(_collapsed(node.text_content())) - heading_chars > CARD_TEXT:
            break
        card = node
        node = node.getparent()
    if card is None or len(_collapsed(card.text_content())) == heading_chars:
        return None  # a headline alone is a link list: the link-block recognition takes it
    return card


def _shape(el: _Element) -> tuple[str, str]:
    return el.tag, " ".join((el.get("class") or "").split())


def _paragraph_chars(el: _Element) -> int:
    return sum(len(_collapsed(p.text_content())) for p in el.iter("p"))


def drop_teaser_cards(root: _Element, article_links: set[_Element]) -> None:
    """Remove rows of teaser cards (two or more sibling cards of one tag and class) in place."""
    headings = {h for h in root.iter(*HEADINGS) if _linked_heading(h, article_links)}
    if len(headings) < MIN_CARDS:
        return
    page_chars = _paragraph_chars(root)
    cards = [card for h in headings if (card := _card_of(h, headings)) is not None]
    rows: dict[tuple[int, tuple[str, str]], list[_Element]] = {}
    for card in cards:
        parent = card.getparent()
        if parent is not None:
            rows.setdefault((id(parent), _shape(card)), []).append(card)
    for row in rows.values():
        if len(row) < MIN_CARDS or 3 * sum(_paragraph_chars(c) for c in row) >= page_chars:
            continue
        parent = row[0].getparent()
        for card in row:
            drop_element(card)
        # the row's own heading goes with it when nothing else is left around it
        top = None
        while (
            parent is not None
            and isinstance(parent.tag, str)
            and parent.tag not in _NEVER
            and len(_collapsed(parent.text_content())) <= ROW_LABEL
        ):
            top, parent = parent, parent.getparent()
        if top is not None:
            drop_element(top)
