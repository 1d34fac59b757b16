"""What every ``newsmon`` command shares: the config path and the application built from it
on first use, and how a config error ends the command (exit 2 naming the file and field)."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from crawler.config import EXIT_CONFIG, Config, ConfigError, load_config
from newsmon.app import App


def fail_config(exc: ConfigError) -> NoReturn:
    click.echo(f"newsmon: {exc}", err=True)
    sys.exit(EXIT_CONFIG)


class Context:
    def __init__(self, config_path: str, verbose: int) -> None:
        self.config_path = config_path
        self.verbose = verbose
        self._app: App | None = None

    @property
    def app(self) -> App:
        if self._app is None:
            try:
                self._app = App(load_config(self.config_path))
            except ConfigError as exc:
                fail_config(exc)
        return self._app

    @property
    def config(self) -> Config:
        return self.app.config


pass_ctx = click.make_pass_decorator(Context)
