"""Spiders navigate only: from an outlet's entry points (feeds, …) to its article pages.

They know URLs and responses, not SQLite or Slack. One generic :class:`SourceSpider` serves every
configured source; ``crawler.spiderloader`` makes one subclass per source so ``scrapy list`` and
``scrapy crawl <source>`` work.
"""
