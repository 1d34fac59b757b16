"""The storage interface used by the crawler, the dispatcher and the CLI.

Every write runs in a ``BEGIN IMMEDIATE`` transaction, so concurrent writers (the daemon and an
on-demand ``scrapy crawl``) queue on SQLite's busy timeout instead of failing with "database is
locked" when a deferred transaction tries to upgrade its lock.
"""

from __future__ import annotations

import json
import sqlite3
import time
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from storage.sqlite.schema import migrations

BUSY_TIMEOUT_S = 30.0
# A search ranks at most this many matches, the newest (bm25 over a million matches of a broad
# query takes seconds; over 10,000 a few milliseconds).
SEARCH_WINDOW = 10_000


def resemblance(a: bytes, size_a: int, b: bytes, size_b: int) -> float:
    """How much two texts are one: the larger of their estimated Jaccard similarity (from
    MinHash signatures, arrays of uint32) and the estimated containment of the smaller shingle
    set in the larger (a copy cut short is still the same story)."""
    x, y = array("I", a), array("I", b)
    if len(x) != len(y) or not x:
        return 0.0
    jaccard = sum(1 for i, j in zip(x, y, strict=True) if i == j) / len(x)
    smaller = min(size_a, size_b)
    if smaller <= 0:
        return jaccard
    containment = jaccard * (size_a + size_b) / ((1 + jaccard) * smaller)
    return max(jaccard, min(1.0, containment))


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class StoredArticle:
    """An article as the crawler hands it to storage (all text already extracted)."""

    url: str
    source: str
    title: str | None
    text: str
    author: str | None = None
    published: str | None = None
    language: str | None = None
    description: str | None = None
    fingerprint: str | None = None
    fetched_url: str | None = None
    minhash: bytes | None = None  # near-duplicate signature (crawler.stories)
    bands: tuple[str, ...] = ()  # its LSH band keys
    shingles: int = 0  # distinct shingles the signature was made of


@dataclass(frozen=True)
class AlertDraft:
    """An alert to enqueue for a newly stored article: one per channel."""

    channel: str
    rules: tuple[str, ...]
    snippet: str = ""


@dataclass
class SaveResult:
    article_id: int | None  # None: the article was already stored
    story_id: int | None = None
    alert_ids: list[int] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.article_id is not None


class Hits(list[dict[str, Any]]):
    """Search results, best first; ``windowed``: the query matched more articles than a search
    ranks, and these are the best of the newest of them."""

    def __init__(self, rows: list[dict[str, Any]], windowed: bool = False) -> None:
        super().__init__(rows)
        self.windowed = windowed


