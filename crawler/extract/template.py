"""An outlet's page template, learned from its own pages: where its article sits, by place.

A news site prints every article into the same template: a header, menus, the article's
container, and around it (or inside it) blocks that recur on every page with changing content —
the newest headlines, a video box, "most read", a ticker. Their words name whatever is in the
news that day, in any language, linked or not; a rule must never see them. Line by line they
cannot be told from the article (the newest headline is new on the newest page), but by place
they can: the template is learned by comparing the outlet's pages.

- A page's :class:`Layout` is its text as lines ("units"), each with its *place*: the path of
  block elements from the root, each step a tag with its id and classes (digits folded), or
  its position among like siblings when it has neither.
- A unit is *own* when no other page of the outlet has the same line, *shared* when one does.
- The article container is the place that holds the most own text and the least shared text,
  summed over the pages (:func:`learn`); places inside it whose text is mostly shared (tags, a
  share bar, a poll, a related-news box) are noise, removed by place.
- A page of the outlet is then read from its container alone (:meth:`Template.text_of`);
  a page that lacks the container, or whose container holds far less text than usual, is left to
  generic extraction, and enough such pages are a sign to learn the template again.

The learner is pure and cheap; a :class:`Template` is data (JSON), stored per source.
"""

from __future__ import annotations

import functools
import json
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from lxml.etree import _Element

from crawler.extract.spots import SPOT_SHAPES, Spot, line_shape

# Elements whose text runs inline: they never start a line or a place.
INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "font",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
        "wbr",
        "label",
        "nobr",
    ]
)
# Elements whose text is never article text.
SKIP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "object",
        "embed",
        "select",
        "option",
        "button",
        "input",
        "textarea",
        "canvas",
        "audio",
        "video",
        "map",
        "area",
        "head",
        "title",
        "meta",
        "link",
    ]
)
# Classes that say how an element looks now, not what it is.
STATE_CLASSES = frozenset(
    [
        "active",
        "current",
        "first",
        "last",
        "odd",
        "even",
        "selected",
        "open",
        "opened",
        "show",
        "shown",
        "hidden",
        "visible",
        "clearfix",
        "clear",
        "fix",
        "in",
        "fade",
        "lazy",
        "lazyload",
        "loaded",
    ]
)
# Classes naming what a page is about or what it has (a CMS's post classes): they change from
# article to article on the same place.
VARIABLE_CLASS = re.compile(
    r"(category|cat|tag|tags|term|format|status|author|post|postid|page|type|rubric|section-id"
    r"|has|no|with|is|lang|color|theme)[-_]"
)
_DIGITS = re.compile(r"\d+")
_FIELD_SIGN = re.compile(r"[^a\s.,;:!?'\"«»()\-–—]")  # a figure or a sign in a line's shape
_WORDS = re.compile(r"\W+")
_SPACE = re.compile(r"\s+")

# Elements that can hold an article (a paragraph or a list item cannot).
CONTAINERS = frozenset(
    ["div", "section", "article", "main", "td", "th", "center", "dd", "blockquote", "form", "span"]
)
DEEPER = 0.9  # a place inside the best one that keeps this share of its running text wins
GRAM = 5  # words in a run compared between pages
PROSE_WORDS = 7  # a line of this many words or more is running text (not a title, date, tags)
MIN_PAGES = 3  # a template is learned from at least this many pages of one outlet
MIN_COVERAGE = 0.25  # the container holds at least this share of the pages' own text (the rest:
# sidebars that rotate between pages fetched days apart)
MIN_PURITY = 0.6  # and at least this share of the text in it is own text
MIN_PRESENCE = 0.8  # on at least this share of the pages
NOISE_SHARED = 0.7  # a place inside the container whose text is this much shared is noise
MIN_SHARED_CHARS = 40  # a site's pages repeat at least this much text a page (menus, footer)
FIELD_SHARE = 0.6  # a short line's shape at one place on this share of pages is a field
SHORT_SHARE = 0.3  # a page whose container holds less than this share of the usual is a miss

Place = tuple[str, ...]


@functools.lru_cache(maxsize=4096)
def _named_step(tag: str, ident: str | None, cls: str | None) -> str:
    """The step of an element with an id or classes (a page repeats a few hundred of them): its
    id, digits folded — or its classes, less those that say what the page is about or how the
    element looks now (``category-economy``, ``has-post-thumbnail``, ``active``)."""
    if ident:
        return f"{tag}#{_DIGITS.sub('0', ident.lower())}"
    classes = sorted(
        {
            _DIGITS.sub("0", c)
            for c in (cls or "").lower().split()
            if c not in STATE_CLASSES and not VARIABLE_CLASS.match(c)
        }
    )
    return f"{tag}.{'.'.join(classes[:4])}" if classes else f"{tag}[1]"


