"""`zwgk assess EVIDENCE`: score a batch, rank it, write results.json, scores.csv, findings.csv."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from scoring.cli.common import (
    check_out_option,
    echo_written,
    exit_on_scoring_errors,
    fail_on_output,
    parse_as_of,
)
from scoring.cli.lexicon_opt import lexicon_option, load_or_exit
from scoring.cli.record import StorePlan
from scoring.cli.report import (
    build_report_options,
    echo_option_problems,
    echo_renamed_notices,
    fail_on_render_error,
    notice_options,
)
from scoring.cli.scale import scale_options, scale_settings
from scoring.cli.store_common import db_option
from scoring.lexicon import using_lexicons
from scoring.report.options import ReportOptionsError
from scoring.rubric.load import DEFAULT_RUBRIC
from scoring.workdays import CalendarError


def run_assess(evidence: str, rubric_ref: str, as_of: dt.date, calendar_file: str | None, out: str,
               report_options=None, store_plan=None, scale: dict | None = None) -> None:
    """The whole job, as the command runs it (exits 2 on bad input)."""
    from scoring.api import load_inputs, score_inputs
    from scoring.engine import write_outputs

    def stage(msg: str) -> None:
        click.echo(f"[zwgk] {msg}", err=True)

    check_out_option(out)
    with exit_on_scoring_errors():
        scale = dict(scale or {})
        cache = {"cache": not scale.pop("no_cache", True), "cache_dir": scale.pop("cache_dir", None)}
        inputs = load_inputs(evidence, rubric_ref, calendar_file, progress=stage, **cache)
        results = score_inputs(inputs, as_of, progress=stage, **scale)
    calendar = inputs.calendar
    writers = []
    if report_options is not None:
        from scoring.report.render import report_writer

        compare = store_plan.comparison(results) if store_plan else None
        writers.append(report_writer(report_options, calendar, compare=compare))
        stage(f"写出结果与报告（排名工作簿、整改通知书、通报）到 {out}")
    else:
        stage(f"写出结果到 {out}")
    record = store_plan.writer(evidence, report_options, calendar) if store_plan else None
    if record is not None:
        writers.append(record)
    from jinja2 import TemplateError

    from scoring.report.common import NoticeNameError
    from scoring.staging import OutputError

    try:
        written = write_outputs(results, out, writers=writers, say=stage)
    except (CalendarError, TemplateError, NoticeNameError) as exc:
        fail_on_render_error(exc, getattr(report_options, "notice_template", None))
    except OutputError as exc:
        fail_on_output(exc)
    n_veto = sum(1 for u in results.units if u.vetoed)
    click.echo(f"已评分 {len(results.units)} 个单位（单项否决 {n_veto} 个），结果写入 {out}：")
    echo_written(Path(out), written)
    if report_options is not None:
        echo_renamed_notices(results)
    if store_plan is not None:
        store_plan.echo_done(results)


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
@click.option("--record", "record", default=None, metavar="ROUND",
              help="把本轮测评（得分、等次、名次、问题、整改通知书）记录到测评轮次库，ROUND 为轮次名称")
@click.option("--replace", "replace", is_flag=True, default=False, help="与 --record 同用：替换同名的已记录轮次")
@click.option("--compare", "compare", default=None, metavar="ROUND",
              help="与已记录的轮次比较名次：排名工作簿和通报增加“较上轮”一列（↑3、↓2、持平、新增）")
@db_option
@scale_options
@lexicon_option
def assess_cmd(evidence: str, rubric_ref: str, as_of_text: str | None, calendar_file: str | None, out: str,
               report_config: str | None, issue_date: str | None, rectify_workdays: int | None,
               issuer: str | None, doc_number: str | None, notice_template: str | None, no_reports: bool,
               record: str | None, replace: bool, compare: str | None, db: str | None,
               no_cache: bool, cache_dir: str | None, workers: int | None, partition_units: int | None,
               scheduler: str | None, lexicons: tuple[str, ...] = ()) -> None:
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
    if replace and not record:
        click.echo("错误：--replace 只能与 --record ROUND 同用", err=True)
        sys.exit(2)
    if compare and no_reports:
        click.echo("错误：--compare 在排名工作簿和通报中增加“较上轮”一列，不能与 --no-reports 同用", err=True)
        sys.exit(2)
    load_or_exit(lexicons)
    as_of, given = parse_as_of(as_of_text)
    store_plan = StorePlan(db, record, replace, compare, evidence) if (record or compare) else None
    click.echo(f"评估基准日：{as_of.isoformat()}" + ("" if given else "（未指定 --as-of，取今天）"))
    scale = {**scale_settings(workers, partition_units, scheduler), "no_cache": no_cache, "cache_dir": cache_dir}
    with using_lexicons(lexicons):
        run_assess(evidence, rubric_ref, as_of, calendar_file, out, report_options, store_plan, scale)


assess_cmd.name = "assess"