class Store:
    """A newsmon database. Open with :meth:`open`; close with :meth:`close`."""

    # Near-duplicates join a story if their estimated similarity reaches this, within the window.
    story_threshold: float = 0.5
    story_window_s: float = 7 * 86400

    def __init__(self, db: Database, path: Path | None = None) -> None:
        self.db = db
        self.path = path

    # --- lifecycle ------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, migrate: bool = True) -> Store:
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        db = Database(conn)
        if str(path) != ":memory:":
            with db.ensure_autocommit_on():
                conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        store = cls(db, path)
        if migrate:
            store.migrate()
        return store

    def migrate(self) -> None:
        if not migrations.pending(self.db):
            return
        with self.transaction():
            # Under the write lock, sqlite-utils re-reads what is pending (another process may
            # have migrated meanwhile) and applies each migration with its record in a savepoint.
            migrations.apply(self.db)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """A write transaction that takes the write lock up front (``BEGIN IMMEDIATE``)."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    # --- URLs and articles ------------------------------------------------------------------

    def is_known(self, url: str) -> bool:
        """True if this URL key was already resolved (stored or known non-article)."""
        row = self.db.execute("SELECT 1 FROM urls WHERE url = ?", [url]).fetchone()
        return row is not None

    def remember_url(
        self, url: str, source: str, status: str, article_id: int | None = None
    ) -> None:
        with self.transaction():
            self._remember(url, source, status, article_id)

    def _remember(self, url: str, source: str, status: str, article_id: int | None) -> None:
        self.db.execute(
            "INSERT INTO urls (url, source, status, article_id, seen_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET status = excluded.status, "
            "article_id = coalesce(excluded.article_id, urls.article_id), seen_at = excluded.seen_at "
            "WHERE urls.status != 'article'",
            [url, source, status, article_id, utcnow()],
        )

    def save_article(
        self,
        article: StoredArticle,
        *,
        url_keys: tuple[str, ...] = (),
        alerts: tuple[AlertDraft, ...] = (),
    ) -> SaveResult:
        """Store an article once; on first store also its story and its alerts (one transaction).

        ``url_keys`` are the keys (see ``crawler.urls.url_key``) under which the page is
        remembered as seen, so none of its spellings is requested again.

        Returns a result whose ``article_id`` is None when the canonical URL was already stored:
        nothing is changed then and no alert is enqueued.
        """
        now = utcnow()
        with self.transaction():
            story_id = self._story_for(article, now)
            row = self.db.execute(
                "INSERT INTO articles (url, source, title, text, author, published, language, "
                "description, story_id, fingerprint, fetched_url, fetched_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(url) DO NOTHING RETURNING id",
                [
                    article.url,
                    article.source,
                    article.title,
                    article.text,
                    article.author,
                    article.published,
                    article.language,
                    article.description,
                    story_id,
                    article.fingerprint,
                    article.fetched_url,
                    now,
                ],
            ).fetchone()
            if row is None:
                existing = self.db.execute(
                    "SELECT id FROM articles WHERE url = ?", [article.url]
                ).fetchone()
                for url in set(url_keys):
                    self._remember(
                        url, article.source, "article", existing[0] if existing else None
                    )
                # Roll back a story row created for nothing.
                self.db.execute(
                    "DELETE FROM stories WHERE id = ? AND NOT EXISTS "
                    "(SELECT 1 FROM articles WHERE story_id = ?)",
                    [story_id, story_id],
                )
                return SaveResult(None)
            article_id = int(row[0])
            if article.minhash is not None:
                created = time.time()
                self.db.execute(
                    "INSERT INTO story_signatures (article_id, story_id, created_at, minhash, "
                    "shingles) VALUES (?, ?, ?, ?, ?)",
                    [article_id, story_id, created, article.minhash, article.shingles],
                )
                self.db.conn.executemany(
                    "INSERT INTO story_bands (band, article_id, created_at) VALUES (?, ?, ?)",
                    [(band, article_id, created) for band in article.bands],
                )
            for url in set(url_keys):
                self._remember(url, article.source, "article", article_id)
            alert_ids = []
            for draft in alerts:
                cur = self.db.execute(
                    "INSERT INTO alerts (article_id, story_id, channel, rules, snippet, status, "
                    "attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, 0, ?) "
                    "ON CONFLICT(article_id, channel) DO NOTHING RETURNING id",
                    [
                        article_id,
                        story_id,
                        draft.channel,
                        json.dumps(list(draft.rules)),
                        draft.snippet,
                        now,
                    ],
                ).fetchone()
                if cur:
                    alert_ids.append(int(cur[0]))
            return SaveResult(article_id, story_id, alert_ids)

    def _story_for(self, article: StoredArticle, now: str) -> int:
        """The story an article belongs to: that of an identical text, else that of the most
        similar recent near-duplicate (LSH candidates, estimated Jaccard), else a new one."""
        if article.fingerprint:
            row = self.db.execute(
                "SELECT story_id FROM articles WHERE fingerprint = ? ORDER BY id LIMIT 1",
                [article.fingerprint],
            ).fetchone()
            if row and row[0] is not None:
                return int(row[0])
        if article.minhash is not None and article.bands:
            marks = ",".join("?" * len(article.bands))
            rows = self.db.execute(
                f"SELECT s.story_id, s.minhash, s.shingles FROM story_signatures s "
                f"WHERE s.article_id IN "
                f"(SELECT DISTINCT article_id FROM story_bands WHERE band IN ({marks}) "
                f"AND created_at >= ?)",
                [*article.bands, time.time() - self.story_window_s],
            ).fetchall()
            best, best_story = 0.0, None
            for story_id, minhash, shingles in rows:
                sim = resemblance(article.minhash, article.shingles, minhash, shingles or 0)
                if sim > best:
                    best, best_story = sim, story_id
            if best_story is not None and best >= self.story_threshold:
                return int(best_story)
        cur = self.db.execute(
            "INSERT INTO stories (fingerprint, created_at) VALUES (?, ?) RETURNING id",
            [article.fingerprint, now],
        ).fetchone()
        return int(cur[0])

    def article(self, article_id: int) -> dict[str, Any] | None:
        rows = list(self.db["articles"].rows_where("id = ?", [article_id]))
        return rows[0] if rows else None

    def articles(self, source: str | None = None) -> Iterator[dict[str, Any]]:
        where, args = ("source = ?", [source]) if source else (None, [])
        yield from self.db["articles"].rows_where(where, args, order_by="id")

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        source: str | list[str] | None = None,
        language: str | list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        mark: tuple[str, str] = ("[", "]"),
        window: int | None = SEARCH_WINDOW,
    ) -> Hits:
        """FTS5 search, best match first, with a snippet whose matched terms are wrapped in
        ``mark``. Filters: source(s), language(s), and a date range (``YYYY-MM-DD``, inclusive)
        on the publication date (the fetch date when an article has none).

        Ranking (bm25) costs time for every match, so a query that matches more than ``window``
        articles is ranked among its newest ``window`` matches (``Hits.windowed``) — the filters
        applied within them, unless that leaves fewer than ``limit`` articles; ``window`` None
        ranks them all."""
        where = "articles_fts MATCH ?"
        args: list[Any] = [query]
        for column, wanted in (("source", source), ("language", language)):
            values = [wanted] if isinstance(wanted, str) else list(wanted or [])
            if values:
                where += f" AND articles.{column} IN ({','.join('?' * len(values))})"
                args.extend(values)
        day = "coalesce(date(articles.published), date(articles.fetched_at))"
        if since:
            where += f" AND {day} >= date(?)"
            args.append(since)
        if until:
            where += f" AND {day} <= date(?)"
            args.append(until)
        # the articles table only when a filter needs it: FTS5 alone walks its matches faster
        filtered = len(args) > 1
        matches = (
            "FROM articles_fts JOIN articles ON articles.rowid = articles_fts.rowid"
            if filtered
            else "FROM articles_fts"
        )

        def ranked(extra: str = "", *more: Any) -> list[int]:
            return [
                int(r[0])
                for r in self.db.execute(
                    f"SELECT articles_fts.rowid {matches} WHERE {where}{extra} "
                    "ORDER BY rank LIMIT ?",
                    [*args, *more, limit],
                ).fetchall()
            ]

        bound = None
        if window:
            # FTS5 walks its matches newest first without ranking them: the window's oldest
            # match, if there are that many, bounds the ranking.
            bound = self.db.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
                "ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                [query, window - 1],
            ).fetchone()
        windowed = False
        best: list[int] = []
        if bound is not None:
            best = ranked(" AND articles_fts.rowid >= ?", bound[0])
            # with filters, the window may hold too few of the wanted articles: rank them all
            windowed = not filtered or len(best) >= limit
        if not windowed:
            best = ranked()
        if not best:
            return Hits([], windowed)
        # Snippets for the page of results only, not for every match ranked. The rowid range
        # lets FTS5 read the matches in one pass; `+rowid IN` only filters (a lookup per rowid
        # would re-read a prefix query's doclists each time).
        cur = self.db.execute(
            "SELECT articles.id, articles.url, articles.source, articles.title, "
            "articles.published, articles.language, articles.story_id, "
            "snippet(articles_fts, 1, ?, ?, '…', 24) AS snippet "
            "FROM articles_fts JOIN articles ON articles.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? AND articles_fts.rowid BETWEEN ? AND ? "
            f"AND +articles_fts.rowid IN ({','.join('?' * len(best))})",
            [mark[0], mark[1], query, min(best), max(best), *best],
        )
        cols = [c[0] for c in cur.description]
        found = {r[0]: dict(zip(cols, r, strict=True)) for r in cur.fetchall()}
        return Hits([found[i] for i in best if i in found], windowed)

    # --- site-learned boilerplate -------------------------------------------------------------

    def boilerplate_keys(self, source: str, min_articles: int) -> set[str]:
        rows = self.db.execute(
            "SELECT line_key FROM boilerplate WHERE source = ? AND articles >= ?",
            [source, min_articles],
        ).fetchall()
        return {str(r[0]) for r in rows}

    def learn_lines(self, source: str, lines: dict[str, str], min_articles: int) -> set[str]:
        """Count one more article for each line key; returns the keys that just reached
        ``min_articles`` (now boilerplate for the source)."""
        if not lines:
            return set()
        now = utcnow()
        keys = list(lines)
        with self.transaction():
            self.db.conn.executemany(
                "INSERT INTO boilerplate (source, line_key, articles, sample, first_seen, "
                "last_seen) VALUES (?, ?, 1, ?, ?, ?) ON CONFLICT(source, line_key) DO UPDATE "
                "SET articles = articles + 1, last_seen = excluded.last_seen",
                [(source, key, sample, now, now) for key, sample in lines.items()],
            )
            reached: set[str] = set()
            for start in range(0, len(keys), 500):  # under SQLite's bound-parameter limit
                chunk = keys[start : start + 500]
                rows = self.db.execute(
                    f"SELECT line_key FROM boilerplate WHERE source = ? AND articles = ? "
                    f"AND line_key IN ({','.join('?' * len(chunk))})",
                    [source, min_articles, *chunk],
                ).fetchall()
                reached.update(str(r[0]) for r in rows)
        return reached

    # --- conditional GET state ---------------------------------------------------------------

    def fetch_state(self, url: str) -> dict[str, Any] | None:
        rows = list(self.db.table("fetch_state").rows_where("url = ?", [url]))
        return rows[0] if rows else None

    def save_fetch_states(self, states: dict[str, dict[str, Any]]) -> None:
        """Record what feeds/sitemaps/listings looked like (after a crawl that finished)."""
        now = utcnow()
        with self.transaction():
            for url, st in states.items():
                self.db.execute(
                    "INSERT INTO fetch_state (url, etag, last_modified, body_hash, full_fetch_at, "
                    "checked_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                    "etag = coalesce(excluded.etag, fetch_state.etag), "
                    "last_modified = coalesce(excluded.last_modified, fetch_state.last_modified), "
                    "body_hash = coalesce(excluded.body_hash, fetch_state.body_hash), "
                    "full_fetch_at = coalesce(excluded.full_fetch_at, fetch_state.full_fetch_at), "
                    "checked_at = excluded.checked_at",
                    [
                        url,
                        st.get("etag"),
                        st.get("last_modified"),
                        st.get("body_hash"),
                        now if st.get("full") else None,
                        now,
                    ],
                )

    # --- crawl runs -------------------------------------------------------------------------

    def start_run(self, source: str) -> int:
        with self.transaction():
            row = self.db.execute(
                "INSERT INTO crawl_runs (source, started_at, status, stats) "
                "VALUES (?, ?, 'running', '{}') RETURNING id",
                [source, utcnow()],
            ).fetchone()
        return int(row[0])

    def finish_run(self, run_id: int, *, status: str, reason: str, stats: dict[str, Any]) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE crawl_runs SET finished_at = ?, status = ?, finish_reason = ?, stats = ? "
                "WHERE id = ?",
                [utcnow(), status, reason, json.dumps(stats, sort_keys=True, default=str), run_id],
            )

    def record_error(
        self, run_id: int | None, source: str, url: str, kind: str, message: str
    ) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO crawl_errors (run_id, source, url, kind, message, at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [run_id, source, url, kind, message[:2000], utcnow()],
            )

    # --- the alert outbox -------------------------------------------------------------------

    def due_alerts(self, now: float | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Alerts ready to send, oldest first. An alert waits while an earlier alert of the same
        story and channel is still unsent, so that the first one opens the thread."""
        now = time.time() if now is None else now
        cur = self.db.execute(
            "SELECT a.*, ar.url, ar.title, ar.source, ar.published, ar.language, ar.text "
            "FROM alerts a JOIN articles ar ON ar.id = a.article_id "
            "WHERE a.status IN ('pending', 'sending') AND a.next_attempt_at <= ? "
            "AND NOT EXISTS (SELECT 1 FROM alerts b WHERE b.story_id = a.story_id "
            "  AND b.channel = a.channel AND b.id < a.id AND b.status IN ('pending', 'sending')) "
            "ORDER BY a.id LIMIT ?",
            [now, limit],
        )
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def next_alert_due(self) -> float | None:
        row = self.db.execute(
            "SELECT min(next_attempt_at) FROM alerts WHERE status IN ('pending', 'sending')"
        ).fetchone()
        return None if row[0] is None else float(row[0])

    def claim_alert(self, alert_id: int, now: float, lease: float) -> bool:
        """Take an alert for sending. Its ``next_attempt_at`` becomes a lease so that another
        dispatcher skips it; after a crash the lease runs out and the alert is due again (in
        state ``sending``, which tells the next dispatcher to check Slack before resending).
        Returns False when another dispatcher holds it."""
        with self.transaction():
            cur = self.db.execute(
                "UPDATE alerts SET status = 'sending', attempts = attempts + 1, next_attempt_at = ? "
                "WHERE id = ? AND status IN ('pending', 'sending') AND next_attempt_at <= ?",
                [now + lease, alert_id, now],
            )
            return cur.rowcount == 1

    def mark_sent(self, alert: dict[str, Any], ts: str, thread_ts: str | None) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE alerts SET status = 'sent', sent_at = ?, message_ts = ?, thread_ts = ?, "
                "last_error = NULL WHERE id = ?",
                [utcnow(), ts, thread_ts, alert["id"]],
            )
            if thread_ts is None:
                self.db.execute(
                    "INSERT INTO threads (story_id, channel, ts, alert_id) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(story_id, channel) DO NOTHING",
                    [alert["story_id"], alert["channel"], ts, alert["id"]],
                )

    def mark_retry(self, alert_id: int, when: float, error: str) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE alerts SET status = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ?",
                [when, error[:500], alert_id],
            )

    def mark_dead(self, alert_id: int, error: str) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE alerts SET status = 'dead', last_error = ? WHERE id = ?",
                [error[:500], alert_id],
            )

    # --- flood control: held alerts and hourly digests ----------------------------------------

    def top_level_sent_since(self, channel: str, rule: str, since: str) -> int:
        """Top-level messages (not thread replies, not digests) sent to ``channel`` since
        ``since`` (ISO time) for alerts naming ``rule``."""
        row = self.db.execute(
            "SELECT count(*) FROM alerts a WHERE a.channel = ? AND a.status = 'sent' "
            "AND a.thread_ts IS NULL AND coalesce(a.digest, 0) = 0 AND a.sent_at >= ? "
            "AND EXISTS (SELECT 1 FROM json_each(a.rules) WHERE value = ?)",
            [channel, since, rule],
        ).fetchone()
        return int(row[0])

    def hold_alert(self, alert_id: int, hour: str) -> None:
        """Keep an alert for the digest of ``hour`` (its rules are over their hourly limit)."""
        with self.transaction():
            self.db.execute(
                "UPDATE alerts SET status = 'held', digest_hour = ?, next_attempt_at = 0 "
                "WHERE id = ?",
                [hour, alert_id],
            )

    def due_digests(self, before_hour: str, now: float) -> list[tuple[str, str]]:
        """(channel, hour) groups of held alerts whose hour ended (``hour < before_hour``)."""
        rows = self.db.execute(
            "SELECT DISTINCT channel, digest_hour FROM alerts WHERE status IN ('held', "
            "'digest_sending') AND digest_hour < ? AND next_attempt_at <= ? "
            "ORDER BY digest_hour, channel",
            [before_hour, now],
        ).fetchall()
        return [(str(c), str(h)) for c, h in rows]

    def claim_digest(
        self, channel: str, hour: str, now: float, lease: float
    ) -> list[dict[str, Any]]:
        """Take the held alerts of one digest for sending (a lease, like :meth:`claim_alert`).
        Returns them joined with their articles, or [] when another dispatcher has them."""
        with self.transaction():
            cur = self.db.execute(
                "UPDATE alerts SET status = 'digest_sending', attempts = attempts + 1, "
                "next_attempt_at = ? WHERE channel = ? AND digest_hour = ? "
                "AND status IN ('held', 'digest_sending') AND next_attempt_at <= ?",
                [now + lease, channel, hour, now],
            )
            if cur.rowcount == 0:
                return []
            cur = self.db.execute(
                "SELECT a.*, ar.url, ar.title, ar.source, ar.published, ar.language "
                "FROM alerts a JOIN articles ar ON ar.id = a.article_id "
                "WHERE a.channel = ? AND a.digest_hour = ? AND a.status = 'digest_sending' "
                "ORDER BY a.id",
                [channel, hour],
            )
            cols = [c[0] for c in cur.description]
            return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def mark_digest_sent(self, alert_ids: list[int], ts: str) -> None:
        with self.transaction():
            for alert_id in alert_ids:
                self.db.execute(
                    "UPDATE alerts SET status = 'sent', digest = 1, sent_at = ?, message_ts = ?, "
                    "last_error = NULL WHERE id = ?",
                    [utcnow(), ts, alert_id],
                )

    def release_digest(self, alert_ids: list[int], when: float, error: str) -> None:
        with self.transaction():
            for alert_id in alert_ids:
                self.db.execute(
                    "UPDATE alerts SET status = 'held', next_attempt_at = ?, last_error = ? "
                    "WHERE id = ?",
                    [when, error[:500], alert_id],
                )

    def thread_for(self, story_id: int, channel: str) -> str | None:
        row = self.db.execute(
            "SELECT ts FROM threads WHERE story_id = ? AND channel = ?", [story_id, channel]
        ).fetchone()
        return None if row is None else str(row[0])

    # --- the daemon's schedule and health --------------------------------------------------

    def schedule(self, source: str | None = None) -> dict[str, dict[str, Any]]:
        """Schedule rows by source (``problems`` decoded)."""
        where, args = ("source = ?", [source]) if source else (None, [])
        out = {}
        for row in self.db["schedule"].rows_where(where, args):
            row["problems"] = json.loads(row.get("problems") or "[]")
            out[row["source"]] = row
        return out

    def save_schedule(self, row: dict[str, Any]) -> None:
        data = dict(row)
        data["problems"] = json.dumps(list(data.get("problems") or []))
        with self.transaction():
            self.db.table("schedule").upsert(data, pk="source")

    def article_times(self, source: str, limit: int = 50) -> list[float]:
        """When the source's latest articles were first stored (epoch seconds)."""
        rows = self.db.execute(
            "SELECT fetched_at FROM articles WHERE source = ? ORDER BY id DESC LIMIT ?",
            [source, limit],
        ).fetchall()
        return [datetime.fromisoformat(r[0]).timestamp() for r in rows if r[0]]

    def last_run(self, source: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT id, status, finish_reason, stats, started_at, finished_at FROM crawl_runs "
            "WHERE source = ? ORDER BY id DESC LIMIT 1",
            [source],
        ).fetchone()
        if row is None:
            return None
        return {
            "id": row[0],
            "status": row[1],
            "reason": row[2],
            "stats": json.loads(row[3] or "{}"),
            "started_at": row[4],
            "finished_at": row[5],
        }

    def add_notice(self, channel: str | None, source: str, kind: str, text: str) -> int:
        """Queue an operational message (``channel`` None: recorded, not delivered)."""
        with self.transaction():
            row = self.db.execute(
                "INSERT INTO notices (channel, source, kind, text, status, attempts, "
                "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 0, 0, ?) RETURNING id",
                [channel, source, kind, text, "pending" if channel else "logged", utcnow()],
            ).fetchone()
        return int(row[0])

    def due_notices(self, now: float, limit: int = 20) -> list[dict[str, Any]]:
        return list(
            self.db["notices"].rows_where(
                "status = 'pending' AND next_attempt_at <= ?", [now], order_by="id", limit=limit
            )
        )

    def mark_notice(
        self,
        notice_id: int,
        status: str,
        *,
        ts: str | None = None,
        when: float = 0.0,
        error: str | None = None,
    ) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE notices SET status = ?, message_ts = coalesce(?, message_ts), "
                "next_attempt_at = ?, last_error = ?, attempts = attempts + 1, "
                "sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ?",
                [status, ts, when, error, status, utcnow(), notice_id],
            )

    def recent_notices(self, limit: int = 10) -> list[dict[str, Any]]:
        return list(self.db["notices"].rows_where(order_by="id desc", limit=limit))

    # --- status -----------------------------------------------------------------------------

    def alert_counts(self) -> dict[str, int]:
        counts = {"pending": 0, "sending": 0, "held": 0, "sent": 0, "dead": 0}
        for status, n in self.db.execute("SELECT status, count(*) FROM alerts GROUP BY status"):
            counts[str(status)] = int(n)
        return counts

    def dead_alerts(self, limit: int = 10) -> list[dict[str, Any]]:
        return list(
            self.db["alerts"].rows_where("status = 'dead'", order_by="id desc", limit=limit)
        )

    def source_summary(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for source, n, last in self.db.execute(
            "SELECT source, count(*), max(fetched_at) FROM articles GROUP BY source"
        ):
            out.setdefault(source, {})
            out[source].update(articles=n, last_article=last)
        for row in self.db.execute(
            "SELECT source, started_at, finished_at, status, finish_reason, stats FROM crawl_runs "
            "WHERE id IN (SELECT max(id) FROM crawl_runs GROUP BY source)"
        ):
            source, started, finished, status, reason, stats = row
            out.setdefault(source, {})
            out[source].update(
                last_run=started,
                last_finished=finished,
                last_status=status,
                last_reason=reason,
                last_stats=json.loads(stats or "{}"),
            )
        for source, n in self.db.execute(
            "SELECT source, count(*) FROM crawl_errors WHERE at >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-1 day') "
            "GROUP BY source"
        ):
            out.setdefault(source, {})["errors_24h"] = n
        return out
