"""The PostgreSQL schema, as ordered migrations recorded in ``newsmon_migrations`` (applied
under an advisory lock, so nodes starting together migrate once)."""

from __future__ import annotations

from collections.abc import Callable

from psycopg import Connection

from storage.backfill import backfilled_mentions

Migration = Callable[[Connection], None]
LOCK_KEY = 7_164_220_511  # pg_advisory_xact_lock key of newsmon's migrations


def m001_initial(conn: Connection) -> None:
    conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    conn.execute(
        """
        CREATE TABLE stories (id bigserial PRIMARY KEY, fingerprint text, created_at text);
        CREATE TABLE articles (
            id bigserial PRIMARY KEY, url text NOT NULL UNIQUE, source text NOT NULL,
            title text, text text NOT NULL, author text, published text, language text,
            description text, story_id bigint REFERENCES stories (id), fingerprint text,
            fetched_url text, fetched_at text NOT NULL, search tsvector);
        CREATE INDEX articles_source_published ON articles (source, published);
        CREATE INDEX articles_fingerprint ON articles (fingerprint);
        CREATE INDEX articles_search ON articles USING gin (search);
        CREATE TABLE urls (url text PRIMARY KEY, source text, status text NOT NULL,
            article_id bigint, seen_at text NOT NULL);
        CREATE TABLE crawl_runs (id bigserial PRIMARY KEY, source text, started_at text,
            finished_at text, status text, finish_reason text, stats text);
        CREATE INDEX crawl_runs_source ON crawl_runs (source, started_at);
        CREATE TABLE crawl_errors (id bigserial PRIMARY KEY, run_id bigint, source text,
            url text, kind text, message text, at text);
        CREATE INDEX crawl_errors_source ON crawl_errors (source, at);
        CREATE TABLE alerts (id bigserial PRIMARY KEY,
            article_id bigint NOT NULL REFERENCES articles (id), story_id bigint,
            channel text NOT NULL, rules text NOT NULL, snippet text, status text NOT NULL,
            attempts integer NOT NULL DEFAULT 0,
            next_attempt_at double precision NOT NULL DEFAULT 0, last_error text,
            created_at text, sent_at text, message_ts text, thread_ts text, digest_hour text,
            digest integer, UNIQUE (article_id, channel));
        CREATE INDEX alerts_due ON alerts (status, next_attempt_at);
        CREATE INDEX alerts_digest ON alerts (status, channel, digest_hour);
        CREATE TABLE threads (story_id bigint, channel text, ts text, alert_id bigint,
            PRIMARY KEY (story_id, channel));
        CREATE TABLE fetch_state (url text PRIMARY KEY, etag text, last_modified text,
            body_hash text, full_fetch_at text, checked_at text);
        CREATE TABLE schedule (source text PRIMARY KEY, interval double precision,
            next_due double precision, failures integer, empty_runs integer,
            extraction_runs integer, last_started double precision,
            last_success double precision, last_new_article double precision,
            last_error text, problems text, problems_since double precision);
        CREATE TABLE notices (id bigserial PRIMARY KEY, channel text, source text, kind text,
            text text, status text, attempts integer NOT NULL DEFAULT 0,
            next_attempt_at double precision NOT NULL DEFAULT 0, last_error text,
            created_at text, sent_at text, message_ts text);
        CREATE INDEX notices_due ON notices (status, next_attempt_at);
        CREATE TABLE story_signatures (article_id bigint PRIMARY KEY, story_id bigint,
            created_at double precision, minhash bytea, shingles integer);
        CREATE TABLE story_bands (band text, article_id bigint, created_at double precision);
        CREATE INDEX story_bands_band ON story_bands (band, created_at);
        CREATE TABLE boilerplate (source text, line_key text, articles integer, sample text,
            first_seen text, last_seen text, PRIMARY KEY (source, line_key));
        CREATE TABLE thread_folds (story_id bigint, channel text, ts text, outlets text,
            updated_at text, PRIMARY KEY (story_id, channel));
        """
    )


def m002_fleet(conn: Connection) -> None:
    conn.execute(
        """
        CREATE TABLE leases (source text PRIMARY KEY, node text NOT NULL,
            expires_at double precision NOT NULL, taken_at double precision);
        CREATE TABLE channel_pace (channel text PRIMARY KEY, next_at double precision NOT NULL);
        CREATE TABLE nodes (node text PRIMARY KEY, host text, pid integer,
            started_at double precision, heartbeat_at double precision);
        """
    )


def m003_story_vectors(conn: Connection) -> None:
    conn.execute(
        """
        CREATE TABLE story_vectors (article_id bigint PRIMARY KEY, story_id bigint,
            created_at double precision, vector bytea, evidence text);
        CREATE INDEX story_vectors_created ON story_vectors (created_at);
        """
    )


