"""Where an outlet prints an article's headline, publication date and byline — learned with its
page template (:func:`crawler.extract.template.learn`) and read on a page of the outlet whose
metadata lacks them.

A page's layout carries what the page is known to say: its headline (from its metadata or its
single ``<h1>``, else its ``<title>``), its date and author (from its metadata or, lacking it,
generic extraction: a date htmldate found, a byline). A *spot* (``crawler.extract.spots``) is
learned for each: a place, and among its lines the one of a shape (a headline: the place's one
line; a date line: its shape, "0.0.0 0:0"; a byline: its label) — the spot whose line, on most
of the learning pages, is the known value:

- the **title**: the line equals the headline (or holds it, the headline being most of the
  line; or the page's ``<title>``, "Headline | Site", holds the line, the line being at least
  half of it), and the line differs from page to page (a site name in every page's header is
  not a headline); an exact match, then a heading (``h1``…``h3``) wins a tie;
- the **date**: the line is short and htmldate's parser reads the page's date in it (or in one
  of its parts between separators: "13:35 • 05.11.21"); where the pages' dates are not known
  (no metadata: htmldate's search over a whole page takes the earliest date it shows, often a
  sidebar's), the place beside the container whose line holds a date on most pages;
- the **author**: the line is short and, a label before it left out ("By", "Автор:",
  "Müəllif:"), equals the page's author.

Among spots that match as often, the one nearest the article's container wins (a header's
"today" date matches as often as the article's own on pages published the same day). Reading a
date in words costs milliseconds (dateparser): it is read in the page's language when known.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from htmldate.extractors import try_date_expr
from htmldate.validators import get_max_date, get_min_date, validate_and_convert
from lxml.etree import _Element

from crawler.extract.spots import BYLINE_LABEL, SPOT_SHAPES, Spot
from crawler.extract.template import MIN_PRESENCE, Layout, Place, Unit, find_all, layout, line_key

# a byline, or a date found by its shape alone, sits at most this many steps above the container
AROUND = 3
PLACE_SHARE = 0.6  # a place holds the known value on at least this share of the learning pages
FIELD_WORDS = 12  # a date or byline line has at most this many words
TITLE_WORDS = 60  # and a headline at most this many
TITLE_SHARE = 0.8  # a line holding the title is at most this much more than the title
TITLE_OF_PAGE = 0.5  # a line a page's <title> holds is at least this share of it
AUTHOR_CHARS = 60  # an author's name read from the page is at most this long
DATE_FORMAT = "%Y-%m-%d"  # as htmldate's search gives a date

_PARTS = re.compile(r"\s+[•·|—–/,]\s+|\s*[•·|]\s*|,\s+")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_HEADING = re.compile(r"^h[1-3]\b")


def date_in(
    text: str, *, full: bool = False, lang: Callable[[], str | None] | None = None
) -> str | None:
    """The date htmldate's parser reads in a short line (``YYYY-MM-DD``), in the whole line or
    in one of its parts between separators; None when there is none. ``full``: with its
    extensive parser (dateparser) too when the quick one finds none, for a line that shows a
    year: month names ("1 декабря 2026", "17 noyabr 2025") in the page's language (``lang``,
    asked only then: ~1 ms), or in every language when it is not known (1–13 ms)."""
    earliest, latest = get_min_date(None), get_max_date(None)
    parts = [p for p in (part.strip() for part in (text, *_PARTS.split(text))) if p]
    for part in parts:
        found = try_date_expr(part, DATE_FORMAT, False, earliest, latest)
        if found:
            return str(found)
    if not full or not _YEAR.search(text):
        return None
    language = lang() if lang is not None else None
    parser = _parser_for(language) if language else None
    for part in parts:
        if parser is None:  # every language htmldate's extensive search knows
            found = try_date_expr(part, DATE_FORMAT, True, earliest, latest)
        else:  # the page's language: ~1 ms
            try:
                parsed = parser.get_date_data(part)["date_obj"]
            except (OverflowError, ValueError):
                parsed = None
            found = validate_and_convert(parsed, DATE_FORMAT, earliest, latest) if parsed else None
        if found:
            return str(found)
    return None


@functools.lru_cache(maxsize=32)
def _parser_for(lang: str) -> Any:
    """dateparser for one language, set as htmldate's extensive search sets it (None when
    dateparser does not know the language)."""
    from dateparser import DateDataParser  # type: ignore[attr-defined]

    try:
        parser = DateDataParser(languages=[lang], settings=_DATEPARSER_SETTINGS)
        parser.get_date_data("2000-01-01")  # an unknown language fails only when used
    except ValueError:
        return None
    return parser


_DATEPARSER_SETTINGS = {
    "NORMALIZE": True,
    "PARSERS": ["custom-formats", "absolute-time"],
    "PREFER_DATES_FROM": "past",
    "PREFER_LOCALE_DATE_ORDER": True,
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": True,
}


def author_in(text: str) -> str | None:
    """The name a byline line gives, its label ("By", "Автор:") left out; None when the line
    does not look like a name (too long, figures in it)."""
    name = " ".join(BYLINE_LABEL.sub("", text.strip(), count=1).split())
    if not 2 < len(name) <= AUTHOR_CHARS or any(c.isdigit() for c in name):
        return None
    return name


def _title_match(text: str, title: str, lang: str | None = None) -> int:
    """2: the line is the title; 1: the line holds the title, the title being most of it, or
    the title (a page's ``<title>``: "Headline | Site") holds the line, the line being at least
    half of it."""
    line, known = line_key(text), line_key(title)
    if not known or not line or len(text.split()) > TITLE_WORDS:
        return 0
    if line == known:
        return 2
    if known in line and len(known) >= TITLE_SHARE * len(line):
        return 1
    return 1 if line in known and len(line) >= TITLE_OF_PAGE * len(known) else 0


def _date_match(text: str, day: str, lang: str | None = None) -> int:
    """1: the short line shows the day (its year and its day of the month, the cheap test
    first: reading a date in words costs a millisecond)."""
    if len(text.split()) > FIELD_WORDS or day[:4] not in text and day[2:4] not in text:
        return 0
    if not re.search(rf"(?<!\d)0?{int(day[8:10])}(?!\d)", text):
        return 0
    return 1 if date_in(text, full=True, lang=lambda: lang) == day else 0


def _author_match(text: str, author: str, lang: str | None = None) -> int:
    if len(text.split()) > FIELD_WORDS:
        return 0
    name = author_in(text)
    return 2 if name is not None and line_key(name) == line_key(author) else 0


def _shared(place: Place, container: Place) -> int:
    n = 0
    for a, b in zip(place, container, strict=False):
        if a != b:
            break
        n += 1
    return n


@dataclass(frozen=True)
class _Field:
    """How one of the article's fields is learned: what the page is known to say, whether a
    line holds it, the shape that tells the line from others at its place."""

    known: Callable[[Layout], str | None]
    match: Callable[[str, str, str | None], int]  # a line, the known value, the page's language
    shape: Callable[[str], str]
    varies: bool = False  # the line differs from page to page
    near: bool = False  # beside the article: at most AROUND steps above its container


def _same(value: str | None) -> str | None:
    return value


def _known_day(page: Layout) -> str | None:
    return (
        date_in(page.published, full=True, lang=lambda: page.language) if page.published else None
    )


TITLE = _Field(lambda p: p.title, _title_match, SPOT_SHAPES["title"], varies=True)
DATE = _Field(_known_day, _date_match, SPOT_SHAPES["date"])
AUTHOR = _Field(lambda p: p.author, _author_match, SPOT_SHAPES["author"], near=True)


def _lines(page: Layout, field: _Field, container: Place) -> Iterator[tuple[Unit, Spot]]:
    """The page's lines that a spot names alone (one line of its place and shape)."""
    keyed = [(u, Spot(u.place, field.shape(u.text))) for u in page.units]
    once = Counter(spot for _, spot in keyed)
    near = len(container) - AROUND
    for unit, spot in keyed:
        if once[spot] == 1 and (not field.near or _shared(unit.place, container) >= near):
            yield unit, spot


def _learn(container: Place, pages: Sequence[Layout], field: _Field) -> Spot | None:
    """The spot whose line holds the known value on most pages, or None when none does."""
    hits: Counter[Spot] = Counter()
    exact: Counter[Spot] = Counter()
    texts: dict[Spot, set[str]] = defaultdict(set)
    for page in pages:
        value = field.known(page)
        if not value:
            continue
        for unit, spot in _lines(page, field, container):
            found = field.match(unit.text, value, page.language)
            if found:
                hits[spot] += 1
                exact[spot] += found == 2
                texts[spot].add(line_key(unit.text))
    need = max(2.0, PLACE_SHARE * len(pages))
    candidates = [
        s for s, c in hits.items() if c >= need and (not field.varies or len(texts[s]) > 1)
    ]
    return max(
        candidates,
        key=lambda s: (
            exact[s],
            hits[s],
            bool(_HEADING.match(s.place[-1])),
            _shared(s.place, container),
        ),
        default=None,
    )


def _date_by_shape(container: Place, pages: Sequence[Layout]) -> Spot | None:
    """Pages whose date is not known (no metadata; htmldate's search over a whole page takes
    the earliest date it shows, a sidebar's): the spot beside the article (at most ``AROUND``
    steps above its container) whose line holds a date on most pages, not the same date on
    all of them — the nearest to the container."""
    dated: Counter[Spot] = Counter()
    days: dict[Spot, set[str]] = defaultdict(set)
    beside = replace(DATE, near=True)
    for page in pages:
        for unit, spot in _lines(page, beside, container):
            if len(unit.text.split()) > FIELD_WORDS:
                continue
            day = date_in(unit.text, full=True, lang=functools.partial(_same, page.language))
            if day:
                dated[spot] += 1
                days[spot].add(day)
    need = MIN_PRESENCE * len(pages)
    candidates = [s for s, c in dated.items() if c >= need and len(days[s]) > 1]
    return max(candidates, key=lambda s: (_shared(s.place, container), dated[s]), default=None)


class FieldSpots(NamedTuple):
    title: Spot | None
    date: Spot | None
    author: Spot | None


def learn_spots(container: Place, pages: Sequence[Layout]) -> FieldSpots:
    """Where the pages print the headline, the date and the byline (None: not learned)."""
    return FieldSpots(
        title=_learn(container, pages, TITLE),
        date=_learn(container, pages, DATE) or _date_by_shape(container, pages),
        author=_learn(container, pages, AUTHOR),
    )


def line_at(tree: _Element, spot: Spot | None, shape: Callable[[str], str]) -> str | None:
    """The line at a learned spot of a parsed page, or None when the page lacks it."""
    if spot is None:
        return None
    for el in find_all(tree, spot.place):
        for unit in layout(el, spot.place).units:
            if unit.place == spot.place and shape(unit.text) == spot.shape:
                return unit.text
    return None


def read_title(tree: _Element, spot: Spot | None) -> str | None:
    line = line_at(tree, spot, TITLE.shape)
    return line if line and len(line.split()) <= TITLE_WORDS else None


def read_date(
    tree: _Element, spot: Spot | None, lang: Callable[[], str | None] | None = None
) -> str | None:
    """The date at the learned spot, read in the page's language (``lang``: asked only when
    the line gives the date in words)."""
    line = line_at(tree, spot, DATE.shape)
    if not line or len(line.split()) > FIELD_WORDS:
        return None
    return date_in(line, full=True, lang=lang)


def read_author(tree: _Element, spot: Spot | None) -> str | None:
    line = line_at(tree, spot, AUTHOR.shape)
    return author_in(line) if line and len(line.split()) <= FIELD_WORDS else None
