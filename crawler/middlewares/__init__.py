"""Downloader middlewares, one concern each: ``seen`` (known article URLs skipped before the
network), ``conditional`` (conditional GET of entry pages), ``politeness`` (Crawl-delay,
Retry-After, per-host concurrency) and ``failures`` (what failed, recorded for the source).
``crawler.addon`` wires them."""
