"""``newsmon rules …``: check rules against their examples, try a text, backtest a rule or a
draft query on the stored articles."""

from __future__ import annotations

import sys

import click

from alerts.rules import RuleSyntaxError
from crawler.config import EXIT_CONFIG
from newsmon.reports import (
    backtest,
    check_rules,
    concept_spellings_report,
    draft_ruleset,
    matching_words,
)


@click.group()
def rules() -> None:
    """Work with alert rules."""


@rules.command("test")
@click.argument("text", required=False)
@click.option(
    "--backtest",
    "what",
    metavar="RULE|QUERY",
    help="Run a configured rule (by name) or a draft query over every stored article and show "
    "what it would have matched.",
)
@click.option("--samples", default=10, show_default=True, help="Matching articles to show.")
@click.pass_context
def rules_test(ctx: click.Context, text: str | None, what: str | None, samples: int) -> None:
    """Check every rule: it parses, and its `examples` match / don't match as declared
    (an example "Headline\\n\\nbody" has a title); list the other-script spellings that
    transliterating concepts also match. With TEXT, show which rules match that text.
    With --backtest, try a rule or a draft query on the stored articles before it goes live."""
    app = ctx.obj.app
    config = app.config
    if what is not None:
        try:
            ruleset, label = draft_ruleset(config, what)
        except RuleSyntaxError as exc:
            click.echo(f"newsmon: {what!r} is not a rule name, and as a query: {exc}", err=True)
            sys.exit(EXIT_CONFIG)
        with app.store() as store:
            result = backtest(store, ruleset, label, samples)
        share = f" ({100 * result.matched / result.total:.1f}%)" if result.total else ""
        click.echo(
            f"{label}: {result.matched} of {result.total} stored article(s) would have "
            f"matched{share}"
        )
        if result.by_source:
            click.echo("  by source: " + ", ".join(f"{k} {v}" for k, v in result.by_source.items()))
        for row, snip in result.samples:
            click.echo(
                f"  {row.published or row.fetched_at or '':<25} {row.source:<18} {row.title}"
            )
            click.echo(f"      {row.url}")
            click.echo(f"      {snip}")
        return
    if text is not None:
        hits = matching_words(text, config.model.ruleset())
        if not hits:
            click.echo("No rule matches.")
        for rule, channel, words in hits:
            click.echo(f"{rule} → {channel}: {', '.join(repr(w) for w in words)}")
        return
    for concept in concept_spellings_report(config):
        click.echo(f"@{concept.concept} also matches ({', '.join(concept.languages)}):")
        for term, others in concept.spellings:
            click.echo(f"     {term} → {', '.join(others)}")
    checks = check_rules(config)
    for check in checks:
        if check.ok:
            click.echo(f"ok   {check.rule} ({check.examples} example(s))")
            continue
        click.echo(f"FAIL {check.rule}")
        for ex in check.should_match:
            click.echo(f"     should match:     {ex!r}")
        for ex in check.should_not_match:
            click.echo(f"     should not match: {ex!r}")
    if not all(check.ok for check in checks):
        sys.exit(1)
