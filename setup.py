"""For scrapyd-deploy, which builds the egg it uploads to Scrapyd with ``setup.py bdist_egg``;
the project itself is described in pyproject.toml (including the ``scrapy`` entry point)."""

from setuptools import setup

setup()
