"""The analyst's desk (``newsmon browse``): every view's SQL, as Datasette canned queries.

The desk's pages run these by name (so each view is also a canned query with its JSON and CSV);
named parameters left empty mean "any". An article's day is its publication day (UTC) when the
page gave one, else the day it was stored.
"""

from __future__ import annotations

from typing import Any

ARTICLE_DAY = "coalesce(date(a.published), date(a.fetched_at))"
# a readable lead for an article: its description, else the start of its text
LEAD = "coalesce(nullif(a.description, ''), substr(a.text, 1, 280))"
# the snippet an alert quoted for one rule of an article (Slack's *bold* marks the match)
RULE_SNIPPET = (
    "(SELECT al.snippet FROM alerts al, json_each(al.rules) r "
    "WHERE al.article_id = a.id AND r.value = {rule} AND al.snippet IS NOT NULL LIMIT 1)"
)
# the newest day with a matched article, and the span of :days days up to today — or up to that
# day when it is older than the span (a copied or sample database)
SPAN = (
    "bounds AS (SELECT n, CASE WHEN newest IS NOT NULL AND newest < date('now', '-' || (n - 1) "
    "|| ' days') THEN newest ELSE date('now') END AS until FROM (SELECT min(max(CAST(coalesce("
    "nullif(:days, ''), 14) AS INTEGER), 1), 366) AS n, "
    "(SELECT max(day) FROM mention_counts) AS newest))"
)

MENTIONS_PER_DAY = (
    f"WITH RECURSIVE {SPAN}, "
    "days(day) AS (SELECT date(until, '-' || (n - 1) || ' days') FROM bounds "
    "UNION ALL SELECT date(day, '+1 day') FROM days, bounds WHERE day < until), "
    "subjects AS (SELECT DISTINCT subject FROM mention_counts "
    "WHERE day >= (SELECT min(day) FROM days) AND day <= (SELECT until FROM bounds)) "
    "SELECT s.subject, d.day, coalesce(sum(mc.articles), 0) AS articles "
    "FROM days d CROSS JOIN subjects s "
    "LEFT JOIN mention_counts mc ON mc.subject = s.subject AND mc.day = d.day "
    "GROUP BY s.subject, d.day ORDER BY d.day, s.subject"
)

HELD_DAYS = (
    "SELECT (SELECT min(day) FROM mention_counts) AS first, "
    "(SELECT max(day) FROM mention_counts) AS last, "
    "(SELECT count(*) FROM articles) AS articles, (SELECT max(fetched_at) FROM articles) AS stored"
)

# per rule, its stories in the span: the first matched copy (title, link, outlet), the outlets
# and languages of all the story's copies, and the sentence that matched
STORIES_PER_RULE = f"""
WITH picked AS (
  SELECT m.subject, coalesce(m.story_id, -m.article_id) AS story, min(m.article_id) AS first,
         count(DISTINCT m.article_id) AS matched, max(m.at) AS latest
  FROM mentions m WHERE m.day >= :since AND m.day <= :until
  GROUP BY m.subject, coalesce(m.story_id, -m.article_id)
), copies AS (
  SELECT c.story_id AS story, count(DISTINCT c.source) AS outlets,
         json_group_array(DISTINCT c.language) AS languages
  FROM articles c WHERE c.story_id IN (SELECT story FROM picked) GROUP BY c.story_id
), ranked AS (
  SELECT p.*, k.outlets, k.languages, row_number() OVER (PARTITION BY p.subject
         ORDER BY coalesce(k.outlets, 1) DESC, p.latest DESC) AS place
  FROM picked p LEFT JOIN copies k ON k.story = p.story
)
SELECT r.subject AS rule, a.story_id, a.id AS article_id, a.title, a.url, a.source,
       a.language, {ARTICLE_DAY} AS day, coalesce(r.outlets, 1) AS outlets,
       coalesce(r.languages, json_array(a.language)) AS languages, r.matched,
       coalesce({RULE_SNIPPET.format(rule="r.subject")}, {LEAD}) AS snippet
FROM ranked r JOIN articles a ON a.id = r.first
WHERE r.place <= coalesce(nullif(:per_rule, ''), 10)
ORDER BY r.subject, r.place
"""

