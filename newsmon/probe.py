"""What an outlet offers newsmon, found out with a handful of requests: its feeds
(autodiscovery and the usual paths), news sitemaps (robots.txt, the usual paths, sitemap
indexes), listing pages and their pagination, its language(s), and how three recent articles
extract — and whether its pages need rendering in a browser to show their text.

Used by ``newsmon add`` (a new outlet) and ``newsmon check`` (a configured source). The pages
are read by the spiders' own parsers (:mod:`spiders.feeds`, :mod:`spiders.sitemaps`,
:mod:`spiders.listings`) and extracted as a crawl extracts them (:mod:`newsmon.explain`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from crawler.config import SourceConfig
from crawler.extract.urls import same_site
from crawler.rendering import looks_like_js_shell
from newsmon.explain import explain
from newsmon.probe_http import Page, ProbeClient, ProbeError
from spiders.feeds import FeedError, discover_feeds, parse_feed
from spiders.listings import listing_links
from spiders.sitemaps import SitemapError, parse_date, parse_sitemap

FEED_PATHS = ("/feed/", "/rss/", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml", "/rss")
SITEMAP_PATHS = ("/sitemap-news.xml", "/news-sitemap.xml", "/sitemap_news.xml", "/sitemap.xml")
SAMPLE = 3  # articles fetched and extracted
MAX_CHILDREN = 2  # child sitemaps of an index read
FIRST_LINES = 2
Renderer = Callable[[str], str]  # URL → the page's HTML after its scripts ran


@dataclass
class EntryPoint:
    kind: str  # feed | sitemap | listing
    url: str
    articles: int = 0
    newest: datetime | None = None
    error: str | None = None
    pages: int = 1  # listing pages read (the first and its next pages)
    links: list[tuple[str, datetime | None]] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None and self.articles > 0


@dataclass
class ProbedArticle:
    url: str
    title: str | None = None
    language: str | None = None
    published: str | None = None
    length: int = 0
    first_lines: list[str] = field(default_factory=list)
    # reason → (lines left out, the first of them)
    removed: dict[str, tuple[int, str]] = field(default_factory=dict)
    rendered: bool = False  # the text came from the page rendered in a browser
    error: str | None = None  # why no article was read

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class Probe:
    url: str
    entry_points: list[EntryPoint] = field(default_factory=list)
    articles: list[ProbedArticle] = field(default_factory=list)
    needs_render: bool = False  # article pages have their text only once rendered
    render_listings: bool = False  # the listing page has its links only once rendered

    @property
    def languages(self) -> list[str]:
        return list(dict.fromkeys(a.language for a in self.articles if a.ok and a.language))

    def working(self, kind: str) -> list[EntryPoint]:
        return [e for e in self.entry_points if e.kind == kind and e.ok]

    @property
    def broken(self) -> list[EntryPoint]:
        return [e for e in self.entry_points if not e.ok]


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return parse_date(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _newest(links: list[tuple[str, datetime | None]]) -> datetime | None:
    dates = [d for _, d in links if d is not None]
    return max(dates) if dates else None


class Prober:
    def __init__(
        self, client: ProbeClient, renderer: Renderer | None = None, sample: int = SAMPLE
    ) -> None:
        self.client = client
        self.renderer = renderer
        self.sample = sample

    # --- entry points ----------------------------------------------------------------------------

    def read_feed(self, url: str, page: Page | None = None) -> EntryPoint:
        entry = EntryPoint("feed", url)
        try:
            page = page or self.client.get(url)
            if not page.ok:
                entry.error = f"HTTP {page.status}"
                return entry
            items = parse_feed(page.body, page.url)
        except (ProbeError, FeedError) as exc:
            entry.error = str(exc)
            return entry
        entry.links = [(e.url, _date(e.published)) for e in items]
        entry.articles = len(items)
        entry.newest = _newest(entry.links)
        if not items:
            entry.error = "the feed has no entries"
        return entry

    def read_sitemap(self, url: str) -> EntryPoint:
        entry = EntryPoint("sitemap", url)
        try:
            page = self.client.get(url)
            if not page.ok:
                entry.error = f"HTTP {page.status}"
                return entry
            sitemap = parse_sitemap(page.body, page.url)
            if sitemap.is_index:
                links: list[tuple[str, datetime | None]] = []
                for child in sitemap.entries[:MAX_CHILDREN]:
                    inner = self.client.get(child.url)
                    if inner.ok:
                        links += [
                            (e.url, e.date) for e in parse_sitemap(inner.body, inner.url).entries
                        ]
                entry.links = links
            else:
                entry.links = [(e.url, e.date) for e in sitemap.entries]
        except (ProbeError, SitemapError) as exc:
            entry.error = str(exc)
            return entry
        entry.links.sort(key=lambda x: x[1] or datetime.min.replace(tzinfo=UTC), reverse=True)
        entry.articles = len(entry.links)
        entry.newest = _newest(entry.links)
        if not entry.links:
            entry.error = "the sitemap lists no pages"
        return entry

    def read_listing(
        self, url: str, page: Page | None = None, pattern: re.Pattern[str] | None = None
    ) -> EntryPoint:
        entry = EntryPoint("listing", url)
        try:
            page = page or self.client.get(url)
            if not page.ok:
                entry.error = f"HTTP {page.status}"
                return entry
            found = listing_links(page.text, page.url, pattern)
            links = list(found.articles)
            if found.next_pages:
                nxt = self.client.get(found.next_pages[0])
                if nxt.ok:
                    entry.pages = 2
                    links += listing_links(nxt.text, nxt.url, pattern).articles
        except ProbeError as exc:
            entry.error = str(exc)
            return entry
        entry.links = [(u, None) for u in dict.fromkeys(links)]
        entry.articles = len(entry.links)
        if not links:
            entry.error = "no article links on the page"
        return entry

    # --- a new outlet ---------------------------------------------------------------------------

    def discover(self, url: str) -> Probe:
        """Everything ``newsmon add`` reports. Raises :class:`ProbeError` when the site cannot
        be read, robots.txt forbids it, or it is not a news site."""
        home = self.client.get(url)
        if not home.ok:
            raise ProbeError(f"{url} answered HTTP {home.status}")
        if not home.is_html:
            raise ProbeError(f"{url} is not an HTML page ({home.content_type or 'no type'})")
        probe = Probe(home.url)
        html = home.text
        announced = discover_feeds(html, home.url)
        candidates = announced or [urljoin(home.url, p) for p in FEED_PATHS]
        feeds_seen: set[str] = set()
        for feed_url in candidates:
            if not self.client.allowed(feed_url):
                continue
            entry = self.read_feed(feed_url)
            if entry.ok and entry.url not in feeds_seen:
                feeds_seen.add(entry.url)
                probe.entry_points.append(entry)
                if not announced:
                    break  # one of the usual paths answered: the others are its aliases
        robots_maps = self.client.sitemaps(home.url)
        maps = [u for u in robots_maps if "news" in u.lower()] or robots_maps
        if not maps:
            maps = [urljoin(home.url, p) for p in SITEMAP_PATHS]
        for map_url in maps:
            if not same_site(map_url, home.url) or not self.client.allowed(map_url):
                continue
            entry = self.read_sitemap(map_url)
            if entry.ok:
                probe.entry_points.append(entry)
                if map_url not in robots_maps:
                    break
        listing = self.read_listing(home.url, home)
        shell = not listing.ok and not probe.entry_points and looks_like_js_shell(html)
        if shell and self.renderer is not None:  # an app shell: its links may come with scripts
            rendered = self._rendered_page(home.url)
            if rendered is not None:
                listing = self.read_listing(home.url, rendered)
                probe.render_listings = listing.ok
        if listing.ok:
            probe.entry_points.append(listing)
        self.sample_articles(probe)
        if not any(e.ok for e in probe.entry_points) and not any(a.ok for a in probe.articles):
            raise ProbeError(
                f"{url} does not look like a news site: no feed, no sitemap and no article "
                "links found (give the URL of a section page, e.g. /news/, if it has one)"
            )
        if not probe.articles:
            raise ProbeError(
                f"{url}: found {len(probe.entry_points)} entry point(s), but none links to an "
                "article page on the same site"
            )
        if not any(a.ok for a in probe.articles):
            raise ProbeError(
                f"{url}: found {len(probe.entry_points)} entry point(s), but none of the "
                f"{len(probe.articles)} article page(s) tried gave an article text (the first, "
                f"{probe.articles[0].url}: {probe.articles[0].error})"
            )
        return probe

    # --- a configured source --------------------------------------------------------------------

    def check(self, source: SourceConfig) -> Probe:
        """The source's configured entry points (or its homepage, for a source that discovers
        them), each read, and a sample of its articles extracted."""
        probe = Probe(source.url)
        pattern = re.compile(source.article_pattern) if source.article_pattern else None
        probe.entry_points += [self.read_feed(u) for u in source.feeds]
        probe.entry_points += [self.read_sitemap(u) for u in source.sitemaps]
        render_listings = source.render == "listings" and self.renderer is not None
        probe.entry_points += [
            self.read_listing(u, self._rendered_page(u) if render_listings else None, pattern)
            for u in source.listings
        ]
        if not probe.entry_points:
            try:
                home = self.client.get(source.url)
            except ProbeError as exc:
                probe.entry_points.append(EntryPoint("home", source.url, error=str(exc)))
                return probe
            feeds = discover_feeds(home.text, home.url) if home.ok else []
            probe.entry_points += [self.read_feed(u) for u in feeds] or [
                self.read_listing(source.url, home, pattern)
            ]
        self.sample_articles(probe, render=bool(source.render))
        return probe

    # --- articles -------------------------------------------------------------------------------

    def sample_articles(self, probe: Probe, render: bool = False) -> None:
        """Extract the newest few articles of the probe's entry points (``render``: in a
        browser, as a crawl of a ``render`` source reads them)."""
        links: list[tuple[str, datetime | None]] = []
        for entry in probe.entry_points:
            links += entry.links
        dated = sorted(
            (x for x in links if x[1] is not None), key=lambda x: x[1] or 0, reverse=True
        )
        ordered = [u for u, _ in dated] + [u for u, d in links if d is None]
        site = probe.url
        chosen = [u for u in dict.fromkeys(ordered) if same_site(u, site)][: self.sample]
        for url in chosen:
            probe.articles.append(self.article(url, probe, render))

    def article(self, url: str, probe: Probe, render: bool) -> ProbedArticle:
        result = ProbedArticle(url)
        try:
            page = self.client.get(url)
        except ProbeError as exc:
            result.error = str(exc)
            return result
        if not page.ok:
            result.error = f"HTTP {page.status}"
            return result
        html = page.text
        if render and self.renderer is None:
            result.error = "the source renders, but Chromium was not found (rendering.chromium)"
            return result
        if render and self.renderer is not None:
            html, result.rendered = self._render(url, result) or html, True
            if result.error:
                return result
        found = explain(html, page.url)
        if found.article is None and not render and looks_like_js_shell(html):
            if self.renderer is None:
                result.error = (
                    f"no article text in the served page ({found.reason}); it looks built by "
                    "JavaScript: set render: true"
                )
                probe.needs_render = True
                return result
            rendered = self._render(url, result)
            if rendered is None:
                return result
            found = explain(rendered, page.url)
            if found.article is not None:
                probe.needs_render = result.rendered = True
        if found.article is None:
            result.error = result.error or f"not an article: {found.reason}"
            return result
        a = found.article
        result.title, result.language, result.published = a.title, a.language, a.published
        result.length = len(a.text)
        result.first_lines = [line for line in a.text.split("\n") if line.strip()][:FIRST_LINES]
        result.removed = {
            reason: (len(lines), lines[0]) for reason, lines in found.removed.items() if lines
        }
        return result

    def _rendered_page(self, url: str) -> Page | None:
        """The page at ``url`` as the browser shows it (None if it cannot be rendered)."""
        assert self.renderer is not None
        if not self.client.allowed(url):
            return None
        try:
            html = self.renderer(url)
        except Exception:  # reported as the listing's error (no links)
            return None
        return Page(url, 200, "text/html; charset=utf-8", html.encode("utf-8"))

    def _render(self, url: str, result: ProbedArticle) -> str | None:
        assert self.renderer is not None
        try:
            return self.renderer(url)
        except Exception as exc:  # the browser's failure is the report's, not a crash
            result.error = f"rendering in Chromium failed: {type(exc).__name__}: {exc}"
            return None


def source_name(url: str) -> str:
    """A source name from the URL's host: ``https://www.24.kg/`` → ``24-kg``."""
    host = (urlsplit(url).hostname or "outlet").lower()
    host = re.sub(r"^(www|m)\.", "", host)
    name = re.sub(r"[^a-z0-9]+", "-", host).strip("-")
    return (name or "outlet")[:64]
