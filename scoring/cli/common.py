"""Shared helpers of the click commands."""

from __future__ import annotations

import datetime as dt
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

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


def fail_on_output(exc) -> None:
    """An output folder that cannot be published to (``scoring.staging.OutputError``): exit 2."""
    for line in exc.problems[:PRINT_CAP]:
        click.echo(f"错误：{line}", err=True)
    if len(exc.problems) > PRINT_CAP:
        click.echo(f"……另有 {len(exc.problems) - PRINT_CAP} 处未列出", err=True)
    click.echo("未写入任何结果文件。", err=True)
    sys.exit(2)


def check_out_option(out: str | Path, option: str = "--out") -> None:
    """Refuse an unusable output folder before any work is done (exit 2)."""
    from scoring.staging import OutputError, check_out

    try:
        check_out(Path(out), option)
    except OutputError as exc:
        fail_on_output(exc)


def echo_written(out: Path, written: list[Path], documents: dict[str, str] | None = None) -> None:
    """The files written; a folder of many (notices/) is one line with its count.

    ``documents``: folder name -> what its .docx files are (default notices/: 整改通知书).
    """
    documents = documents if documents is not None else {"notices": "整改通知书"}
    folders: dict[Path, int] = {}
    for p in written:
        rel = p.relative_to(out)
        if len(rel.parts) > 1:
            folders[out / rel.parts[0]] = folders.get(out / rel.parts[0], 0) + 1
        else:
            click.echo(f"  {p}")
    for folder, n in folders.items():
        n_docx = sum(1 for p in written if p.parent == folder and p.suffix == ".docx")
        what = (f"{documents[folder.name]} {n_docx} 份（.docx 与 .md）" if folder.name in documents
                else f"{n} 个文件")
        click.echo(f"  {folder}/：{what}")


def echo_rubric_issues(exc, cap: int = PRINT_CAP) -> None:
    """Print a RubricError's problems (file, line, key) to stderr, capped."""
    click.echo(f"评分细则有 {len(exc.issues)} 处错误：", err=True)
    for i in exc.issues[:cap]:
        click.echo("  " + i.render(), err=True)
    if len(exc.issues) > cap:
        click.echo(f"  ……另有 {len(exc.issues) - cap} 处未列出", err=True)


@contextmanager
def exit_on_scoring_errors() -> Iterator[None]:
    """Turn the library's input errors (evidence, rubric, calendar, unknown unit) into exit 2 messages."""
    from scoring.api import ScoringInputError
    from scoring.engine.leaves import RuleError
    from scoring.rubric.load import RubricError

    try:
        yield
    except EvidenceError as exc:
        fail_on_evidence(exc)
    except RubricError as exc:
        echo_rubric_issues(exc)
        sys.exit(2)
    except (ScoringInputError, RuleError) as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(2)


def parse_as_of(text: str | None) -> tuple[dt.date, bool]:
    """The as-of date, and whether it was given (False: today)."""
    from scoring.dates import parse_date_text

    if text is None:
        return dt.date.today(), False
    try:
        return parse_date_text(text), True
    except ValueError:
        click.echo(f"错误：--as-of「{text}」无法识别，应为 2026-11-20、2026/11/20、2026.11.20 或 2026年11月20日",
                   err=True)
        sys.exit(2)
