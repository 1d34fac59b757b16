"""Scrapy settings for newsmon. ``scrapy.cfg`` points here; the CLI loads the same module.

Custom settings share the ``NEWSMON_`` prefix. Per-source overrides (``delay``, ``concurrency``)
come from newsmon.yaml through each source spider's ``custom_settings``.
"""

from __future__ import annotations

import os

BOT_NAME = "newsmon"
SPIDER_LOADER_CLASS = "spiders.loader.SourceSpiderLoader"

# Where the config lives: --config / $NEWSMON_CONFIG / ./newsmon.yaml.
NEWSMON_CONFIG = os.environ.get("NEWSMON_CONFIG", "newsmon.yaml")
# Drop pages whose extracted text is shorter than this (not an article).
NEWSMON_MIN_TEXT_CHARS = 200
# A line of extracted text that a source has printed under this many different articles is its
# boilerplate ("Follow us on Telegram") and is dropped from its articles from then on.
NEWSMON_BOILERPLATE_MIN_ARTICLES = 3
# Feeds, sitemaps and listings are read in full at least this often (seconds), even when the
# server answers 304 or the body hash is unchanged.
NEWSMON_FULL_FETCH_S = 12 * 3600
# A 429/503 ``Retry-After`` up to this many seconds is waited out within the crawl; a longer one
# leaves the site's remaining pages to the next crawl.
NEWSMON_MAX_RETRY_AFTER_S = 120
# Processes that extract articles beside the crawl (default: one per CPU; 0: in the crawl's
# own process). Also read from the environment variable of the same name.
NEWSMON_EXTRACT_WORKERS = os.environ.get("NEWSMON_EXTRACT_WORKERS") or None
# Group the copies of one event across languages (title + lead embeddings); 0 turns it off.
NEWSMON_STORY_VECTORS = os.environ.get("NEWSMON_STORY_VECTORS", "1") not in ("0", "false", "no")
# Read each outlet's pages by its learned page template; 0: every page is extracted generically.
NEWSMON_TEMPLATES = os.environ.get("NEWSMON_TEMPLATES", "1") not in ("0", "false", "no")
# A live progress line on stderr (the CLI turns it on for terminals).
NEWSMON_PROGRESS = False
# robots.txt ``Crawl-delay`` is obeyed up to this many seconds between requests.
NEWSMON_MAX_CRAWL_DELAY_S = 60

# Every newsmon component (pipelines, downloader middlewares, extensions) is wired by the add-on.
ADDONS = {"crawler.addon.NewsmonAddon": 0}

# Politeness: obey robots.txt, at most 2 requests in flight per site, adaptive delay.
ROBOTSTXT_OBEY = True
# Requests in flight over all sites: Scrapy counts a request as active while it waits for its
# site's delay or robots.txt, so with many outlets at once a small number starves the engine;
# each site's own limit is enforced per host (crawler.middlewares.politeness).
CONCURRENT_REQUESTS = 256
# Items a response's output is processed with at once. An article page yields one item, and
# Scrapy starts this many tasks per response (100 by default: measurable per-page overhead).
CONCURRENT_ITEMS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Each poll decides its own repeats (one crawl runs for the engine's whole life).
DUPEFILTER_CLASS = "scrapy.dupefilters.BaseDupeFilter"

# Guards.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
RETRY_ENABLED = True
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# No local control port: the daemon and the CLI drive the crawl.
REMOTE_CONTROL_ENABLED = False

LOG_LEVEL = "INFO"
