"""Extraction: from a fetched page to a stored article.

``urls`` (URL canonicalisation, light: spiders import it), ``article`` (the extractor:
``extract_article`` / ``extract_page``, built on ``pruning`` and ``metadata``), ``boilerplate``
(site-learned boilerplate lines) and ``stories`` (near-duplicate signatures). Nothing is
imported here, so importing one module does not load trafilatura.
"""
