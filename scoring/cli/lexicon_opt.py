"""The ``--lexicon FILE`` option shared by collect, assess and check: user lexicons of wrong expressions."""

from __future__ import annotations

import sys

import click

from scoring import lexicon as lexicon_mod

lexicon_option = click.option(
    "--lexicon", "lexicons", multiple=True, type=click.Path(dir_okay=False),
    help="追加的表述错误词表（YAML，格式见 docs/WEBSITE.md），可重复；与内置词表一起使用")


def load_or_exit(files: tuple[str, ...]) -> list[lexicon_mod.Entry]:
    """The shipped lexicon plus the user's files; every problem printed and exit 2 when any."""
    try:
        return lexicon_mod.load(list(files))
    except lexicon_mod.LexiconError as exc:
        click.echo(f"错误：词表有 {len(exc.problems)} 个问题：", err=True)
        for p in exc.problems:
            click.echo(f"  {p}", err=True)
        sys.exit(2)
