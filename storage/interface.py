"""The storage interface every other package uses. A backend implements :class:`Storage`; rows
cross it as the dataclasses of :mod:`storage.rows`, failures as :mod:`storage.errors`.

Times: ``*_at`` strings are ISO 8601 in UTC; ``now``/``when``/``next_due`` floats are epoch
seconds (the dispatcher's and the daemon's clocks, injectable in tests).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any, Protocol

from storage.errors import StorageError
from storage.rows import (
    AlertCounts,
    AlertDraft,
    ArticleRecord,
    ArticleSave,
    BrowseTarget,
    CrawlRun,
    DailyMentions,
    DeliveryState,
    FailedAlert,
    FetchState,
    FetchUpdate,
    Lease,
    MentionCount,
    NewArticle,
    NodeInfo,
    Notice,
    OutboxAlert,
    PageTemplate,
    PostDraft,
    SaveResult,
    ScheduleEntry,
    SearchResults,
    SourceSummary,
    StoredText,
    StorySummary,
    ThreadFold,
    TrendPost,
)
from storage.story_joins import ThreadJoin

# A search ranks at most this many matches, the newest (ranking a million matches of a broad
# query takes seconds; 10,000 a few milliseconds).
SEARCH_WINDOW = 10_000


class Storage(Protocol):
    """A newsmon database."""

    # True when one open store may serve several threads at once (a connection pool); else
    # each thread opens its own
    threadsafe: bool

    def close(self) -> None: ...

    # --- URLs, articles and stories ---------------------------------------------------------

    def is_known(self, url_key: str) -> bool:
        """True if this URL key was already resolved (stored, or known not to be an article)."""
        ...

    def remember_url(self, url_key: str, source: str, status: str) -> None: ...

    def save_article(
        self,
        article: NewArticle,
        *,
        url_keys: Sequence[str] = (),
        alerts: Sequence[AlertDraft] = (),
        mentions: Sequence[str] = (),
    ) -> SaveResult:
        """Store an article once (by canonical URL); on first store also its story, its
        alerts and its mention counts (``mentions``: the rules and ``@concepts`` it matched),
        in one transaction. Its ``url_keys`` are remembered as seen either way."""
        ...

    def save_articles(self, saves: Sequence[ArticleSave]) -> list[SaveResult | StorageError]:
        """Several articles stored in one transaction (one commit for the batch: a commit,
        with its search-index update, is most of what storing one article costs), each as
        ``save_article`` stores it, in order. An article whose statements fail is rolled back
        alone and its error takes its place in the results; a failed commit raises."""
        ...

    def article(self, article_id: int) -> ArticleRecord | None: ...

    def article_by_url(self, url: str) -> ArticleRecord | None:
        """The article stored under this canonical URL."""
        ...

    def articles(self, source: str | None = None) -> Iterator[ArticleRecord]:
        """Every stored article (of one source), oldest first."""
        ...

    def recent_texts(self, source: str, limit: int) -> list[StoredText]:
        """The texts of the source's latest ``limit`` stored articles, newest first."""
        ...

    def revise_article(
        self,
        article_id: int,
        *,
        text: str,
        fingerprint: str | None,
        linked: Sequence[tuple[int, int]],
        alerts: Sequence[AlertDraft],
        mentions: Sequence[str] = (),
        looked_for: Collection[str] = (),
        title: str | None = None,
        enqueue: bool = False,
    ) -> int:
        """Replace a stored article's text (boilerplate learned after it was stored) and bring
        its alerts that are not sent yet in line: ``alerts`` are what the new text matches; a
        waiting alert for a channel not among them is withdrawn, one for a channel among them
        takes the new rules and snippet. Nothing new is enqueued, nothing sent is touched.
        Its mention counts follow too: of the subjects ``looked_for`` (rules and
        ``@concepts``), it counts for those in ``mentions`` and no longer for the others.
        ``title``: its new title too (an edited post). ``enqueue``: a draft for a channel that
        never had an alert of this article is enqueued (a rule newly matches an edited post).
        Returns the number of alerts withdrawn."""
        ...

    def article_times(self, source: str, limit: int = 50) -> list[float]:
        """When the source's latest articles were first stored (epoch seconds)."""
        ...

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        source: Sequence[str] = (),
        language: Sequence[str] = (),
        since: str | None = None,
        until: str | None = None,
        mark: tuple[str, str] = ("[", "]"),
        window: int | None = SEARCH_WINDOW,
    ) -> SearchResults:
        """Full-text search (words, "phrases", OR, NOT, prefix*), best match first. Raises
        :class:`storage.errors.QueryError` for a query the database cannot parse."""
        ...

    # --- learned page templates (one or more per source) ------------------------------------

    def page_templates(self, source: str | None = None) -> list[PageTemplate]:
        """The source's templates (every source's if None), newest first."""
        ...

    def save_page_template(self, template: PageTemplate, *, replaces: bool = False) -> None:
        """Keep a learned template (by source and key); ``replaces``: the source's others go."""
        ...

    def delete_page_template(self, source: str, key: str) -> None:
        """Forget one of the source's templates (no page fits it any more)."""
        ...

    # --- site-learned boilerplate ------------------------------------------------------------

    def boilerplate_keys(self, source: str, min_articles: int) -> set[str]: ...

    def learn_lines(self, source: str, lines: Mapping[str, str], min_articles: int) -> set[str]:
        """Count one more article for each line key; returns the keys that just reached
        ``min_articles`` (now boilerplate of the source)."""
        ...

    # --- crawls: conditional-GET state, runs, errors ----------------------------------------

    def fetch_state(self, url: str) -> FetchState | None: ...

    def save_fetch_states(self, states: Mapping[str, FetchUpdate]) -> None: ...

    def start_run(self, source: str) -> int: ...

    def finish_run(
        self, run_id: int, *, status: str, reason: str, stats: Mapping[str, Any]
    ) -> None: ...

    def record_error(
        self, run_id: int | None, source: str, url: str, kind: str, message: str
    ) -> None: ...

    def last_run(self, source: str) -> CrawlRun | None: ...

    # --- the alert outbox --------------------------------------------------------------------

    def due_alerts(self, now: float, limit: int = 100) -> list[OutboxAlert]:
        """Alerts ready to send, oldest first; an alert waits while an earlier one of the same
        story and channel is unsent (the first opens the thread)."""
        ...

    def next_alert_due(self) -> float | None: ...

    def claim_alert(self, alert_id: int, now: float, lease: float) -> bool:
        """Take an alert for sending for ``lease`` seconds; False if another dispatcher has it."""
        ...

    def extend_claim(self, alert_id: int, held_until: float, until: float) -> bool:
        """Keep a claimed alert leased until ``until`` (its dispatcher waits for the channel's
        turn), if the lease that ends at ``held_until`` is still the one it holds; False when
        the lease ran out and another dispatcher took the alert."""
        ...

    def mark_sent(self, alert: OutboxAlert, ts: str, thread_ts: str | None) -> None: ...

    def mark_retry(self, alert_id: int, when: float, error: str) -> None: ...

    def mark_dead(self, alert_id: int, error: str) -> None: ...

    def thread_for(self, story_id: int, channel: str) -> str | None: ...

    def story_languages(self, story_id: int, channel: str) -> tuple[str, ...]:
        """The languages of the story's copies sent to the channel, in the order they came."""
        ...

    def thread_alert(self, story_id: int, channel: str) -> OutboxAlert | None:
        """The alert that opened the story's thread in the channel (its top-level message)."""
        ...

    # --- reply floods: copies folded into one summary reply ----------------------------------

    def replies_sent_since(self, story_id: int, channel: str, since: str) -> int:
        """Thread replies (not folded) sent for the story in the channel since ``since``."""
        ...

    def fold_for(self, story_id: int, channel: str) -> ThreadFold | None: ...

    def mark_folded(self, alert: OutboxAlert, fold: ThreadFold) -> None:
        """The alert went into the story's summary reply: record the fold and the alert as
        sent (one transaction)."""
        ...

    # --- flood control: held alerts and hourly digests ---------------------------------------

    def top_level_sent_since(self, channel: str, rule: str, since: str) -> int: ...

    def hold_alert(self, alert_id: int, hour: str) -> None: ...

    def due_digests(self, before_hour: str, now: float) -> list[tuple[str, str]]: ...

    def claim_digest(
        self, channel: str, hour: str, now: float, lease: float
    ) -> list[OutboxAlert]: ...

    def mark_digest_sent(self, alert_ids: Sequence[int], ts: str) -> None: ...

    def release_digest(self, alert_ids: Sequence[int], when: float, error: str) -> None: ...

    # --- the daemon's schedule, health notices -----------------------------------------------

    def schedule(self, source: str | None = None) -> dict[str, ScheduleEntry]: ...

    def save_schedule(self, entry: ScheduleEntry) -> None: ...

    def add_notice(self, channel: str | None, source: str, kind: str, text: str) -> int: ...

    def due_notices(self, now: float, limit: int = 20) -> list[Notice]: ...

    def mark_notice(
        self,
        notice_id: int,
        status: str,
        *,
        ts: str | None = None,
        when: float = 0.0,
        error: str | None = None,
    ) -> None: ...

    def recent_notices(self, limit: int = 10) -> list[Notice]: ...

    # --- the fleet: nodes sharing one database -----------------------------------------------

    def claim_source(self, source: str, node: str, now: float, ttl: float) -> bool:
        """Take the lease of a source for ``ttl`` seconds: True unless another node holds an
        unexpired one (a dead node's lease runs out and another node takes the source)."""
        ...

    def release_source(self, source: str, node: str) -> None: ...

    def add_to_schedule(self, entries: Sequence[ScheduleEntry]) -> None:
        """Plan sources that have no schedule yet (a source already planned keeps its plan)."""
        ...

    def claim_due(
        self, node: str, sources: Sequence[str], now: float, ttl: float, limit: int
    ) -> list[str]:
        """Take the leases of up to ``limit`` of ``sources`` whose next due time has come and
        that no node holds, earliest due first, for ``ttl`` seconds. Nodes claiming at the same
        moment never get the same source (PostgreSQL: ``FOR UPDATE SKIP LOCKED``)."""
        ...

    def release_leases(self, node: str) -> int:
        """Drop every lease ``node`` holds (the node restarted: its old polls are gone)."""
        ...

    def reserve_post(self, channel: str, now: float, interval: float) -> float:
        """The moment a message to ``channel`` may go out, keeping ``interval`` seconds between
        messages to a channel across every process that shares the database."""
        ...

    def heartbeat(self, node: str, host: str, pid: int, started_at: float, now: float) -> None: ...

    def fleet(self) -> tuple[list[NodeInfo], list[Lease]]:
        """The nodes that reported, and the leases held."""
        ...

    # --- mention counts (kept as articles are matched; days are UTC ``YYYY-MM-DD``) ---------

    def daily_mentions(
        self,
        since_day: str,
        until_day: str,
        subjects: Sequence[str] | None = None,
        *,
        since: float | None = None,
    ) -> list[DailyMentions]:
        """Per subject and day: matched articles, their stories and outlets (of the mentions
        since ``since``, epoch seconds, if given: published then, or stored then if undated)."""
        ...

    def mention_days(self, subjects: Sequence[str] | None = None) -> tuple[str, str] | None:
        """The first and the last day with a matched article of the subjects (all if None)."""
        ...

    def mention_counts(
        self, since_day: str, until_day: str, subjects: Sequence[str] | None = None
    ) -> list[MentionCount]:
        """Matched articles per subject, day, source and language."""
        ...

    def top_stories(
        self,
        subjects: Sequence[str] | None,
        *,
        since_day: str = "",
        until_day: str = "9999-12-31",
        since: float | None = None,
        limit: int = 10,
    ) -> list[StorySummary]:
        """The stories of the subjects' matched articles in a range of days (and since
        ``since``, epoch seconds: published then, or stored then if undated), most outlets
        first, then most languages."""
        ...

    def mention_titles(
        self, subject: str, since_day: str, until_day: str, limit: int = 2000
    ) -> list[tuple[str, str]]:
        """(day, title) of the newest matched articles of a subject."""
        ...

    def stored_texts(self, after_id: int, limit: int) -> list[StoredText]:
        """What rules see of the stored articles after ``after_id``, oldest first (with their
        source): to count the mentions of a rule added later."""
        ...

    def backfill_mentions(self, found: Sequence[tuple[int, Sequence[str]]]) -> int:
        """Count each (article id, subjects) pair's article for the subjects it is not yet
        counted for, in one transaction; returns the mentions added."""
        ...

    def backfilled_subjects(self) -> set[str]:
        """The rules and ``@concepts`` whose mentions were counted over the stored articles."""
        ...

    def mark_backfilled(self, subjects: Sequence[str]) -> None: ...

    # --- trend messages (spike alerts, daily briefings), delivered by the dispatcher --------

    def add_post(self, post: PostDraft) -> int | None:
        """Queue a message; None when one with its key was queued before (by any node)."""
        ...

    def post_exists(self, key: str) -> bool: ...

    def latest_post(self, kind: str, subject: str, day: str) -> TrendPost | None: ...

    def recent_posts(self, limit: int = 20) -> list[TrendPost]: ...

    def due_posts(self, now: float, limit: int = 20) -> list[TrendPost]: ...

    def claim_post(self, post_id: int, now: float, lease: float) -> bool: ...

    def extend_post_claim(self, post_id: int, held_until: float, until: float) -> bool:
        """``extend_claim`` for a trend message."""
        ...

    def mark_post(
        self,
        post_id: int,
        status: str,
        *,
        ts: str | None = None,
        when: float = 0.0,
        error: str | None = None,
    ) -> None: ...

    # --- status ------------------------------------------------------------------------------

    def alert_counts(self) -> AlertCounts: ...

    def failed_alerts(self, limit: int = 10) -> list[FailedAlert]: ...

    def source_summaries(self) -> dict[str, SourceSummary]: ...

    def browse_target(self) -> BrowseTarget:
        """The database file and Datasette metadata for ``newsmon browse``; raises
        :class:`storage.errors.UnsupportedDatabase` where a backend has no file to browse."""
        ...

    # --- Apprise destinations: last delivery and last failure -----------------------------------

    def note_delivery(self, channel: str, now: float, error: str | None = None) -> None:
        """Note a delivery to ``channel`` (``error`` None) or a failed attempt and why."""
        ...

    def delivery_states(self) -> list[DeliveryState]: ...

    # --- stories split in two and joined later ------------------------------------------------

    def join_stories(self, from_id: int, into_id: int) -> bool:
        """Move a later story into an earlier one (its articles, vectors, signatures, alerts and
        threads) and record the join; False when they are one story already."""
        ...

    def kept_story(self, story_id: int) -> int:
        """The story an id stands for now: the one it was joined into, else itself."""
        ...

    def thread_joins(self) -> list[ThreadJoin]:
        """Channels where a joined story's top-level message is yet to point to the kept
        thread."""
        ...

    def mark_thread_join(self, join: ThreadJoin, done: bool, error: str | None = None) -> None:
        """Done, or tried once more (``error``: why not)."""
        ...

    def outbox_alert(self, alert_id: int) -> OutboxAlert | None:
        """One alert of the outbox, with what its message needs of its article."""
        ...
