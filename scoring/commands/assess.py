"""`zwgk assess EVIDENCE`: score a batch, rank it, write results.json, scores.csv, findings.csv."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from scoring.commands.common import PRINT_CAP, check_out_option, echo_written, fail_on_evidence, fail_on_output
from scoring.commands.report import (build_report_options, echo_option_problems, fail_on_render_error,
                                     notice_options)
from scoring.evidence.batch import EvidenceError
from scoring.evidence.parse import parse_date_text
from scoring.report.options import ReportOptionsError
from scoring.rubric.load import DEFAULT_RUBRIC, RubricError, load_rubric
from scoring.workdays import CalendarError, WorkCalendar


def echo_rubric_issues(exc: RubricError, cap: int = PRINT_CAP) -> None:
    click.echo(f"评分细则有 {len(exc.issues)} 处错误：", err=True)
    for i in exc.issues[:cap]:
        click.echo("  " + i.render(), err=True)
    if len(exc.issues) > cap:
        click.echo(f"  ……另有 {len(exc.issues) - cap} 处未列出", err=True)


def parse_as_of(text: str | None) -> tuple[dt.date, bool]:
    """The as-of date, and whether it was given (False: today)."""
    if text is None:
        return dt.date.today(), False
    try:
        return parse_date_text(text), True
    except ValueError:
        click.echo(f"错误：--as-of「{text}」无法识别，应为 2026-11-20、2026/11/20、2026.11.20 或 2026年11月20日",
                   err=True)
        sys.exit(2)


def run_assess(evidence: str, rubric_ref: str, as_of: dt.date, calendar_file: str | None, out: str,
               report_options=None) -> None:
    """The whole job, as the command runs it (exits 2 on bad input)."""
    from scoring.engine import assess, write_outputs
    from scoring.evidence.load import load_batch

    def stage(msg: str) -> None:
        click.echo(f"[zwgk] {msg}", err=True)

    check_out_option(out)
    stage(f"读取评分细则 {rubric_ref}")
    try:
        rubric = load_rubric(rubric_ref)
    except RubricError as exc:
        echo_rubric_issues(exc)
        sys.exit(2)
    stage(f"评分细则：{rubric.model.title}（{rubric.id} {rubric.model.version}）")
    cal_path = calendar_file or rubric.calendar_path()
    try:
        calendar = WorkCalendar.load(cal_path)
    except CalendarError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(2)
    stage(f"读取底稿 {evidence}")
    try:
        batch = load_batch(evidence)
    except EvidenceError as exc:
        fail_on_evidence(exc)
        return
    stage(f"共 {len(batch.units)} 个单位")
    try:
        results = assess(batch, rubric, as_of, calendar, evidence=str(evidence), progress=stage)
    except CalendarError as exc:
        click.echo(f"错误：{exc}（可用 --calendar 提供该年度的节假日安排文件）", err=True)
        sys.exit(2)
    writers = []
    if report_options is not None:
        from scoring.report.render import report_writer

        writers.append(report_writer(report_options, calendar))
        stage(f"写出结果与报告（排名工作簿、整改通知书、通报）到 {out}")
    else:
        stage(f"写出结果到 {out}")
    from jinja2 import TemplateError

    from scoring.staging import OutputError

    try:
        written = write_outputs(results, out, writers=writers, say=stage)
    except (CalendarError, TemplateError) as exc:
        fail_on_render_error(exc, getattr(report_options, "notice_template", None))
    except OutputError as exc:
        fail_on_output(exc)
    n_veto = sum(1 for u in results.units if u.vetoed)
    click.echo(f"已评分 {len(results.units)} 个单位（单项否决 {n_veto} 个），结果写入 {out}：")
    echo_written(Path(out), written)



@click.command()
@click.argument("evidence", type=click.Path(exists=False))
@click.option("--rubric", "rubric_ref", default=DEFAULT_RUBRIC, show_default=True,
              help="评分细则：文件路径或随包发布的细则 id")
@click.option("--as-of", "as_of_text", default=None, help="评估基准日（默认今天），如 2026-11-20")
@click.option("--calendar", "calendar_file", type=click.Path(dir_okay=False), default=None,
              help="补充或覆盖年份的节假日日历文件（YAML）")
@click.option("--out", "out", type=click.Path(), default="reports_out", show_default=True,
              help="输出文件夹")
@notice_options
@click.option("--no-reports", "no_reports", is_flag=True, default=False,
              help="只写 results.json、scores.csv、findings.csv，不生成排名工作簿、整改通知书和通报")
def assess_cmd(evidence: str, rubric_ref: str, as_of_text: str | None, calendar_file: str | None, out: str,
               report_config: str | None, issue_date: str | None, rectify_workdays: int | None,
               issuer: str | None, doc_number: str | None, notice_template: str | None, no_reports: bool) -> None:
    """按评分细则对一批单位评分、分组排名，写出 results.json、scores.csv、findings.csv，
    以及排名工作簿 ranking.xlsx、整改通知书 notices/ 和通报 bulletin（与 zwgk report 相同）。"""
    report_options = None
    if not no_reports:
        try:
            report_options = build_report_options(report_config, issue_date, rectify_workdays, issuer,
                                                  doc_number, notice_template, calendar_file)
        except ReportOptionsError as exc:
            echo_option_problems(exc)
            sys.exit(2)
    as_of, given = parse_as_of(as_of_text)
    click.echo(f"评估基准日：{as_of.isoformat()}" + ("" if given else "（未指定 --as-of，取今天）"))
    run_assess(evidence, rubric_ref, as_of, calendar_file, out, report_options)


assess_cmd.name = "assess"
