"""Articles, the URLs that led to them, and their stories (PostgreSQL)."""

from __future__ import annotations

import json
import time
from collections.abc import Collection, Iterator, Sequence
from datetime import datetime

import psycopg

from storage.days import mention_time
from storage.errors import StorageError
from storage.mention_rows import add_mentions, set_mentions
from storage.postgres.connection import PgConnection, translated
from storage.postgres.joins import STORY_LOCK
from storage.postgres.trends import runner
from storage.rows import (
    PENDING,
    URL_ARTICLE,
    AlertDraft,
    ArticleRecord,
    ArticleSave,
    NewArticle,
    SaveResult,
    StoredText,
)
from storage.similarity import resemblance
from storage.sqlite.articles import ARTICLE_COLUMNS, spans_json, spans_of
from storage.sqlite.connection import utcnow
from storage.story_joins import join_story, joins_since, kept_story
from storage.vectors import (
    StoryIndex,
    StoryVector,
    evidence_keys,
    evidence_text,
    published_at,
)

# title weighted A, text D (so that ``title:word`` finds words of the title only)
SEARCH_VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, unaccent(coalesce(%s, ''))), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, unaccent(%s)), 'D')"
)


class PgArticles(PgConnection):
    story_threshold: float = 0.5
    story_window_s: float = 7 * 86400
    event_window_s: float = 3 * 86400
    _story_index: StoryIndex | None = None
    _joins_seen: float = 0.0  # the newest story join the index has followed

    def _events(self, conn: psycopg.Connection) -> StoryIndex:
        """The in-memory index of the window's story vectors, with what other nodes stored."""
        if self._story_index is None:
            self._story_index = StoryIndex(self.event_window_s)
            self._joins_seen = time.time()  # the rows it reads carry the joins made so far
        index = self._story_index
        ids = conn.execute(
            "SELECT article_id FROM story_vectors WHERE created_at >= %s",
            [index.since(time.time())],
        ).fetchall()
        missing = index.missing(r[0] for r in ids)
        if missing:
            rows = conn.execute(
                "SELECT v.article_id, v.story_id, v.created_at, v.vector, v.evidence, a.published, "
                "a.fetched_at FROM story_vectors v JOIN articles a ON a.id = v.article_id "
                "WHERE v.article_id = ANY(%s)",
                [missing],
            ).fetchall()
            index.add(
                StoryVector(r[0], r[1], r[2], bytes(r[3]), evidence_keys(r[4]), published_at(r))
                for r in rows
            )
        # stories other nodes joined since: the index's rows follow them
        for later, kept, at in joins_since(runner(conn), self._joins_seen - 60.0):
            index.merge(later, kept)
            self._joins_seen = max(self._joins_seen, at)
        return index

    def is_known(self, url_key: str) -> bool:
        return self.one("SELECT 1 FROM urls WHERE url = %s", [url_key]) is not None

    def remember_url(self, url_key: str, source: str, status: str) -> None:
        with self.transaction() as conn:
            self._remember(conn, url_key, source, status, None)

    @staticmethod
    def _remember(
        conn: psycopg.Connection, url: str, source: str, status: str, article_id: int | None
    ) -> None:
        conn.execute(
            "INSERT INTO urls (url, source, status, article_id, seen_at) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (url) DO UPDATE SET "
            "status = excluded.status, article_id = coalesce(excluded.article_id, urls.article_id), "
            "seen_at = excluded.seen_at WHERE urls.status != 'article'",
            [url, source, status, article_id, utcnow()],
        )

    def save_article(
        self,
        article: NewArticle,
        *,
        url_keys: Sequence[str] = (),
        alerts: Sequence[AlertDraft] = (),
        mentions: Sequence[str] = (),
    ) -> SaveResult:
        with self.transaction() as conn:
            # one story decision at a time: two nodes storing two copies agree on the story
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [STORY_LOCK])
            return self._save(conn, article, url_keys, alerts, mentions)

    def save_articles(self, saves: Sequence[ArticleSave]) -> list[SaveResult | StorageError]:
        results: list[SaveResult | StorageError] = []
        with self.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [STORY_LOCK])
            for save in saves:
                try:
                    with conn.transaction():  # a savepoint: a failed article rolls back alone
                        result = self._save(
                            conn, save.article, save.url_keys, save.alerts, save.mentions
                        )
                except psycopg.Error as exc:
                    if conn.info.transaction_status != psycopg.pq.TransactionStatus.INTRANS:
                        raise  # the whole transaction is lost: the batch fails as one
                    results.append(translated(exc))
                else:
                    results.append(result)
        return results

    def _save(
        self,
        conn: psycopg.Connection,
        article: NewArticle,
        url_keys: Sequence[str],
        alerts: Sequence[AlertDraft],
        mentions: Sequence[str],
    ) -> SaveResult:
        now = utcnow()
        story_id = self._story_for(conn, article, now)
        row = conn.execute(
            "INSERT INTO articles (url, source, title, text, author, published, language, "
            "description, story_id, fingerprint, fetched_url, fetched_at, linked, search) "
            f"VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, {SEARCH_VECTOR}) "
            "ON CONFLICT (url) DO NOTHING RETURNING id",
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
                spans_json(article.linked),
                article.title,
                article.text,
            ],
        ).fetchone()
        if row is None:
            existing = conn.execute(
                "SELECT id FROM articles WHERE url = %s", [article.url]
            ).fetchone()
            for url in set(url_keys):
                self._remember(
                    conn, url, article.source, URL_ARTICLE, existing[0] if existing else None
                )
            conn.execute(
                "DELETE FROM stories WHERE id = %s AND NOT EXISTS "
                "(SELECT 1 FROM articles WHERE story_id = %s)",
                [story_id, story_id],
            )
            return SaveResult(None)
        article_id = int(row[0])
        if article.vector is not None:
            conn.execute(
                "INSERT INTO story_vectors (article_id, story_id, created_at, vector, "
                "evidence) VALUES (%s, %s, %s, %s, %s)",
                [
                    article_id,
                    story_id,
                    time.time(),
                    article.vector,
                    evidence_text(article.evidence),
                ],
            )
        if article.minhash is not None:
            created = time.time()
            conn.execute(
                "INSERT INTO story_signatures (article_id, story_id, created_at, minhash, "
                "shingles) VALUES (%s, %s, %s, %s, %s)",
                [article_id, story_id, created, article.minhash, article.shingles],
            )
            conn.execute(  # one statement for the article's bands
                "INSERT INTO story_bands (band, article_id, created_at) "
                "SELECT unnest(%s::text[]), %s, %s",
                [list(article.bands), article_id, created],
            )
        for url in set(url_keys):
            self._remember(conn, url, article.source, URL_ARTICLE, article_id)
        ids = []
        for draft in alerts:
            found = conn.execute(
                "INSERT INTO alerts (article_id, story_id, channel, rules, snippet, status, "
                "attempts, next_attempt_at, created_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, 0, 0, %s) "
                "ON CONFLICT (article_id, channel) DO NOTHING RETURNING id",
                [
                    article_id,
                    story_id,
                    draft.channel,
                    json.dumps(list(draft.rules)),
                    draft.snippet,
                    PENDING,
                    now,
                ],
            ).fetchone()
            if found:
                ids.append(int(found[0]))
        add_mentions(runner(conn), article_id, mentions)
        return SaveResult(article_id, story_id, tuple(ids))

    def _story_for(self, conn: psycopg.Connection, article: NewArticle, now: str) -> int:
        if article.story_keys:
            row = conn.execute(
                "SELECT a.story_id FROM urls u JOIN articles a ON a.id = u.article_id "
                "WHERE u.url = ANY(%s) AND a.story_id IS NOT NULL LIMIT 1",
                [list(article.story_keys)],
            ).fetchone()
            if row is not None:
                return int(row[0])
        if article.fingerprint:
            row = conn.execute(
                "SELECT story_id FROM articles WHERE fingerprint = %s ORDER BY id LIMIT 1",
                [article.fingerprint],
            ).fetchone()
            if row and row[0] is not None:
                return int(row[0])
        if article.minhash is not None and article.bands:
            rows = conn.execute(
                "SELECT s.story_id, s.minhash, s.shingles FROM story_signatures s "
                "WHERE s.article_id IN (SELECT DISTINCT article_id FROM story_bands "
                "WHERE band = ANY(%s) AND created_at >= %s)",
                [list(article.bands), time.time() - self.story_window_s],
                # planned for these bands each time: a plan cached while the table was small
                # (a sequential scan) would stay with the connection as the table grows
                prepare=False,
            ).fetchall()
            best, best_story = 0.0, None
            for story_id, minhash, shingles in rows:
                sim = resemblance(article.minhash, article.shingles, bytes(minhash), shingles or 0)
                if sim > best:
                    best, best_story = sim, story_id
            if best_story is not None and best >= self.story_threshold:
                return int(best_story)
        if article.vector is not None:
            index = self._events(conn)
            found, split = index.decide(
                article.vector,
                article.evidence,
                time.time(),
                mention_time(article.published, now)[1],
            )
            for later in split:  # one event split in two stories: the later one joins
                if found is not None and join_story(runner(conn), later, found, time.time()):
                    index.merge(later, found)
            if found is not None:
                return kept_story(runner(conn), int(found))
        row = conn.execute(
            "INSERT INTO stories (fingerprint, created_at) VALUES (%s, %s) RETURNING id",
            [article.fingerprint, now],
        ).fetchone()
        assert row is not None
        return int(row[0])

    def article(self, article_id: int) -> ArticleRecord | None:
        row = self.one(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = %s", [article_id])
        return ArticleRecord(*row) if row else None

    def article_by_url(self, url: str) -> ArticleRecord | None:
        row = self.one(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE url = %s", [url])
        return ArticleRecord(*row) if row else None

    def articles(self, source: str | None = None) -> Iterator[ArticleRecord]:
        last = 0
        where = "AND source = %s" if source else ""
        while True:
            rows = self.all(
                f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id > %s {where} ORDER BY id "
                "LIMIT 500",
                [last, source] if source else [last],
            )
            if not rows:
                return
            for row in rows:
                yield ArticleRecord(*row)
            last = rows[-1][0]

    def recent_texts(self, source: str, limit: int) -> list[StoredText]:
        rows = self.all(
            "SELECT id, title, text, language, linked FROM articles WHERE source = %s "
            "ORDER BY id DESC LIMIT %s",
            [source, limit],
        )
        return [StoredText(r[0], r[1], r[2], r[3], spans_of(r[4])) for r in rows]

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
        drafts = {d.channel: d for d in alerts}
        withdrawn = 0
        with self.transaction() as conn:
            # the search vector from the (new or stored) title and the new text
            vector = SEARCH_VECTOR.replace("%s", "coalesce(%s, title)", 1)
            conn.execute(
                "UPDATE articles SET text = %s, fingerprint = %s, linked = %s, "
                f"title = coalesce(%s, title), search = {vector} WHERE id = %s",
                [text, fingerprint, spans_json(linked), title, title, text, article_id],
            )
            story = (
                conn.execute("SELECT story_id FROM articles WHERE id = %s", [article_id]).fetchone()
                if enqueue and alerts
                else None
            )
            if story is not None and story[0] is not None:
                for new in alerts:
                    conn.execute(
                        "INSERT INTO alerts (article_id, story_id, channel, rules, snippet, "
                        "status, attempts, next_attempt_at, created_at) "
                        "VALUES (%s, %s, %s, %s, %s, %s, 0, 0, %s) "
                        "ON CONFLICT (article_id, channel) DO NOTHING",
                        [
                            article_id,
                            story[0],
                            new.channel,
                            json.dumps(list(new.rules)),
                            new.snippet,
                            PENDING,
                            utcnow(),
                        ],
                    )
            waiting = conn.execute(
                "SELECT id, channel FROM alerts WHERE article_id = %s "
                "AND status IN (%s, 'held') FOR UPDATE",
                [article_id, PENDING],
            ).fetchall()
            for alert_id, channel in waiting:
                draft = drafts.get(channel)
                if draft is None:
                    conn.execute("DELETE FROM alerts WHERE id = %s", [alert_id])
                    withdrawn += 1
                else:
                    conn.execute(
                        "UPDATE alerts SET rules = %s, snippet = %s WHERE id = %s",
                        [json.dumps(list(draft.rules)), draft.snippet, alert_id],
                    )
            if looked_for:
                set_mentions(runner(conn), article_id, mentions, looked_for)
        return withdrawn

    def article_times(self, source: str, limit: int = 50) -> list[float]:
        rows = self.all(
            "SELECT fetched_at FROM articles WHERE source = %s ORDER BY id DESC LIMIT %s",
            [source, limit],
        )
        return [datetime.fromisoformat(r[0]).timestamp() for r in rows if r[0]]