def m004_mentions(conn: Connection) -> None:
    # Mention counts kept as articles are matched (backfilled once from the stored articles'
    # alerts), and the trend messages (spike alerts, daily briefings) to deliver once per key.
    conn.execute(
        """
        CREATE TABLE mentions (article_id bigint NOT NULL, subject text NOT NULL,
            day text NOT NULL, story_id bigint, source text NOT NULL, language text NOT NULL,
            at double precision NOT NULL, noted_at double precision NOT NULL,
            PRIMARY KEY (article_id, subject));
        CREATE INDEX mentions_subject_day ON mentions (subject, day);
        CREATE INDEX mentions_day ON mentions (day);
        CREATE TABLE mention_counts (subject text NOT NULL, day text NOT NULL,
            source text NOT NULL, language text NOT NULL, articles integer NOT NULL,
            PRIMARY KEY (subject, day, source, language));
        CREATE INDEX mention_counts_day ON mention_counts (day);
        CREATE TABLE trend_posts (id bigserial PRIMARY KEY, key text NOT NULL UNIQUE,
            kind text NOT NULL, channel text NOT NULL, subject text NOT NULL, day text NOT NULL,
            volume integer NOT NULL DEFAULT 0, text text, blocks text, filename text, file bytea,
            status text NOT NULL, attempts integer NOT NULL DEFAULT 0,
            next_attempt_at double precision NOT NULL DEFAULT 0, last_error text,
            created_at text, sent_at text, message_ts text);
        CREATE INDEX trend_posts_due ON trend_posts (status, next_attempt_at);
        CREATE INDEX trend_posts_subject ON trend_posts (kind, subject, day);
        """
    )
    rows = conn.execute(
        "SELECT a.id, a.story_id, a.source, coalesce(a.language, ''), a.published, "
        "a.fetched_at, al.rules FROM alerts al JOIN articles a ON a.id = al.article_id"
    ).fetchall()
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO mentions (article_id, subject, day, story_id, source, language, "
            "at, noted_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            list(backfilled_mentions(rows)),
        )
    conn.execute(
        "INSERT INTO mention_counts (subject, day, source, language, articles) "
        "SELECT subject, day, source, language, count(*) FROM mentions "
        "GROUP BY subject, day, source, language"
    )


def m005_article_links(conn: Connection) -> None:
    # The spans of an article's text that are anchor text of links to other articles of the
    # same site (JSON [[start, end], ...]): rules do not see them.
    conn.execute("ALTER TABLE articles ADD COLUMN IF NOT EXISTS linked text")


def m007_mention_backfills(conn: Connection) -> None:
    # The rules and @concepts whose mentions were counted over every stored article once.
    conn.execute(
        "CREATE TABLE IF NOT EXISTS mention_backfills (subject text PRIMARY KEY, "
        "done_at double precision NOT NULL)"
    )


def m008_page_templates(conn: Connection) -> None:
    # Each source's learned page templates (JSON of the crawler's template), keyed by the
    # container's place.
    conn.execute(
        "CREATE TABLE IF NOT EXISTS page_templates (source text NOT NULL, key text NOT NULL, "
        "data text NOT NULL, pages integer NOT NULL, learned_at text NOT NULL, "
        "replaced integer NOT NULL DEFAULT 0, PRIMARY KEY (source, key))"
    )


def m009_delivery_states(conn: Connection) -> None:
    # Each Apprise destination's last delivery and last failure (epoch seconds), for status.
    conn.execute(
        "CREATE TABLE delivery_states (channel text PRIMARY KEY, last_ok_at double precision, "
        "last_error text, last_error_at double precision)"
    )


def m010_story_joins(conn: Connection) -> None:
    # A story split in two and joined later: which story went into which (chains flattened,
    # epoch seconds), and each channel where both had a thread, until the later top-level
    # message points to the kept thread.
    conn.execute(
        "CREATE TABLE story_joins (from_id bigint PRIMARY KEY, into_id bigint NOT NULL, "
        "at double precision NOT NULL)"
    )
    conn.execute("CREATE INDEX story_joins_at ON story_joins (at)")
    conn.execute(
        "CREATE TABLE thread_joins (from_id bigint NOT NULL, into_id bigint NOT NULL, "
        "channel text NOT NULL, ts text NOT NULL, alert_id bigint NOT NULL, "
        "status text NOT NULL, attempts integer NOT NULL DEFAULT 0, last_error text, "
        "PRIMARY KEY (from_id, channel))"
    )


MIGRATIONS: list[tuple[str, Migration]] = [
    ("m001_initial", m001_initial),
    ("m002_fleet", m002_fleet),
    ("m003_story_vectors", m003_story_vectors),
    ("m004_mentions", m004_mentions),
    ("m005_article_links", m005_article_links),
    ("m007_mention_backfills", m007_mention_backfills),
    ("m008_page_templates", m008_page_templates),
    ("m009_delivery_states", m009_delivery_states),
    ("m010_story_joins", m010_story_joins),
]


def migrate(conn: Connection) -> list[str]:
    """Apply what is pending (in one transaction, under the migrations' advisory lock)."""
    applied: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        conn.execute(
            "CREATE TABLE IF NOT EXISTS newsmon_migrations (name text PRIMARY KEY, "
            "applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r[0] for r in conn.execute("SELECT name FROM newsmon_migrations").fetchall()}
        for name, migration in MIGRATIONS:
            if name not in done:
                migration(conn)
                conn.execute("INSERT INTO newsmon_migrations (name) VALUES (%s)", [name])
                applied.append(name)
    return applied