def _steps(parent: _Element) -> Iterator[tuple[_Element, str]]:
    """The element children of ``parent`` with their steps: a tag with its id and classes
    (digits folded), or, with neither, the tag numbered among its plain siblings."""
    seen: dict[str, int] = {}
    for child in parent:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        ident, cls = child.get("id"), child.get("class")
        if ident or (cls and cls.strip()):
            yield child, _named_step(tag, ident, cls)
        else:
            seen[tag] = n = seen.get(tag, 0) + 1
            yield child, f"{tag}[{n}]"


def _tag(step: str) -> str:
    return re.split(r"[#.\[]", step, maxsplit=1)[0]


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def line_key(text: str) -> str:
    """What makes two lines the same line: their words, case folded."""
    return _WORDS.sub(" ", text).strip().casefold()


@dataclass(frozen=True)
class Unit:
    place: Place
    text: str


@dataclass(frozen=True)
class Layout:
    """A page's lines in reading order, each with its place — and what the page is known to
    say (its metadata, or generic extraction): where the outlet prints them is learned too."""

    units: tuple[Unit, ...]
    title: str | None = None
    published: str | None = None
    author: str | None = None
    language: str | None = None

    @property
    def chars(self) -> int:
        return sum(len(u.text) for u in self.units)


def layout(root: _Element, place: Place | None = None) -> Layout:
    """The lines of a parsed page (its ``html`` element) with their places — or of one element
    of it, whose ``place`` is given."""
    units: list[Unit] = []
    if place is None:
        place = (_named_step(str(root.tag), root.get("id"), root.get("class")),)
    _walk(root, place, units)
    return Layout(tuple(units))


def find(root: _Element, place: Place) -> _Element | None:
    """The element at ``place`` in a parsed page (the first, depth first, with most text when
    several elements share the place), or None."""
    level = find_all(root, place)
    if len(level) <= 1:
        return level[0] if level else None
    return max(level, key=lambda el: len(el.text_content()))


def find_all(root: _Element, place: Place) -> list[_Element]:
    """The elements at ``place`` in a parsed page, in document order."""
    if not place or _named_step(str(root.tag), root.get("id"), root.get("class")) != place[0]:
        return []
    level = [root]
    for step in place[1:]:
        level = [child for el in level for child, s in _steps(el) if s == step]
        if not level:
            return []
    return level


def _walk(el: _Element, place: Place, out: list[Unit]) -> None:
    parts: list[str] = [el.text or ""]

    def flush() -> None:
        text = _clean("".join(parts))
        if text and any(c.isalnum() for c in text):
            out.append(Unit(place, text))
        parts.clear()

    for child, step in _steps(el):
        tag = child.tag
        if tag in SKIP:
            parts.append(child.tail or "")
        elif tag == "br":
            flush()
            parts.append(child.tail or "")
        elif tag in INLINE and not _has_block(child):
            parts.append("".join(t for t in child.itertext() if isinstance(t, str)))
            parts.append(child.tail or "")
        else:
            flush()
            _walk(child, (*place, step), out)
            parts.append(child.tail or "")
    flush()


def _has_block(el: _Element) -> bool:
    return any(isinstance(d.tag, str) and d.tag not in INLINE for d in el.iterdescendants())


