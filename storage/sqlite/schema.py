"""The database schema, as an ordered list of sqlite-utils migrations."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.backfill import backfilled_mentions

migrations = Migrations("newsmon")


@migrations()
def m001_initial(db: Database) -> None:
    db.table("stories").create(
        {"id": int, "fingerprint": str, "created_at": str},
        pk="id",
    )
    db.table("articles").create(
        {
            "id": int,
            "url": str,  # canonical URL: the article's identity
            "source": str,
            "title": str,
            "text": str,
            "author": str,
            "published": str,  # ISO 8601, as precise as the page says
            "language": str,
            "description": str,
            "story_id": int,
            "fingerprint": str,
            "fetched_url": str,
            "fetched_at": str,
        },
        pk="id",
        not_null={"url", "source", "text", "fetched_at"},
        foreign_keys=[("story_id", "stories", "id")],
    )
    db.table("articles").create_index(["url"], unique=True)
    db.table("articles").create_index(["source", "published"])
    db.table("articles").create_index(["fingerprint"])
    db.table("articles").enable_fts(
        ["title", "text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )

    # Every URL we have resolved: stored articles (under each URL that led to them) and pages
    # that turned out not to be articles. Consulted before any article request.
    db.table("urls").create(
        {"url": str, "source": str, "status": str, "article_id": int, "seen_at": str},
        pk="url",
        not_null={"status", "seen_at"},
    )

    db.table("crawl_runs").create(
        {
            "id": int,
            "source": str,
            "started_at": str,
            "finished_at": str,
            "status": str,  # running | finished | failed
            "finish_reason": str,
            "stats": str,  # JSON counters
        },
        pk="id",
    )
    db.table("crawl_runs").create_index(["source", "started_at"])
    db.table("crawl_errors").create(
        {
            "id": int,
            "run_id": int,
            "source": str,
            "url": str,
            "kind": str,
            "message": str,
            "at": str,
        },
        pk="id",
    )
    db.table("crawl_errors").create_index(["source", "at"])

    # The outbox: one row per (article, channel), written in the article's transaction.
    db.table("alerts").create(
        {
            "id": int,
            "article_id": int,
            "story_id": int,
            "channel": str,
            "rules": str,  # JSON list of rule names
            "snippet": str,
            "status": str,  # pending | sending | sent | dead
            "attempts": int,
            "next_attempt_at": float,  # epoch seconds
            "last_error": str,
            "created_at": str,
            "sent_at": str,
            "message_ts": str,
            "thread_ts": str,
        },
        pk="id",
        not_null={"article_id", "channel", "rules", "status"},
        defaults={"attempts": 0, "next_attempt_at": 0},
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("alerts").create_index(["article_id", "channel"], unique=True)
    db.table("alerts").create_index(["status", "next_attempt_at"])
    # The top-level Slack message of each story in each channel; later copies reply in it.
    db.table("threads").create(
        {"story_id": int, "channel": str, "ts": str, "alert_id": int},
        pk=("story_id", "channel"),
    )


@migrations()
def m002_fetch_state(db: Database) -> None:
    # Conditional-GET state of feeds, sitemaps and listing pages.
    db.table("fetch_state").create(
        {
            "url": str,
            "etag": str,
            "last_modified": str,
            "body_hash": str,
            "full_fetch_at": str,  # last time the body was downloaded and read in full
            "checked_at": str,
        },
        pk="url",
    )


@migrations()
def m003_slashless_url_keys(db: Database) -> None:
    # Seen-URL keys drop a trailing slash (``/a/`` and ``/a`` are one page); rewrite old keys.
    db.execute(
        "UPDATE OR IGNORE urls SET url = rtrim(url, '/') "
        "WHERE url LIKE '%/' AND instr(substr(url, instr(url, '://') + 3), '/') "
        "< length(substr(url, instr(url, '://') + 3))"
    )


@migrations()
def m004_alert_digests(db: Database) -> None:
    # Flood control: alerts beyond a rule's hourly limit are held (status 'held') for the digest
    # of their clock hour; a digest is one message for many alerts.
    db.table("alerts").add_column("digest_hour", str)
    db.table("alerts").add_column("digest", int)
    db.table("alerts").create_index(["status", "channel", "digest_hour"])


@migrations()
def m005_schedule_and_notices(db: Database) -> None:
    # The daemon's per-source schedule and health, so that a restart resumes it.
    db.table("schedule").create(
        {
            "source": str,
            "interval": float,  # current (adapted) interval, seconds
            "next_due": float,  # epoch seconds
            "failures": int,
            "empty_runs": int,
            "extraction_runs": int,
            "last_started": float,
            "last_success": float,
            "last_new_article": float,
            "last_error": str,
            "problems": str,  # JSON list: failing, empty, extraction, silent
            "problems_since": float,
        },
        pk="source",
    )
    # Operational messages (source health), delivered by the dispatcher like alerts.
    db.table("notices").create(
        {
            "id": int,
            "channel": str,
            "source": str,
            "kind": str,
            "text": str,
            "status": str,  # pending | sent | dead
            "attempts": int,
            "next_attempt_at": float,
            "last_error": str,
            "created_at": str,
            "sent_at": str,
            "message_ts": str,
        },
        pk="id",
        defaults={"attempts": 0, "next_attempt_at": 0},
    )
    db.table("notices").create_index(["status", "next_attempt_at"])


@migrations()
def m006_story_signatures(db: Database) -> None:
    # Near-duplicate stories: each article's MinHash signature and its LSH band keys.
    db.table("story_signatures").create(
        {
            "article_id": int,
            "story_id": int,
            "created_at": float,
            "minhash": bytes,
            "shingles": int,
        },
        pk="article_id",
    )
    db.table("story_bands").create({"band": str, "article_id": int, "created_at": float})
    db.table("story_bands").create_index(["band", "created_at"])


@migrations()
def m007_boilerplate(db: Database) -> None:
    # Site-learned boilerplate: per source, in how many articles each short line appeared.
    db.table("boilerplate").create(
        {
            "source": str,
            "line_key": str,
            "articles": int,
            "sample": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk=("source", "line_key"),
    )


@migrations()
def m008_thread_folds(db: Database) -> None:
    # Reply floods: past the hourly limit of replies in a story's thread, later copies are folded
    # into one summary reply, updated in place; its outlets (JSON [source, url, title] lists).
    db.table("thread_folds").create(
        {"story_id": int, "channel": str, "ts": str, "outlets": str, "updated_at": str},
        pk=("story_id", "channel"),
    )


@migrations()
def m009_fleet(db: Database) -> None:
    # Nodes sharing one database: which node polls which source (leases), the pace of each
    # channel across processes, and each node's heartbeat.
    db.table("leases").create(
        {"source": str, "node": str, "expires_at": float, "taken_at": float}, pk="source"
    )
    db.table("channel_pace").create({"channel": str, "next_at": float}, pk="channel")
    db.table("nodes").create(
        {"node": str, "host": str, "pid": int, "started_at": float, "heartbeat_at": float},
        pk="node",
    )


@migrations()
def m010_story_vectors(db: Database) -> None:
    # The same event across languages: each article's title + lead embedding (float32) and the
    # figures, dates and times it names (space-separated keys).
    db.table("story_vectors").create(
        {
            "article_id": int,
            "story_id": int,
            "created_at": float,
            "vector": bytes,
            "evidence": str,
        },
        pk="article_id",
    )
    db.table("story_vectors").create_index(["created_at"])


@migrations()
def m011_mentions(db: Database) -> None:
    # Mention counts, kept as articles are matched: one row per matched article and rule (or
    # @concept), and the counts per rule, day, source and language. Backfilled once from the
    # alerts of the stored articles (the rules each article matched when it was stored).
    db.execute(
        "CREATE TABLE mentions (article_id INTEGER NOT NULL, subject TEXT NOT NULL, "
        "day TEXT NOT NULL, story_id INTEGER, source TEXT NOT NULL, language TEXT NOT NULL, "
        "at REAL NOT NULL, noted_at REAL NOT NULL, PRIMARY KEY (article_id, subject))"
    )
    db.execute("CREATE INDEX mentions_subject_day ON mentions (subject, day)")
    db.execute("CREATE INDEX mentions_day ON mentions (day)")
    db.execute(
        "CREATE TABLE mention_counts (subject TEXT NOT NULL, day TEXT NOT NULL, "
        "source TEXT NOT NULL, language TEXT NOT NULL, articles INTEGER NOT NULL, "
        "PRIMARY KEY (subject, day, source, language))"
    )
    db.execute("CREATE INDEX mention_counts_day ON mention_counts (day)")
    # Spike alerts and daily briefings to deliver, once per key across restarts and nodes.
    db.execute(
        "CREATE TABLE trend_posts (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, "
        "kind TEXT NOT NULL, channel TEXT NOT NULL, subject TEXT NOT NULL, day TEXT NOT NULL, "
        "volume INTEGER NOT NULL DEFAULT 0, text TEXT, blocks TEXT, filename TEXT, file BLOB, "
        "status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
        "next_attempt_at REAL NOT NULL DEFAULT 0, last_error TEXT, created_at TEXT, "
        "sent_at TEXT, message_ts TEXT)"
    )
    db.execute("CREATE INDEX trend_posts_due ON trend_posts (status, next_attempt_at)")
    db.execute("CREATE INDEX trend_posts_subject ON trend_posts (kind, subject, day)")
    rows = db.execute(
        "SELECT a.id, a.story_id, a.source, coalesce(a.language, ''), a.published, "
        "a.fetched_at, al.rules FROM alerts al JOIN articles a ON a.id = al.article_id"
    ).fetchall()
    db.conn.executemany(
        "INSERT OR IGNORE INTO mentions (article_id, subject, day, story_id, source, language, "
        "at, noted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        backfilled_mentions(rows),
    )
    db.execute(
        "INSERT INTO mention_counts (subject, day, source, language, articles) "
        "SELECT subject, day, source, language, count(*) FROM mentions "
        "GROUP BY subject, day, source, language"
    )


@migrations()
def m012_article_links(db: Database) -> None:
    # The spans of an article's text that are the anchor text of links to other articles of the
    # same site (JSON [[start, end], ...]): rules do not see them, also when an article is
    # cleaned and matched again.
    db.table("articles").add_column("linked", str)


@migrations()
def m014_mention_backfills(db: Database) -> None:
    # The rules and @concepts whose mentions were counted over every stored article once (a
    # rule added later gets its history, so that its first spike check has a baseline).
    db.execute("CREATE TABLE mention_backfills (subject TEXT PRIMARY KEY, done_at REAL NOT NULL)")


@migrations()
def m015_page_templates(db: Database) -> None:
    # Each source's learned page templates: where its article container is (JSON of the
    # crawler's template), keyed by the container's place.
    db.execute(
        "CREATE TABLE page_templates (source TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, "
        "pages INTEGER NOT NULL, learned_at TEXT NOT NULL, replaced INTEGER NOT NULL DEFAULT 0, "
        "PRIMARY KEY (source, key))"
    )


@migrations()
def m016_delivery_states(db: Database) -> None:
    # Each Apprise destination's last delivery and last failure (epoch seconds), for status.
    db.execute(
        "CREATE TABLE delivery_states (channel TEXT PRIMARY KEY, last_ok_at REAL, "
        "last_error TEXT, last_error_at REAL)"
    )


@migrations()
def m017_story_joins(db: Database) -> None:
    # A story split in two and joined later: which story went into which (chains flattened,
    # epoch seconds), and each channel where both had a thread, until the later top-level
    # message points to the kept thread.
    db.execute(
        "CREATE TABLE story_joins (from_id INTEGER PRIMARY KEY, into_id INTEGER NOT NULL, "
        "at REAL NOT NULL)"
    )
    db.execute("CREATE INDEX story_joins_at ON story_joins (at)")
    db.execute(
        "CREATE TABLE thread_joins (from_id INTEGER NOT NULL, into_id INTEGER NOT NULL, "
        "channel TEXT NOT NULL, ts TEXT NOT NULL, alert_id INTEGER NOT NULL, "
        "status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, "
        "PRIMARY KEY (from_id, channel))"
    )
