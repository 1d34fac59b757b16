"""The PostgreSQL schema, as ordered migrations recorded in ``newsmon_migrations`` (applied
under an advisory lock, so nodes starting together migrate once)."""

from __future__ import annotations

from collections.abc import Callable

from psycopg import Connection

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


def m005_article_links(conn: Connection) -> None:
    # The spans of an article's text that are anchor text of links to other articles of the
    # same site (JSON [[start, end], ...]): rules do not see them.
    conn.execute("ALTER TABLE articles ADD COLUMN IF NOT EXISTS linked text")


MIGRATIONS: list[tuple[str, Migration]] = [
    ("m001_initial", m001_initial),
    ("m002_fleet", m002_fleet),
    ("m005_article_links", m005_article_links),
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
