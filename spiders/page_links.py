"""The links of a listing page, with what pagination needs of each: labels, rel, class and id
hints, whether they sit in a pager block (:mod:`spiders.pagination` decides which are pages)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from lxml.html import HtmlElement

from spiders.pagination_words import (
    _DIGITS,
    _FOLD,
    _INLINE,
    _LABEL_STRIP,
    _NEXT_HINT,
    _PAGER_HINT,
    _PREV_ARROWS,
    MORE_WORDS,
    NEXT_ARROWS,
    NEXT_WORDS,
    READ_MORE_WORDS,
)


def fold(text: str) -> str:
    """Whitespace collapsed, lowercased, ``ё`` → ``е``, apostrophes → ``'``."""
    return " ".join(text.translate(_FOLD).split()).lower()


def _says(label: str, words: frozenset[str]) -> bool:
    core = label.strip(_LABEL_STRIP)
    if not core or len(core) > 40:
        return False
    if core in READ_MORE_WORDS or any(core.startswith(w + " ") for w in READ_MORE_WORDS):
        return False
    return core in words or any(core.startswith(w + " ") for w in words)


def says_next(label: str) -> bool:
    """A next-page label: a word of :data:`NEXT_WORDS` (alone or first) or only arrows (» › →)."""
    label = fold(label)
    if label and not label.strip(_LABEL_STRIP):
        return any(c in NEXT_ARROWS for c in label) and not any(c in _PREV_ARROWS for c in label)
    return _says(label, NEXT_WORDS)


def says_more(label: str) -> bool:
    """A "load more" label (:data:`MORE_WORDS`)."""
    return _says(fold(label), MORE_WORDS)


@dataclass(frozen=True)
class Link:
    """One ``<a href>`` (or ``<link rel=next>``) of a page, with what pagination needs of it."""

    url: str  # absolute, without #fragment
    labels: tuple[str, ...]  # visible text, all text, aria-label, title, image alt (folded)
    rel: frozenset[str]
    hints: str  # class and id of the link and of its li/span wrapper
    in_pager: bool  # inside an element whose class/id/aria-label says pagination
    in_noscript: bool
    block: str  # path of the nearest non-inline ancestor: one pagination block shares it
    order: int
    text: str = ""  # the visible text (folded)

    @property
    def number(self) -> int | None:
        """The page number the link shows (its text is a number), else None."""
        return int(self.text) if _DIGITS.fullmatch(self.text) else None

    @property
    def next_signal(self) -> bool:
        return (
            "next" in self.rel
            or bool(_NEXT_HINT.search(self.hints))
            or any(says_next(label) for label in self.labels)
        )

    @property
    def more_signal(self) -> bool:
        return any(says_more(label) for label in self.labels)


# Screen-reader-only text ("Page" before a page number in WordPress and Drupal pagers).
_HIDDEN_CLASSES = frozenset(
    {
        "visually-hidden",
        "visuallyhidden",
        "sr-only",
        "screen-reader-text",
        "element-invisible",
        "show-for-sr",
        "a11y-hidden",
        "u-hidden-visually",
    }
)


def visible_text(el: HtmlElement) -> str:
    """The element's text without its screen-reader-only parts."""
    out: list[str] = []

    def walk(node: HtmlElement, top: bool) -> None:
        hidden = not top and not _HIDDEN_CLASSES.isdisjoint(node.get("class", "").split())
        if not hidden:
            out.append(node.text or "")
            for child in node:
                if isinstance(child.tag, str):
                    walk(child, False)
                else:
                    out.append(child.tail or "")
        if not top:
            out.append(node.tail or "")

    walk(el, True)
    return "".join(out)


def class_id(el: HtmlElement) -> str:
    """An element's class and id, as one string to search for hints."""
    return f"{el.get('class', '')} {el.get('id', '')}"


def collect_links(tree: HtmlElement, base: str) -> list[Link]:
    """Every same-document ``<a href>`` and ``<link rel=next>`` (http/https), in page order."""
    root = tree.getroottree()
    out: list[Link] = []
    for el in tree.iter("a", "link"):
        rel = frozenset(fold(el.get("rel", "")).split())
        if el.tag == "link" and "next" not in rel:
            continue
        href = (el.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        try:
            absolute = urljoin(base, href).split("#", 1)[0]
        except ValueError:
            continue
        if not absolute.startswith(("http://", "https://")):
            continue
        labels = [fold(visible_text(el)), fold(el.text_content())] if el.tag == "a" else []
        labels += [fold(el.get(a, "")) for a in ("aria-label", "title")]
        labels += [fold(alt) for alt in el.xpath(".//img/@alt")]
        hints = class_id(el)
        parent = el.getparent()
        if parent is not None and parent.tag in ("li", "span"):
            hints += " " + class_id(parent)
        in_pager, in_noscript, block = False, False, ""
        node: HtmlElement | None = el
        for depth in range(12):
            if node is None:
                break
            if depth <= 5 and (
                _PAGER_HINT.search(class_id(node)) or _PAGER_HINT.search(node.get("aria-label", ""))
            ):
                in_pager = True
            if node.tag == "noscript":
                in_noscript = True
            if depth and not block and node.tag not in _INLINE:
                block = root.getpath(node)
            node = node.getparent()
        out.append(
            Link(
                url=absolute,
                labels=tuple(dict.fromkeys(label for label in labels if label)),
                rel=rel,
                hints=hints,
                in_pager=in_pager,
                in_noscript=in_noscript,
                block=block,
                order=len(out),
                text=labels[0] if el.tag == "a" else "",
            )
        )
    return out