RULE_TOTALS = (
    "SELECT subject AS rule, count(DISTINCT article_id) AS articles, "
    "count(DISTINCT coalesce(story_id, -article_id)) AS stories, "
    "count(DISTINCT source) AS outlets, max(day) AS latest FROM mentions "
    "WHERE day >= :since AND day <= :until GROUP BY subject ORDER BY articles DESC, subject"
)

STORY = f"""
SELECT a.id, a.title, a.url, a.source, a.language, a.published, a.fetched_at, {ARTICLE_DAY} AS day,
       (SELECT json_group_array(m.subject) FROM mentions m WHERE m.article_id = a.id) AS rules,
       coalesce((SELECT al.snippet FROM alerts al WHERE al.article_id = a.id
                 AND al.snippet IS NOT NULL LIMIT 1), {LEAD}) AS snippet
FROM articles a WHERE a.story_id = :story ORDER BY coalesce(a.published, a.fetched_at), a.id
"""

ARTICLE = f"""
SELECT a.id, a.title, a.url, a.source, a.language, a.author, a.published, a.fetched_at,
       a.description, a.text, a.story_id, {ARTICLE_DAY} AS day,
       (SELECT count(*) FROM articles c WHERE c.story_id = a.story_id) AS copies,
       (SELECT json_group_array(m.subject) FROM mentions m WHERE m.article_id = a.id) AS rules
FROM articles a WHERE a.id = :id
"""

ARTICLE_ALERTS = (
    "SELECT id, channel, rules, status, attempts, last_error, snippet, created_at, sent_at "
    "FROM alerts WHERE article_id = :id ORDER BY id"
)

# alerts, health notices, spike alerts and briefings: one inbox, the newest of each first
_INBOX_FILTER = (
    "(:status = '' OR {t}.status = :status OR (:status = 'failed' AND {t}.status = 'dead')) "
    "AND (:channel = '' OR {t}.channel = :channel)"
)
INBOX = f"""
SELECT * FROM (SELECT * FROM (
  SELECT 'alert' AS kind, al.id, al.channel, al.status, al.attempts, al.last_error,
         al.created_at, al.sent_at, a.title AS what, a.url, a.source, al.rules AS detail,
         al.snippet, a.id AS article_id, a.story_id
  FROM alerts al JOIN articles a ON a.id = al.article_id
  WHERE {_INBOX_FILTER.format(t="al")} ORDER BY al.id DESC LIMIT 500)
  UNION ALL SELECT * FROM (
  SELECT 'health', n.id, n.channel, n.status, n.attempts, n.last_error, n.created_at,
         n.sent_at, n.text, NULL, n.source, n.kind, NULL, NULL, NULL FROM notices n
  WHERE {_INBOX_FILTER.format(t="n")} ORDER BY n.id DESC LIMIT 100)
  UNION ALL SELECT * FROM (
  SELECT t.kind, t.id, t.channel, t.status, t.attempts, t.last_error, t.created_at,
         t.sent_at, t.subject || ' · ' || t.day, NULL, NULL, t.volume, t.text, NULL, NULL
  FROM trend_posts t WHERE {_INBOX_FILTER.format(t="t")} ORDER BY t.id DESC LIMIT 100)
) ORDER BY created_at DESC, id DESC
"""

INBOX_COUNTS = (
    "SELECT channel, status, count(*) AS n FROM (SELECT channel, status FROM alerts "
    "UNION ALL SELECT channel, status FROM notices UNION ALL SELECT channel, status "
    "FROM trend_posts) GROUP BY channel, status ORDER BY channel, status"
)

