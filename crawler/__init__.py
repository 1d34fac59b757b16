"""newsmon's Scrapy project package: settings, items, pipelines, middlewares, config, CLI, daemon."""

__version__ = "0.1.0"
