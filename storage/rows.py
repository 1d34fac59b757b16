"""The values that cross the storage interface: what goes in and what comes out, as frozen
dataclasses. No driver type (sqlite3.Row, psycopg rows) ever leaves a backend."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The state a new alert enters the outbox in (then sending, sent, dead; held, digest_sending).
PENDING = "pending"
# What a URL key turned out to be.
URL_ARTICLE, URL_NOT_ARTICLE = "article", "not_article"


@dataclass(frozen=True)
class NewArticle:
    """An article as the crawler hands it to storage (all text already extracted)."""

    url: str  # canonical URL: the article's identity
    source: str
    title: str | None
    text: str
    author: str | None = None
    published: str | None = None
    language: str | None = None
    description: str | None = None
    fingerprint: str | None = None
    fetched_url: str | None = None
    minhash: bytes | None = None  # near-duplicate signature (crawler.extract.stories)
    bands: tuple[str, ...] = ()  # its LSH band keys
    shingles: int = 0  # distinct shingles the signature was made of
    vector: bytes | None = None  # title + lead embedding, float32 (crawler.extract.embedding)
    evidence: tuple[str, ...] = ()  # figures, dates, times it names (crawler.extract.evidence)
    # spans of ``text`` that are anchor text of links to other articles (rules never see them)
    linked: tuple[tuple[int, int], ...] = ()
    # URL keys (``urls`` rows) whose article's story this one joins when stored: a Telegram
    # post and the article it links to are one story, whichever is stored first
    story_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleSave:
    """One article of a batch stored together (``Storage.save_articles``): what
    ``save_article`` takes."""

    article: NewArticle
    url_keys: tuple[str, ...] = ()
    alerts: tuple[AlertDraft, ...] = ()
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class AlertDraft:
    """An alert to enqueue with a newly stored article: one per channel."""

    channel: str
    rules: tuple[str, ...]
    snippet: str = ""


@dataclass(frozen=True)
class SaveResult:
    article_id: int | None  # None: the article was already stored
    story_id: int | None = None
    alert_ids: tuple[int, ...] = ()

    @property
    def is_new(self) -> bool:
        return self.article_id is not None


@dataclass(frozen=True)
class ArticleRecord:
    """A stored article."""

    id: int
    url: str
    source: str
    title: str | None
    text: str
    author: str | None
    published: str | None
    language: str | None
    description: str | None
    story_id: int | None
    fingerprint: str | None
    fetched_url: str | None
    fetched_at: str


@dataclass(frozen=True)
class PageTemplate:
    """A source's learned page template (``data``: the crawler's JSON), keyed by its container."""

    source: str
    key: str
    data: str
    pages: int  # learned from this many pages
    learned_at: str | None = None  # ISO time (set when saved)
    replaced: int = 0  # how many times the source's templates were learned again (layout changes)


@dataclass(frozen=True)
class StoredText:
    """What the rules saw of a stored article: to clean it again when its source's
    boilerplate grows (``linked``: the spans of ``text`` rules do not see)."""

    id: int
    title: str | None
    text: str
    language: str | None
    linked: tuple[tuple[int, int], ...] = ()
    source: str = ""


@dataclass(frozen=True)
class SearchHit:
    id: int
    url: str
    source: str
    title: str | None
    published: str | None
    language: str | None
    story_id: int | None
    snippet: str  # the matching passage, matched terms wrapped in the search's marks


@dataclass(frozen=True)
class SearchResults:
    """Search hits, best first. ``windowed``: the query matched more articles than a search
    ranks (``window``), and these are the best of the newest of them."""

    hits: tuple[SearchHit, ...]
    windowed: bool = False
    window: int | None = None

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self) -> Any:
        return iter(self.hits)

    def __getitem__(self, index: int) -> SearchHit:
        return self.hits[index]


@dataclass(frozen=True)
class FetchState:
    """What a feed, sitemap or listing page looked like when last read (conditional GET)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    full_fetch_at: str | None = None  # last time the body was read in full (ISO, UTC)
    checked_at: str | None = None


@dataclass(frozen=True)
class FetchUpdate:
    """A new fetch state to record; ``full``: the body was read in full this time. Fields left
    None keep their recorded value."""

    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    full: bool = False


@dataclass(frozen=True)
class CrawlRun:
    id: int
    source: str
    status: str  # running | finished | failed
    reason: str | None
    stats: Mapping[str, Any]
    started_at: str
    finished_at: str | None