OUTLETS = """
SELECT s.source,
       (SELECT count(*) FROM articles a WHERE a.source = s.source) AS articles,
       (SELECT max(a.fetched_at) FROM articles a WHERE a.source = s.source) AS last_article,
       (SELECT r.status FROM crawl_runs r WHERE r.source = s.source ORDER BY r.id DESC LIMIT 1)
         AS last_crawl,
       (SELECT r.started_at FROM crawl_runs r WHERE r.source = s.source
        ORDER BY r.id DESC LIMIT 1) AS last_crawl_at,
       (SELECT count(*) FROM crawl_errors e WHERE e.source = s.source
        AND e.at >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-1 day')) AS errors_24h,
       (SELECT h.problems FROM schedule h WHERE h.source = s.source) AS problems
FROM (SELECT source FROM articles UNION SELECT source FROM crawl_runs
      UNION SELECT source FROM schedule) s
ORDER BY s.source
"""

OUTLET_HEALTH = (
    "SELECT source, interval, datetime(next_due, 'unixepoch') AS next_due, failures, "
    "empty_runs, datetime(last_success, 'unixepoch') AS last_success, "
    "datetime(last_new_article, 'unixepoch') AS last_new_article, last_error, problems, "
    "datetime(problems_since, 'unixepoch') AS problems_since FROM schedule WHERE source = :source"
)

OUTLET_RUNS = (
    "SELECT id, started_at, finished_at, status, finish_reason, "
    "json_extract(stats, '$.\"newsmon/stored\"') AS stored, "
    "json_extract(stats, '$.\"newsmon/discovered\"') AS discovered, "
    "json_extract(stats, '$.\"newsmon/alerts_enqueued\"') AS alerts "
    "FROM crawl_runs WHERE source = :source ORDER BY id DESC LIMIT 10"
)

OUTLET_ERRORS = (
    "SELECT at, kind, url, message FROM crawl_errors WHERE source = :source "
    "ORDER BY id DESC LIMIT 20"
)

OUTLET_ARTICLES = (
    f"SELECT a.id, a.title, a.url, a.language, {ARTICLE_DAY} AS day, a.story_id, "
    f"{LEAD} AS snippet FROM articles a WHERE a.source = :source "
    "ORDER BY coalesce(a.published, a.fetched_at) DESC, a.id DESC LIMIT 30"
)

OUTLET_TEMPLATES = (
    "SELECT key, data, pages, learned_at, replaced FROM page_templates WHERE source = :source "
    "ORDER BY replaced, learned_at DESC"
)

OUTLET_BOILERPLATE = (
    "SELECT sample, articles, first_seen, last_seen FROM boilerplate WHERE source = :source "
    "AND articles >= CAST(coalesce(nullif(:min_articles, ''), 3) AS INTEGER) "
    "ORDER BY articles DESC, sample LIMIT 100"
)

# search: FTS5 syntax (words, "a phrase", OR, NOT, prefix*), narrowed by rule, outlet, language
# and day; the facets count the same hits; the matched words in context are cut for the page's
# hits only
_HITS = f"""
hits AS (
  SELECT a.id, a.source, a.language, {ARTICLE_DAY} AS day,
         coalesce(a.published, a.fetched_at) AS at
  FROM articles a
  WHERE (:q = '' OR a.id IN (SELECT rowid FROM articles_fts
                             WHERE :q <> '' AND articles_fts MATCH :q))
    AND (:source = '' OR a.source = :source) AND (:language = '' OR a.language = :language)
    AND (:day = '' OR {ARTICLE_DAY} = :day)
    AND (:rule = '' OR EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id
                               AND m.subject = :rule))
)"""

SEARCH = f"""
WITH {_HITS}, page AS (SELECT * FROM hits ORDER BY at DESC, id DESC LIMIT 100)
SELECT a.id, a.title, a.url, a.source, a.language, a.story_id, p.day,
       coalesce(CASE WHEN :q <> '' THEN
         (SELECT snippet(articles_fts, -1, char(2), char(3), ' … ', 24) FROM articles_fts
          WHERE :q <> '' AND articles_fts MATCH :q AND rowid = a.id) END, {LEAD}) AS snippet,
       (SELECT json_group_array(m.subject) FROM mentions m WHERE m.article_id = a.id) AS rules
FROM page p JOIN articles a ON a.id = p.id ORDER BY p.at DESC, p.id DESC
"""

