"""What runs inside a Scrapy crawl: settings, the config model, items, the add-on that wires the
components, middlewares, pipelines, extensions and extraction."""
