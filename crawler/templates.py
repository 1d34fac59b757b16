"""The page templates of the sources a crawl reads: loaded from storage, learned from the
layouts of their pages as they are extracted, learned again when a source's layout changes.

A source without a template has its pages' layouts kept (the last few) and a template is
learned once enough pages are in (then again at each doubling, for a source whose pages share
none yet: pages of several sites, a site between two layouts). A source with one reads each page
from its container; a page that does not fit it is extracted generically and counts as a miss,
and when most of the recent pages miss, the layout has changed: the template is learned again
from those pages and replaces the old one (counted, and shown by ``newsmon status``).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from crawler.extract.article import Article
from crawler.extract.template import MIN_PAGES, Layout, Template, learn
from storage import PageTemplate, Storage

log = logging.getLogger(__name__)

KEEP_LAYOUTS = 12  # the latest page layouts kept per source to learn from
MISSES = 3  # this many of the last RECENT pages not fitting the template: the layout changed
RECENT = 5


@dataclass
class _Source:
    template: Template | None = None
    replaced: int = 0
    layouts: deque[Layout] = field(default_factory=lambda: deque(maxlen=KEEP_LAYOUTS))
    urls: deque[str] = field(default_factory=lambda: deque(maxlen=KEEP_LAYOUTS))
    next_try: int = MIN_PAGES  # learn when this many layouts are in (no template yet)
    fits: deque[bool] = field(default_factory=lambda: deque(maxlen=RECENT))


class TemplateBook:
    def __init__(self, store: Callable[[], Storage], count: Callable[[str, int], None]) -> None:
        self._store = store  # the crawl's store (opened with the crawl)
        self._count = count  # a stats counter: (name, by)
        self._sources: dict[str, _Source] = {}

    def _source(self, name: str) -> _Source:
        state = self._sources.get(name)
        if state is None:
            state = self._sources[name] = _Source()
            saved = self._store().page_templates(name)
            if saved:
                state.template = Template.from_json(saved[0].data)
                state.replaced = saved[0].replaced
        return state

    def template_for(self, source: str) -> Template | None:
        """The template a page of the source is read with, if it has one."""
        return self._source(source).template

    def wants_layout(self, source: str) -> bool:
        """Whether the source's next page should bring its layout (to learn from)."""
        state = self._source(source)
        return state.template is None or not all(state.fits)

    def note(self, source: str, article: Article) -> None:
        """An article of the source was extracted: learn from its page when it is time."""
        state = self._source(source)
        if state.template is not None:
            state.fits.append(article.by_template)
            if article.by_template:
                self._count("template_pages", 1)
                return
            self._count("template_misses", 1)
        if article.layout is None or article.url in state.urls:
            return
        state.layouts.append(article.layout)
        state.urls.append(article.url)
        if state.template is None and len(state.layouts) >= state.next_try:
            state.next_try = len(state.layouts) * 2  # (bounded by KEEP_LAYOUTS: then every page)
            self._learn(source, state, list(state.layouts))
        elif state.template is not None and list(state.fits).count(False) >= MISSES:
            misses = list(state.layouts)[-MISSES * 2 :]
            if self._learn(source, state, misses, replaces=True):
                log.warning("%s: its page layout changed; template learned again", source)

    def learn_batch(self, source: str, articles: Sequence[Article]) -> Template | None:
        """A new source's first batch: its template learned from the batch's pages at once."""
        state = self._source(source)
        for article in articles:
            if article.layout is not None and article.url not in state.urls:
                state.layouts.append(article.layout)
                state.urls.append(article.url)
        if state.template is None and len(state.layouts) >= MIN_PAGES:
            self._learn(source, state, list(state.layouts))
        return state.template

    def _learn(
        self, source: str, state: _Source, layouts: list[Layout], *, replaces: bool = False
    ) -> bool:
        template = learn(layouts)
        if template is None or (replaces and template == state.template):
            return False
        if replaces:
            state.replaced += 1
            self._count("template_relearned", 1)
        state.template = template
        state.fits.clear()
        self._count("template_learned", 1)
        self._store().save_page_template(
            PageTemplate(
                source,
                "/".join(template.container),
                template.to_json(),
                template.pages,
                replaced=state.replaced,
            ),
            replaces=replaces,
        )
        log.info("%s: page template learned: %s", source, template.describe())
        return True