SEARCH_FACETS = f"""
WITH {_HITS}, facets AS (
  SELECT 'rule' AS facet, m.subject AS value, count(DISTINCT h.id) AS n
  FROM hits h JOIN mentions m ON m.article_id = h.id GROUP BY m.subject
  UNION ALL SELECT 'source', source, count(*) FROM hits GROUP BY source
  UNION ALL SELECT 'language', coalesce(language, ''), count(*) FROM hits GROUP BY language
  UNION ALL SELECT 'day', day, count(*) FROM hits GROUP BY day
)
SELECT facet, value, n FROM facets ORDER BY facet, CASE WHEN facet = 'day' THEN value END DESC,
       n DESC, value
"""

SEARCH_PARAMS = ["q", "rule", "source", "language", "day"]


def _query(title: str, sql: str, params: list[str], description: str) -> dict[str, Any]:
    return {"title": title, "sql": sql.strip(), "params": params, "description": description}


# name → canned query; the desk's pages ask for them by name
DESK_QUERIES: dict[str, dict[str, Any]] = {
    "desk_held_days": _query(
        "Days held",
        HELD_DAYS,
        [],
        "The first and last day with a matched article; how many articles are stored.",
    ),
    "desk_stories": _query(
        "Stories per rule",
        STORIES_PER_RULE,
        ["since", "until", "per_rule"],
        "Each rule's stories between two days (YYYY-MM-DD): the first matched copy, the "
        "outlets and languages of all its copies, the sentence that matched.",
    ),
    "desk_rule_totals": _query(
        "Matched articles per rule",
        RULE_TOTALS,
        ["since", "until"],
        "Per rule: matched articles, stories and outlets between two days.",
    ),
    "desk_story": _query(
        "A story's copies",
        STORY,
        ["story"],
        "Every copy of a story, in every language and outlet, oldest first.",
    ),
    "desk_article": _query("An article", ARTICLE, ["id"], "One article, with its full text."),
    "desk_article_alerts": _query(
        "An article's alerts", ARTICLE_ALERTS, ["id"], "Where an article was sent, and how."
    ),
    "desk_inbox": _query(
        "Alert inbox",
        INBOX,
        ["status", "channel"],
        "Alerts, health notices, spike alerts and briefings, newest first: sent where, "
        "pending, or failed (status dead) and why.",
    ),
    "desk_inbox_counts": _query(
        "Alert inbox: counts", INBOX_COUNTS, [], "Messages per channel and status."
    ),
    "desk_outlets": _query(
        "Outlets",
        OUTLETS,
        [],
        "Each outlet: articles stored, the last crawl, errors in the last 24 hours, health.",
    ),
    "desk_outlet_health": _query(
        "An outlet's health", OUTLET_HEALTH, ["source"], "The daemon's schedule of an outlet."
    ),
    "desk_outlet_runs": _query(
        "An outlet's crawls", OUTLET_RUNS, ["source"], "An outlet's last crawls."
    ),
    "desk_outlet_errors": _query(
        "An outlet's errors", OUTLET_ERRORS, ["source"], "An outlet's latest crawl errors."
    ),
    "desk_outlet_articles": _query(
        "An outlet's articles", OUTLET_ARTICLES, ["source"], "An outlet's newest articles."
    ),
    "desk_outlet_templates": _query(
        "An outlet's page templates",
        OUTLET_TEMPLATES,
        ["source"],
        "Where an outlet's article text is on its pages, and the places inside it left out.",
    ),
    "desk_outlet_boilerplate": _query(
        "An outlet's boilerplate lines",
        OUTLET_BOILERPLATE,
        ["source", "min_articles"],
        "Lines the outlet repeats across articles (in at least min_articles, default 3): "
        "removed from its articles.",
    ),
    "desk_search": _query(
        "Search articles",
        SEARCH,
        SEARCH_PARAMS,
        'Full-text search (words, "a phrase", OR, NOT, prefix*), narrowed by rule, outlet '
        "(source), language and day; empty parameters mean any.",
    ),
    "desk_search_facets": _query(
        "Search articles: facets",
        SEARCH_FACETS,
        SEARCH_PARAMS,
        "How many hits of a search per rule, outlet, language and day.",
    ),
}
