"""Articles, the URLs that led to them, and their stories (near-duplicates share one)."""

from __future__ import annotations

import json
import time
from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any

from storage.days import mention_time
from storage.errors import StorageError
from storage.mention_rows import add_mentions, set_mentions
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
from storage.sqlite.connection import Connection, utcnow
from storage.story_joins import join_story, joins_since, kept_story
from storage.vectors import (
    StoryIndex,
    StoryVector,
    evidence_keys,
    evidence_text,
    published_at,
)

ARTICLE_COLUMNS = (
    "id, url, source, title, text, author, published, language, description, story_id, "
    "fingerprint, fetched_url, fetched_at"
)


def spans_json(spans: Sequence[tuple[int, int]]) -> str | None:
    return json.dumps([list(s) for s in spans]) if spans else None


def spans_of(value: str | None) -> tuple[tuple[int, int], ...]:
    return tuple((int(a), int(b)) for a, b in json.loads(value)) if value else ()


def _article(row: Sequence[Any]) -> ArticleRecord:
    return ArticleRecord(*row)


class Articles(Connection):
    # Near-duplicates join a story if their estimated similarity reaches this, within the window.
    story_threshold: float = 0.5
    story_window_s: float = 7 * 86400
    # The same event in another language joins a story within this window (story vectors).
    event_window_s: float = 3 * 86400
    _story_index: StoryIndex | None = None
    _joins_seen: float = 0.0  # the newest story join the index has followed

    def _events(self) -> StoryIndex:
        """The in-memory index of the window's story vectors, brought up to date."""
        if self._story_index is None:
            self._story_index = StoryIndex(self.event_window_s)
            self._joins_seen = time.time()  # the rows it reads carry the joins made so far
        index = self._story_index
        ids = self.db.execute(
            "SELECT article_id FROM story_vectors WHERE created_at >= ?",
            [index.since(time.time())],
        ).fetchall()
        missing = index.missing(r[0] for r in ids)
        for start in range(0, len(missing), 500):
            batch = missing[start : start + 500]
            rows = self.db.execute(
                "SELECT v.article_id, v.story_id, v.created_at, v.vector, v.evidence, a.published, "
                "a.fetched_at FROM story_vectors v JOIN articles a ON a.id = v.article_id "
                f"WHERE v.article_id IN ({','.join('?' * len(batch))})",
                batch,
            ).fetchall()
            index.add(
                StoryVector(r[0], r[1], r[2], bytes(r[3]), evidence_keys(r[4]), published_at(r))
                for r in rows
            )
        # stories other processes joined since: the index's rows follow them
        for later, kept, at in joins_since(self.db.execute, self._joins_seen - 60.0):
            index.merge(later, kept)
            self._joins_seen = max(self._joins_seen, at)
        return index

    def is_known(self, url_key: str) -> bool:
        row = self.db.execute("SELECT 1 FROM urls WHERE url = ?", [url_key]).fetchone()
        return row is not None

    def remember_url(self, url_key: str, source: str, status: str) -> None:
        with self.transaction():
            self._remember(url_key, source, status, None)

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
        article: NewArticle,
        *,
        url_keys: Sequence[str] = (),
        alerts: Sequence[AlertDraft] = (),
        mentions: Sequence[str] = (),
    ) -> SaveResult:
        """Store an article once; on first store also its story, its alerts and its mention
        counts (the rules and @concepts it matched), in one transaction.

        ``url_keys`` are the keys (``crawler.extract.urls.url_key``) under which the page is
        remembered as seen, so none of its spellings is requested again. The result's
        ``article_id`` is None when the canonical URL was already stored: nothing is changed
        then and no alert is enqueued."""
        now = utcnow()
        with self.transaction():
            story_id = self._story_for(article, now)
            row = self.db.execute(
                "INSERT INTO articles (url, source, title, text, author, published, language, "
                "description, story_id, fingerprint, fetched_url, fetched_at, linked) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
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
                    spans_json(article.linked),
                ],
            ).fetchone()
            if row is None:
                existing = self.db.execute(
                    "SELECT id FROM articles WHERE url = ?", [article.url]
                ).fetchone()
                for url in set(url_keys):
                    self._remember(
                        url, article.source, URL_ARTICLE, existing[0] if existing else None
                    )
                # Roll back a story row created for nothing.
                self.db.execute(
                    "DELETE FROM stories WHERE id = ? AND NOT EXISTS "
                    "(SELECT 1 FROM articles WHERE story_id = ?)",
                    [story_id, story_id],
                )
                return SaveResult(None)
            article_id = int(row[0])
            self._sign(article, article_id, story_id)
            for url in set(url_keys):
                self._remember(url, article.source, URL_ARTICLE, article_id)
            alert_ids = self._enqueue(article_id, story_id, alerts, now)
            add_mentions(self.db.execute, article_id, mentions)
            return SaveResult(article_id, story_id, alert_ids)

    def save_articles(self, saves: Sequence[ArticleSave]) -> list[SaveResult | StorageError]:
        results: list[SaveResult | StorageError] = []
        with self.transaction():
            for save in saves:
                try:  # in a savepoint of its own (``transaction`` nests)
                    results.append(
                        self.save_article(
                            save.article,
                            url_keys=save.url_keys,
                            alerts=save.alerts,
                            mentions=save.mentions,
                        )
                    )
                except StorageError as exc:  # its statements rolled back; the others stay
                    results.append(exc)
        return results

    def _sign(self, article: NewArticle, article_id: int, story_id: int) -> None:
        created = time.time()
        if article.vector is not None:
            self.db.execute(
                "INSERT INTO story_vectors (article_id, story_id, created_at, vector, evidence) "
                "VALUES (?, ?, ?, ?, ?)",
                [article_id, story_id, created, article.vector, evidence_text(article.evidence)],
            )
        if article.minhash is None:
            return
        self.db.execute(
            "INSERT INTO story_signatures (article_id, story_id, created_at, minhash, "
            "shingles) VALUES (?, ?, ?, ?, ?)",
            [article_id, story_id, created, article.minhash, article.shingles],
        )
        self.db.conn.executemany(
            "INSERT INTO story_bands (band, article_id, created_at) VALUES (?, ?, ?)",
            [(band, article_id, created) for band in article.bands],
        )

    def _enqueue(
        self, article_id: int, story_id: int, alerts: Sequence[AlertDraft], now: str
    ) -> tuple[int, ...]:
        ids = []
        for draft in alerts:
            cur = self.db.execute(
                "INSERT INTO alerts (article_id, story_id, channel, rules, snippet, status, "
                "attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?) "
                "ON CONFLICT(article_id, channel) DO NOTHING RETURNING id",
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
            if cur:
                ids.append(int(cur[0]))
        return tuple(ids)

    def _story_for(self, article: NewArticle, now: str) -> int:
        """The story an article belongs to: that of an identical text, else that of the most
        similar recent near-duplicate (LSH candidates, estimated Jaccard), else that of the same
        event in another language (story vectors), else a new one. An article naming
        ``story_keys`` (a post and the article it links to) joins their story first."""
        if article.story_keys:
            marks = ",".join("?" * len(article.story_keys))
            row = self.db.execute(
                f"SELECT a.story_id FROM urls u JOIN articles a ON a.id = u.article_id "
                f"WHERE u.url IN ({marks}) AND a.story_id IS NOT NULL LIMIT 1",
                list(article.story_keys),
            ).fetchone()
            if row is not None:
                return int(row[0])
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
        if article.vector is not None:
            index = self._events()
            found, split = index.decide(
                article.vector,
                article.evidence,
                time.time(),
                mention_time(article.published, now)[1],
            )
            for later in split:  # one event split in two stories: the later one joins
                if found is not None and join_story(self.db.execute, later, found, time.time()):
                    index.merge(later, found)
            if found is not None:
                return kept_story(self.db.execute, int(found))
        cur = self.db.execute(
            "INSERT INTO stories (fingerprint, created_at) VALUES (?, ?) RETURNING id",
            [article.fingerprint, now],
        ).fetchone()
        return int(cur[0])

    def article(self, article_id: int) -> ArticleRecord | None:
        row = self.db.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        return _article(row) if row else None

    def article_by_url(self, url: str) -> ArticleRecord | None:
        row = self.db.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE url = ?", [url]
        ).fetchone()
        return _article(row) if row else None

    def articles(self, source: str | None = None) -> Iterator[ArticleRecord]:
        """Every stored article (of one source), oldest first, read in pages."""
        last = 0
        where = "AND source = ?" if source else ""
        while True:
            rows = self.db.execute(
                f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id > ? {where} ORDER BY id "
                "LIMIT 500",
                [last, source] if source else [last],
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _article(row)
            last = rows[-1][0]

    def recent_texts(self, source: str, limit: int) -> list[StoredText]:
        rows = self.db.execute(
            "SELECT id, title, text, language, linked FROM articles WHERE source = ? "
            "ORDER BY id DESC LIMIT ?",
            [source, limit],
        ).fetchall()
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
        with self.transaction():
            self.db.execute(
                "UPDATE articles SET text = ?, fingerprint = ?, linked = ?, "
                "title = coalesce(?, title) WHERE id = ?",
                [text, fingerprint, spans_json(linked), title, article_id],
            )
            if enqueue and alerts:
                story = self.db.execute(
                    "SELECT story_id FROM articles WHERE id = ?", [article_id]
                ).fetchone()
                if story is not None and story[0] is not None:
                    self._enqueue(article_id, int(story[0]), alerts, utcnow())
            waiting = self.db.execute(
                "SELECT id, channel FROM alerts WHERE article_id = ? AND status IN (?, 'held')",
                [article_id, PENDING],
            ).fetchall()
            for alert_id, channel in waiting:
                draft = drafts.get(channel)
                if draft is None:
                    self.db.execute("DELETE FROM alerts WHERE id = ?", [alert_id])
                    withdrawn += 1
                else:
                    self.db.execute(
                        "UPDATE alerts SET rules = ?, snippet = ? WHERE id = ?",
                        [json.dumps(list(draft.rules)), draft.snippet, alert_id],
                    )
            if looked_for:
                set_mentions(self.db.execute, article_id, mentions, looked_for)
        return withdrawn

    def article_times(self, source: str, limit: int = 50) -> list[float]:
        rows = self.db.execute(
            "SELECT fetched_at FROM articles WHERE source = ? ORDER BY id DESC LIMIT ?",
            [source, limit],
        ).fetchall()
        return [datetime.fromisoformat(r[0]).timestamp() for r in rows if r[0]]
