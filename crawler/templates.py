"""The page templates of the sources a crawl reads: loaded from storage, learned from the
layouts of their pages as they are extracted, learned again when a source's layout changes.

A source without a template has its pages' layouts kept (the last 12) and a template is
learned once 3 pages are in (then at 6 and 12, then every 6 pages, for a source whose pages
share none yet: pages of several sites, a site between two layouts). A source with one reads
each page from its container; a page that does not fit it is extracted generically and counts
as a miss, and when most of the recent pages miss, the layout has changed: the template is
learned again from the pages that missed and replaces the old one (counted, and shown by
``newsmon status``).
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
    seen: int = 0  # pages learned from so far (no template yet)
    next_try: int = MIN_PAGES  # learn when this many have been seen
    fits: deque[bool] = field(default_factory=lambda: deque(maxlen=RECENT))
    missed: deque[Layout] = field(default_factory=lambda: deque(maxlen=KEEP_LAYOUTS))


class TemplateBook:
    def __init__(self, store: Callable[[], Storage], count: Callable[[str, int], None]) -> None:
        self._store = store  # the crawl's store (opened with the crawl)
        self._count = count  # a stats counter: (name, by)
        self._sources: dict[str, _Source] = {}
        self.enabled = True  # off: no template is learned or read (every page generic)

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
        return self._source(source).template if self.enabled else None

    def wants_layout(self, source: str) -> bool:
        """Whether the source's next page should bring its layout (to learn from)."""
        if not self.enabled:
            return False
        state = self._source(source)
        return state.template is None or not all(state.fits)

    def note(self, source: str, article: Article) -> None:
        """An article of the source was extracted: learn from its page when it is time."""
        if not self.enabled:
            return
        state = self._source(source)
        if state.template is not None:
            state.fits.append(article.by_template)
            if article.by_template:
                self._count("template_pages", 1)
                return
            self._count("template_misses", 1)
            if article.layout is not None:
                state.missed.append(article.layout)
            # most recent pages miss: the layout changed; learned again from those pages alone
            if list(state.fits).count(False) >= MISSES and len(state.missed) >= MIN_PAGES:
                if self._learn(source, state, list(state.missed), replaces=True):
                    log.warning("%s: its page layout changed; template learned again", source)
                state.missed.clear()
            return
        if article.layout is None or article.url in state.urls:
            return
        state.layouts.append(article.layout)
        state.urls.append(article.url)
        state.seen += 1
        if state.seen >= state.next_try:  # at 3, 6, 12 pages, then every 6 (the last 12)
            grown = state.seen * 2
            state.next_try = grown if grown <= KEEP_LAYOUTS else state.seen + KEEP_LAYOUTS // 2
            self._learn(source, state, list(state.layouts))

    def learn_batch(self, source: str, articles: Sequence[Article]) -> Template | None:
        """A batch of a source's articles held together (its first crawl): its template learned
        from the batch's pages at once — or learned again from them when most of them do not
        fit the template the source had (its layout changed)."""
        if not self.enabled:
            return None
        state = self._source(source)
        if state.template is not None:
            missed = [a.layout for a in articles if not a.by_template and a.layout is not None]
            changed = len(missed) >= MIN_PAGES and len(missed) * 2 > len(articles)
            if changed and self._learn(source, state, missed, replaces=True):
                log.warning("%s: its page layout changed; template learned again", source)
            return state.template
        for article in articles:
            if article.layout is not None and article.url not in state.urls:
                state.layouts.append(article.layout)
                state.urls.append(article.url)
        if len(state.layouts) >= MIN_PAGES:
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
