"""Shared helpers of the click commands."""

from __future__ import annotations

import sys

import click

from scoring.evidence.batch import EvidenceError, LoadIssue

#: the most problems printed for one run; the rest are counted
PRINT_CAP = 50


def echo_issues(issues: list[LoadIssue], cap: int = PRINT_CAP) -> None:
    """Print load problems (errors first) to stderr, capped, saying how many more."""
    errors = [i for i in issues if i.level == "error"]
    warnings = [i for i in issues if i.level != "error"]
    ordered = errors + warnings
    for i in ordered[:cap]:
        click.echo(i.render(), err=True)
    if len(ordered) > cap:
        click.echo(f"……另有 {len(ordered) - cap} 条未列出（共 {len(errors)} 个错误、{len(warnings)} 个警告）", err=True)


def fail_on_evidence(exc: EvidenceError) -> None:
    """Print every collected evidence error and exit 2 (nothing has been written)."""
    n = sum(1 for i in exc.issues if i.level == "error")
    click.echo(f"底稿有 {n} 个错误，未生成任何结果文件：", err=True)
    echo_issues(exc.issues)
    sys.exit(2)
