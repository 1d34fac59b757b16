"""The page templates of the sources a crawl reads: loaded from storage, learned from the
layouts of their pages as they are extracted, added to when a source prints pages of another
layout, learned again when a source's layout changes.

A source without a template has its pages' layouts kept (the last 12) and a template is
learned once 3 pages are in (then at 6 and 12, then every 6 pages, for a source whose pages
share none yet: pages of several sites, a site between two layouts). A source with templates
reads each page from the container of the first one it fits; a page that fits none is
extracted generically and counts as a miss, and once 3 pages have missed, a template is
learned from them:

- beside the others when some of the recent pages still fit one (an outlet's sections, a
  language version, galleries or live blogs printed in layouts of their own);
- as a layout change when none of the recent pages fits any (a redesign): counted, and shown
  by ``newsmon status``. The old templates are kept a while (a page still in the old layout
  is read by them) and go once none of the source's last 24 pages has fit them.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from crawler.extract.article import Article
from crawler.extract.template import MIN_PAGES, Layout, Template, learn_layouts
from storage import PageTemplate, Storage

log = logging.getLogger(__name__)

KEEP_LAYOUTS = 12  # the latest page layouts kept per source to learn from
MISSES = 3  # this many pages fitting no template: one is learned from them
RECENT = 5  # none of a source's last 5 pages fitting a template: its layout changed
RETIRE = 24  # a template none of the source's last 24 pages fit goes (if it has others)


@dataclass
class _Kept:
    template: Template
    fit_at: int  # the source's page count when a page last fit it


@dataclass
class _Source:
    kept: list[_Kept] = field(default_factory=list)  # the order pages are tried in
    replaced: int = 0
    layouts: deque[Layout] = field(default_factory=lambda: deque(maxlen=KEEP_LAYOUTS))
    urls: deque[str] = field(default_factory=lambda: deque(maxlen=KEEP_LAYOUTS))
    seen: int = 0  # pages learned from so far (no template yet)
    next_try: int = MIN_PAGES  # learn when this many have been seen
    pages: int = 0  # pages noted since the crawl began (the clock templates retire by)
    fits: deque[bool] = field(default_factory=lambda: deque(maxlen=RECENT))
    missed: deque[Layout] = field(default_factory=lambda: deque(maxlen=KEEP_LAYOUTS))

    @property
    def templates(self) -> tuple[Template, ...]:
        return tuple(k.template for k in self.kept)


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
            for saved in self._store().page_templates(name):  # newest first
                template = Template.from_json(saved.data)
                if template is not None:
                    state.kept.append(_Kept(template, 0))
                    state.replaced = max(state.replaced, saved.replaced)
        return state

    def templates_for(self, source: str) -> tuple[Template, ...]:
        """The templates a page of the source is tried with, in order (none: generic)."""
        return self._source(source).templates if self.enabled else ()

    def wants_layout(self, source: str) -> bool:
        """Whether the source's next page should bring its layout (to learn from)."""
        if not self.enabled:
            return False
        state = self._source(source)
        return not state.kept or not all(state.fits)

    def note(self, source: str, article: Article) -> None:
        """An article of the source was extracted: learn from its page when it is time."""
        if not self.enabled:
            return
        state = self._source(source)
        if state.kept:
            state.pages += 1
            state.fits.append(article.by_template)
            if article.by_template:
                self._count("template_pages", 1)
                self._fit(source, state, article.template_key)
                return
            self._count("template_misses", 1)
            if article.layout is not None:
                state.missed.append(article.layout)
            if len(state.missed) >= MISSES:
                self._learn_missed(source, state, list(state.missed))
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

    def learn_batch(self, source: str, articles: Sequence[Article]) -> tuple[Template, ...]:
        """A batch of a source's articles held together (its first crawl): its template learned
        from the batch's pages at once — or one more learned from those of them that fit none
        of the source's templates (another layout, or a layout change when most miss)."""
        if not self.enabled:
            return ()
        state = self._source(source)
        if state.kept:
            missed = [a.layout for a in articles if not a.by_template and a.layout is not None]
            if len(missed) >= MIN_PAGES:
                self._learn_missed(source, state, missed, changed=len(missed) * 2 > len(articles))
            return state.templates
        for article in articles:
            if article.layout is not None and article.url not in state.urls:
                state.layouts.append(article.layout)
                state.urls.append(article.url)
        if len(state.layouts) >= MIN_PAGES:
            self._learn(source, state, list(state.layouts))
        return state.templates

    def _fit(self, source: str, state: _Source, key: str | None) -> None:
        """A page fit the template ``key``: it stays; templates long unfit go."""
        for kept in state.kept:
            if kept.template.key == key:
                kept.fit_at = state.pages
        stale = [k for k in state.kept if state.pages - k.fit_at > RETIRE]
        for kept in stale:
            state.kept.remove(kept)
            self._store().delete_page_template(source, kept.template.key)
            self._count("template_retired", 1)
            log.info("%s: page template retired (no page fit it): %s", source, kept.template.key)

    def _learn_missed(
        self, source: str, state: _Source, layouts: list[Layout], *, changed: bool | None = None
    ) -> None:
        """A template learned from pages that fit none of the source's: a layout change when
        none of its recent pages fit (or ``changed``), else one more layout of the source."""
        if changed is None:
            changed = len(state.fits) >= MISSES and not any(state.fits)
        if self._learn(source, state, layouts, changed=changed) and changed:
            log.warning("%s: its page layout changed; template learned again", source)
        state.missed.clear()

    def _learn(
        self, source: str, state: _Source, layouts: list[Layout], *, changed: bool = False
    ) -> bool:
        """Templates learned from the pages (one per layout they share), each kept; whether
        any is new."""
        new = [t for t in learn_layouts(layouts) if t not in state.templates]
        if not new:
            return False
        if changed:
            state.replaced += 1
            self._count("template_relearned", 1)
        for template in reversed(new):  # the largest layout's first
            # a template of the same container replaces its earlier self; new ones come first
            state.kept = [k for k in state.kept if k.template.key != template.key]
            state.kept.insert(0, _Kept(template, state.pages))
            self._count("template_learned", 1)
            self._store().save_page_template(
                PageTemplate(
                    source,
                    template.key,
                    template.to_json(),
                    template.pages,
                    replaced=state.replaced,
                )
            )
            log.info("%s: page template learned: %s", source, template.describe())
        state.fits.clear()
        return True