@dataclass(frozen=True)
class OutboxAlert:
    """An alert in the outbox, with what its message needs of its article."""

    id: int
    article_id: int
    story_id: int
    channel: str
    rules: tuple[str, ...]
    snippet: str
    status: str
    attempts: int
    last_error: str | None
    url: str
    title: str | None
    source: str
    published: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class FoldedCopy:
    """An outlet's copy of a story, folded into the thread's summary reply."""

    source: str
    url: str
    title: str | None


@dataclass(frozen=True)
class ThreadFold:
    """The summary reply of a story's thread in a channel, and the copies it lists."""

    story_id: int
    channel: str
    ts: str
    copies: tuple[FoldedCopy, ...]


@dataclass(frozen=True)
class FailedAlert:
    id: int
    channel: str
    rules: tuple[str, ...]
    last_error: str | None
    created_at: str


@dataclass(frozen=True)
class AlertCounts:
    pending: int = 0
    sending: int = 0
    held: int = 0
    digest_sending: int = 0
    sent: int = 0
    dead: int = 0

    @property
    def queued(self) -> int:
        """Not delivered yet, not failed: pending or being sent."""
        return self.pending + self.sending


@dataclass(frozen=True)
class Notice:
    """An operational message (source health) in the outbox, or only logged (no channel)."""

    id: int
    channel: str | None
    source: str
    kind: str
    text: str
    status: str  # pending | sent | dead | logged
    attempts: int
    created_at: str
    last_error: str | None = None


@dataclass(frozen=True)
class ScheduleEntry:
    """The daemon's plan and health record for one source."""

    source: str
    interval: float  # the current, adapted interval (seconds)
    next_due: float  # epoch seconds
    failures: int = 0
    empty_runs: int = 0
    extraction_runs: int = 0
    last_started: float | None = None
    last_success: float | None = None
    last_new_article: float | None = None
    last_error: str | None = None
    problems: tuple[str, ...] = ()
    problems_since: float | None = None


@dataclass(frozen=True)
class SourceSummary:
    """What the archive knows of one source, for ``newsmon status``."""

    source: str
    articles: int = 0
    last_article: str | None = None
    last_run: CrawlRun | None = None
    errors_24h: int = 0


@dataclass(frozen=True)
class NodeInfo:
    """A newsmon node (``newsmon run``) sharing the database, as it last reported."""

    node: str
    host: str
    pid: int
    started_at: float
    heartbeat_at: float


@dataclass(frozen=True)
class Lease:
    """Which node is polling a source, until when (epoch seconds)."""

    source: str
    node: str
    expires_at: float


@dataclass(frozen=True)
class BrowseTarget:
    """What a database browser (Datasette) needs: the database file and its metadata."""

    path: str
    name: str
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DailyMentions:
    """How often a rule (or ``@concept``) was mentioned on one day (UTC): matched articles,
    the stories they belong to, and the outlets that carried them."""

    subject: str
    day: str  # YYYY-MM-DD
    articles: int
    stories: int
    outlets: int


@dataclass(frozen=True)
class MentionCount:
    """Matched articles of a rule (or ``@concept``) on one day, from one source in one
    language (``""``: unknown)."""

    subject: str
    day: str
    source: str
    language: str
    articles: int


@dataclass(frozen=True)
class StorySummary:
    """A story as the matched articles tell it: its first article, who carried it."""

    story_id: int
    title: str | None
    url: str
    outlets: tuple[str, ...]
    languages: tuple[str, ...]
    articles: int
    subjects: tuple[str, ...]


@dataclass(frozen=True)
class PostDraft:
    """A trend message to deliver once: a spike alert or a daily briefing. ``key`` makes it
    unique across restarts and nodes; ``file`` (a chart) is uploaded with it."""

    key: str
    kind: str  # spike | briefing
    channel: str
    subject: str  # the rule (spike) or the channel (briefing)
    day: str
    volume: int
    text: str
    blocks: tuple[Mapping[str, Any], ...] = ()
    filename: str | None = None
    file: bytes | None = None


@dataclass(frozen=True)
class TrendPost:
    """A trend message in the outbox."""

    id: int
    key: str
    kind: str
    channel: str
    subject: str
    day: str
    volume: int
    text: str
    blocks: tuple[Mapping[str, Any], ...]
    filename: str | None
    file: bytes | None
    status: str  # pending | sending | sent | dead
    attempts: int
    last_error: str | None = None
    ts: str | None = None


@dataclass(frozen=True)
class DeliveryState:
    """A destination's last delivery and last failure (epoch seconds), for ``newsmon status``."""

    channel: str
    last_ok_at: float | None
    last_error: str | None
    last_error_at: float | None
