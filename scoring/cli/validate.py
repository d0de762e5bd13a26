"""`zwgk validate EVIDENCE [--xlsx REPORT]`: every problem of a batch at once, without scoring."""

from __future__ import annotations

import sys

import click

from scoring.cli.common import echo_issues


@click.command()
@click.argument("evidence", type=click.Path(exists=False))
@click.option("--xlsx", "report", type=click.Path(dir_okay=False), default=None,
              help="写出问题工作簿：问题清单，以及标红并批注了每个错误单元格的底稿副本")
def validate(evidence: str, report: str | None) -> None:
    """检查底稿（不评分）：一次列出所有问题（文件、行、列、值、应当怎样写）。
    没有错误时退出码 0，有错误时退出码 2。"""
    from scoring.evidence.validate import validate_evidence, write_problem_book

    v = validate_evidence(evidence)
    if v.errors:
        click.echo(f"底稿有 {len(v.errors)} 个错误" + (f"、{len(v.warnings)} 个警告" if v.warnings else "") + "：", err=True)
    elif v.warnings:
        click.echo(f"底稿有 {len(v.warnings)} 个警告：", err=True)
    echo_issues(v.issues)
    if report is not None:
        try:
            write_problem_book(v, report)
        except OSError as exc:
            click.echo(f"错误：无法写出问题工作簿 {report}：{exc.strerror or exc}", err=True)
            sys.exit(2)
        click.echo(f"问题工作簿已写入 {report}")
    if v.errors:
        sys.exit(2)
    click.echo(f"底稿无误：{v.units} 个单位" + (f"（{len(v.warnings)} 个警告）" if v.warnings else ""))
