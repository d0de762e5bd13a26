"""What the commands that use the round store share: the --db option and opening the store.

    @click.command()
    @db_option
    def cmd(db): 
        store = open_store_or_exit(db)        # exit 2 with a Chinese message on a store problem
        with exit_on_store_errors():          # UnknownRound etc. raised later: exit 2 too
            ...
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

import click

DB_HELP = ("测评轮次库：SQLite 文件路径，或 PostgreSQL 地址 postgresql://用户:密码@主机:端口/库名"
           "（默认取环境变量 ZWGK_DB，再否则为当前文件夹的 zwgk.db）")


def db_option(f):
    return click.option("--db", "db", default=None, metavar="PATH|URL", help=DB_HELP)(f)


def open_store_or_exit(db: str | None):
    """The opened store (created or upgraded as needed), or exit 2 with the reason."""
    from scoring.store import StoreError, open_store

    try:
        return open_store(db)
    except StoreError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(2)


@contextmanager
def exit_on_store_errors() -> Iterator[None]:
    """A StoreError (unknown round, round already recorded, lost connection) becomes exit 2."""
    from scoring.store import StoreError

    try:
        yield
    except StoreError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(2)