@dataclass(frozen=True)
class Template:
    container: Place
    noise: tuple[Place, ...] = ()  # places inside the container (relative) removed
    # short lines of the same shape at the same place on most pages (a date, "Author: …",
    # "Tags: …", a view count): (the place inside the container, the shape)
    fields: tuple[tuple[Place, str], ...] = ()
    pages: int = 0  # learned from
    coverage: float = 0.0  # share of the pages' own text in the container
    purity: float = 0.0  # share of own text among the container's text
    usual_chars: int = 0  # the median text of a page read this way
    # where the outlet prints the headline, the publication date and the byline
    # (``crawler.extract.template_fields``), read where a page's metadata lacks them; None when
    # not learned
    title_at: Spot | None = None
    date_at: Spot | None = None
    author_at: Spot | None = None
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    def units_of(self, page: Layout) -> list[Unit]:
        """The page's lines inside the container, the noise places, fields and the lines at
        the learned spots (headline, date, byline) left out."""
        n = len(self.container)
        noise = [self.container + rel for rel in self.noise]
        fields = set(self.fields)
        spots = [(s.place, s.shape, SPOT_SHAPES[name]) for name, s in self.spots.items()]
        return [
            u
            for u in page.units
            if u.place[:n] == self.container
            and not any(u.place[: len(q)] == q for q in noise)
            and not (fields and _field_key(u, n) in fields)
            and not any(
                u.place == at and shape_of(u.text) == shape for at, shape, shape_of in spots
            )
        ]

    def text_of(self, page: Layout) -> str | None:
        """The page's article text read by the template, or None when the page does not fit
        it (no container, or far less text in it than usual)."""
        lines = [u.text for u in self.units_of(page)]
        text = "\n".join(lines)
        if not lines or len(text) < SHORT_SHARE * self.usual_chars:
            return None
        return text

    @property
    def key(self) -> str:
        """The template's name among its outlet's: the place of its container."""
        return "/".join(self.container)

    @property
    def spots(self) -> dict[str, Spot]:
        """Where the headline, the date and the byline were learned to be, by name."""
        named = {"title": self.title_at, "date": self.date_at, "author": self.author_at}
        return {name: spot for name, spot in named.items() if spot is not None}

    def describe(self) -> str:
        fields = "".join(f"; {name} at {spot.place[-1]}" for name, spot in self.spots.items())
        return (
            f"container {'/'.join(self.container)}; {len(self.noise)} noise place(s){fields}; "
            f"from {self.pages} pages, coverage {self.coverage:.2f}, purity {self.purity:.2f}"
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": 1,
                "container": list(self.container),
                "noise": [list(q) for q in self.noise],
                "fields": [[list(place), shape] for place, shape in self.fields],
                "pages": self.pages,
                "coverage": round(self.coverage, 4),
                "purity": round(self.purity, 4),
                "usual_chars": self.usual_chars,
                **{f"{name}_at": spot.to_data() for name, spot in self.spots.items()},
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Template | None:
        try:
            data = json.loads(text)
            return cls(
                container=tuple(data["container"]),
                noise=tuple(tuple(q) for q in data.get("noise", ())),
                fields=tuple((tuple(p), str(shape)) for p, shape in data.get("fields", ())),
                pages=int(data.get("pages", 0)),
                coverage=float(data.get("coverage", 0)),
                purity=float(data.get("purity", 0)),
                usual_chars=int(data.get("usual_chars", 0)),
                # a template stored before these were learned has none
                title_at=Spot.from_data(data.get("title_at")),
                date_at=Spot.from_data(data.get("date_at")),
                author_at=Spot.from_data(data.get("author_at")),
            )
        except (ValueError, KeyError, TypeError):
            return None


@dataclass
class _Tally:
    own: float = 0.0
    shared: float = 0.0
    prose: float = 0.0  # own characters in lines of running text (PROSE_WORDS words or more)
    pages: int = 0


def _grams(text: str) -> set[str]:
    """A line's runs of GRAM words (the line itself when it is shorter): a line is shared as far
    as its runs are, so a headline shown with another time or view count on each page is still
    the same headline, while two articles that share a turn of phrase are not the same text."""
    words = line_key(text).split()
    if len(words) < GRAM:
        return {" ".join(words)}
    return {" ".join(words[i : i + GRAM]) for i in range(len(words) - GRAM + 1)}


def _tallies(pages: Sequence[Layout]) -> dict[Place, _Tally]:
    """Own and shared characters per place (a place counts the lines of every place inside it),
    summed over the pages, and on how many pages each place is."""
    grams = [[_grams(u.text) for u in page.units] for page in pages]
    seen_on = Counter(g for page in grams for g in set().union(*page))
    total: dict[Place, _Tally] = defaultdict(_Tally)
    for page, page_grams in zip(pages, grams, strict=True):
        mine: dict[Place, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        for u, unit_grams in zip(page.units, page_grams, strict=True):
            shared = sum(1 for g in unit_grams if seen_on[g] > 1) / len(unit_grams)
            size = len(u.text)
            prose = size * (1 - shared) if len(u.text.split()) >= PROSE_WORDS else 0.0
            for k in range(1, len(u.place) + 1):
                t = mine[u.place[:k]]
                t[0] += size * (1 - shared)
                t[1] += size * shared
                t[2] += prose
        for place, (own, shared_chars, prose_chars) in mine.items():
            agg = total[place]
            agg.own += own
            agg.shared += shared_chars
            agg.prose += prose_chars
            agg.pages += 1
    return total


def learn(pages: Sequence[Layout]) -> Template | None:
    """The template of an outlet's pages, or None when they share none confidently (too few
    pages, pages of several sites, a container that does not hold the pages' own text)."""
    if len(pages) < MIN_PAGES:
        return None
    total = _tallies(pages)
    root = total[pages[0].units[0].place[:1]] if pages[0].units else _Tally()
    if root.shared < MIN_SHARED_CHARS * len(pages):
        return None  # pages that repeat nothing of each other are not of one site's template
    need = MIN_PRESENCE * len(pages)
    candidates = [
        p
        for p, t in total.items()
        if t.pages >= need and len(p) >= 3 and _tag(p[-1]) in CONTAINERS  # below body
    ]
    if not candidates:
        return None
    score = {p: total[p].own - total[p].shared for p in candidates}
    best = max(candidates, key=lambda p: (score[p], len(p)))
    if score[best] <= 0:
        return None
    # down to the child that keeps most of its running text: the title, date, byline and tags
    # next to the article's own container are own text too, but short lines, not article text
    while True:
        children = [p for p in candidates if len(p) == len(best) + 1 and p[:-1] == best]
        child = max(children, key=lambda p: total[p].prose, default=None)
        if child is None or score[child] <= 0 or total[child].prose < DEEPER * total[best].prose:
            break
        best = child
    t = total[best]
    coverage = round(t.own / root.own, 4) if root.own else 0.0
    purity = round(t.own / (t.own + t.shared), 4) if t.own + t.shared else 0.0
    if coverage < MIN_COVERAGE or purity < MIN_PURITY:
        return None
    noise = _noise(best, total, len(pages))
    fields = _fields(best, pages)
    template = Template(best, noise, fields, pages=len(pages), coverage=coverage, purity=purity)
    sizes = [sum(len(u.text) for u in template.units_of(page)) for page in pages]
    from crawler.extract.template_fields import learn_spots  # it reads templates' places

    places = learn_spots(best, pages)
    return replace(
        template,
        usual_chars=int(statistics.median(sizes)),
        title_at=places.title,
        date_at=places.date,
        author_at=places.author,
    )


def _field_key(unit: Unit, n: int) -> tuple[Place, str] | None:
    """A short line's place in the container and shape — if the shape says more than "a few
    words": a label, a figure or a sign (a short sentence of the article is not a field)."""
    if len(unit.text.split()) >= PROSE_WORDS:
        return None
    shape = line_shape(unit.text)
    if not shape.startswith("label ") and not _FIELD_SIGN.search(shape):
        return None
    return unit.place[n:], shape


def _fields(container: Place, pages: Sequence[Layout]) -> tuple[tuple[Place, str], ...]:
    """Short lines in the container that have the same shape at the same place on most pages:
    a date line, a byline, a tag row, a view count."""
    n = len(container)
    seen: Counter[tuple[Place, str]] = Counter()
    for page in pages:
        keys = {_field_key(u, n) for u in page.units if u.place[:n] == container}
        seen.update(k for k in keys if k is not None)
    need = max(2.0, FIELD_SHARE * len(pages))
    return tuple(sorted(k for k, c in seen.items() if c >= need))


def _noise(container: Place, total: dict[Place, _Tally], pages: int) -> tuple[Place, ...]:
    """The outermost places inside the container whose text is mostly shared between pages."""
    n = len(container)
    found: list[Place] = []
    for place in sorted((p for p in total if len(p) > n and p[:n] == container), key=len):
        t = total[place]
        if t.pages < 0.5 * pages or t.own + t.shared == 0:
            continue
        if any(place[: len(q)] == q for q in found):
            continue
        if t.shared / (t.own + t.shared) >= NOISE_SHARED:
            found.append(place)
    return tuple(q[n:] for q in found)


SAME_LAYOUT = 0.5  # two pages share this much of their places (Jaccard): one layout
SIGNATURE_DEPTH = 5  # places down to this depth make a page's layout signature


def _signature(page: Layout) -> frozenset[Place]:
    return frozenset(u.place[:SIGNATURE_DEPTH] for u in page.units)


def layout_groups(pages: Sequence[Layout]) -> list[list[Layout]]:
    """The pages grouped by layout (greedily, each page with the first group whose first page
    shares at least half of its places), the largest group first."""
    groups: list[tuple[frozenset[Place], list[Layout]]] = []
    for page in pages:
        sig = _signature(page)
        for first, members in groups:
            union = len(sig | first)
            if union and len(sig & first) / union >= SAME_LAYOUT:
                members.append(page)
                break
        else:
            groups.append((sig, [page]))
    return sorted((members for _, members in groups), key=len, reverse=True)


def learn_layouts(pages: Sequence[Layout]) -> list[Template]:
    """The templates of an outlet's pages: one per layout its pages share (sections, language
    versions, galleries printed in layouts of their own) — the template of them all when they
    share one, else one for each group of pages in one layout with enough pages to learn from."""
    whole = learn(pages)
    if whole is not None:
        return [whole]
    groups = layout_groups(pages)
    if len(groups) < 2:
        return []
    found = (learn(group) for group in groups if len(group) >= MIN_PAGES)
    return [t for t in found if t is not None]
