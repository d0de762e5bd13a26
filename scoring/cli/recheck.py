"""`zwgk recheck EVIDENCE --baseline ROUND`: 整改复核 of new evidence against a recorded round."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scoring.cli.common import echo_written, exit_on_scoring_errors, parse_as_of
from scoring.cli.report import build_report_options, echo_option_problems, fail_on_render_error
from scoring.cli.store_common import db_option, exit_on_store_errors, open_store_or_exit
from scoring.report.options import DEFAULT_DOC_NUMBER, DEFAULT_RECTIFY_WORKDAYS, ReportOptionsError


def letter_options(f):
    """Options of the loop's letters (复核意见, 催办函, 通报): a subset of the notices' options."""
    decorators = [
        click.option("--config", "report_config", type=click.Path(dir_okay=False), default=None,
                     help="报告配置文件（YAML：issuer、doc_number、issue_date、rectify_workdays、contact）"),
        click.option("--issue-date", "issue_date", default=None, help="印发日期（默认取基准日），期限由此起算"),
        click.option("--issuer", "issuer", default=None, help="发文机关（版头与署名）"),
        click.option("--doc-number", "doc_number", default=None,
                     help="文号格式，如 青政务公开办〔{year}〕{n}号（{n} 为序号，{year} 为印发年份）"),
        click.option("--calendar", "calendar_file", type=click.Path(dir_okay=False), default=None,
                     help="补充或覆盖年份的节假日日历文件（YAML）"),
    ]
    for d in reversed(decorators):
        f = d(f)
    return f


def letter_report_options(report_config, issue_date, rectify_workdays, issuer, doc_number, calendar_file,
                          default_doc_number: str):
    """The report options of a loop letter, its own 文号 pattern unless one is given; exit 2 on bad options."""
    try:
        opts = build_report_options(report_config, issue_date, rectify_workdays, issuer, doc_number, None,
                                    calendar_file)
    except ReportOptionsError as exc:
        echo_option_problems(exc)
        sys.exit(2)
    if opts.doc_number == DEFAULT_DOC_NUMBER:   # the notices' default would repeat their numbers
        opts = opts.merged(doc_number=default_doc_number)
    return opts


def check_rubric(baseline, rubric_ref: str | None):
    """The baseline's rubric file, loaded; exit 2 when the file found is not the one recorded (sha256)."""
    from scoring.rubric.load import load_rubric

    info = baseline.rubric
    ref = rubric_ref or (info.path if Path(info.path).is_file() else info.id)
    with exit_on_scoring_errors():
        loaded = load_rubric(ref)
    found = [(str(loaded.path), loaded.sha256)] + [(str(p), h) for p, h in loaded.extends]
    recorded = [(info.path, info.sha256)] + [(s.path, s.sha256) for s in info.extends]
    problems = [f"评分细则 {p} 的 sha256 为 {h}，基准轮次记录的 {rp} 为 {rh}"
                for (p, h), (rp, rh) in zip(found, recorded) if h != rh]
    if len(found) != len(recorded):
        problems.append(f"评分细则 {found[0][0]} 继承 {len(found) - 1} 个文件，基准轮次记录的继承 {len(recorded) - 1} 个")
    if problems:
        click.echo("错误：复核须使用基准轮次的评分细则，找到的文件与记录不一致：", err=True)
        for p in problems:
            click.echo(f"  {p}", err=True)
        click.echo("  （可用 --rubric 指定基准轮次所用的评分细则文件）", err=True)
        sys.exit(2)
    return loaded


@click.command("recheck")
@click.argument("evidence", type=click.Path(exists=False))
@click.option("--baseline", "baseline_name", required=True, help="作为复核基准的已记录轮次名称（如 2026年第一轮）")
@click.option("--as-of", "as_of_text", default=None, help="复核基准日（默认今天），如 2026-12-20")
@click.option("--record", "record_name", default=None, help="将本次复核记为一个轮次（类型：复核），如 2026年第一轮复核")
@click.option("--replace", is_flag=True, default=False, help="--record 的轮次已存在时替换它")
@db_option
@click.option("--rubric", "rubric_ref", default=None,
              help="基准轮次所用评分细则的文件路径（默认按记录的路径或 id 查找；sha256 须与记录一致）")
@click.option("--out", "out", type=click.Path(file_okay=False), default="recheck_out", show_default=True,
              help="输出文件夹")
@click.option("--rectify-workdays", "rectify_workdays", type=int, default=None,
              help=f"仍未整改到位问题的新整改期限：印发日期后的工作日数（默认 {DEFAULT_RECTIFY_WORKDAYS}）")
@letter_options
def recheck(evidence, baseline_name, as_of_text, record_name, replace, db, rubric_ref, out, rectify_workdays,
            report_config, issue_date, issuer, doc_number, calendar_file) -> None:
    """整改复核：用基准轮次的评分细则对整改后的底稿评分，逐条比对问题（已整改、部分整改、未整改、新发现、
    不可整改的历史问题、未提交整改材料），写出 recheck.csv、recheck.xlsx 和每个单位的复核意见 notices/。"""
    from scoring.report.loop_docs import RECHECK_DOC_NUMBER

    opts = letter_report_options(report_config, issue_date, rectify_workdays, issuer, doc_number, calendar_file,
                                 RECHECK_DOC_NUMBER)
    as_of, given = parse_as_of(as_of_text)
    click.echo(f"复核基准日：{as_of.isoformat()}" + ("" if given else "（未指定 --as-of，取今天）"))
    store = open_store_or_exit(db)
    with store, exit_on_store_errors():
        baseline = store.load_results(baseline_name)
        if record_name and not replace and store.has_round(record_name):
            fail_round_exists(record_name, store.where)
        run_recheck(store, evidence, baseline_name, baseline, as_of, rubric_ref, calendar_file, out, opts,
                    record_name, replace)


def fail_round_exists(name: str, where: str) -> None:
    """Exit 2 before any work when the round to record exists (and --replace was not given)."""
    click.echo(f"错误：轮次「{name}」已记录在 {where}；如要重新记录，请加 --replace（原记录将被替换）", err=True)
    sys.exit(2)


def run_recheck(store, evidence, baseline_name, baseline, as_of, rubric_ref, calendar_file, out, opts,
                record_name, replace) -> None:
    from jinja2 import TemplateError

    from scoring.api import load_inputs, score_inputs
    from scoring.loop.recheck import DONE, Recheck
    from scoring.report.loop_docs import recheck_notices, write_recheck
    from scoring.staging import publish as staged_write
    from scoring.store import KIND_RECHECK, NoticeRecord, RecheckItem, UnitVerdict
    from scoring.workdays import CalendarError

    def stage(msg: str) -> None:
        click.echo(f"[zwgk] {msg}", err=True)

    loaded = check_rubric(baseline, rubric_ref)
    with exit_on_scoring_errors():
        inputs = load_inputs(evidence, loaded.path, calendar_file, progress=stage)
        new = score_inputs(inputs, as_of, progress=stage)
    rc = Recheck(baseline, new)

    def fill(tmp: Path) -> None:
        write_recheck(rc, baseline_name, tmp, opts, inputs.calendar)
        if record_name:
            stage(f"记录复核轮次「{record_name}」到 {store.where}")
            rows = rc.rows
            items = [RecheckItem(r.unit_id, r.indicator_id, r.ref, r.status, _exact(r.before), _exact(r.after),
                                 r.message) for r in rows.itertuples(index=False)]
            verdicts = [UnitVerdict(u, v) for u, v in zip(rc.units["unit_id"], rc.units["verdict"])]
            notices = [NoticeRecord(*n) for n in recheck_notices(rc, opts, inputs.calendar)]
            store.record_round(record_name, KIND_RECHECK, new, baseline=baseline_name, rechecks=items,
                               verdicts=verdicts, notices=notices, replace=replace)

    stage(f"写出复核结果到 {out}")
    try:
        written = staged_write(out, fill)
    except (CalendarError, TemplateError) as exc:
        fail_on_render_error(exc, None)
    n_done = int((rc.units["verdict"] == DONE).sum())
    counts = "、".join(f"{s} {n}" for s, n in rc.status_counts().items() if n)
    click.echo(f"已复核 {len(rc.units)} 个单位：整改到位 {n_done} 个，未整改到位 {len(rc.units) - n_done} 个；"
               f"问题：{counts or '无'}。结果写入 {out}：")
    echo_written(Path(out), written, {"notices": "复核意见"})
    if record_name:
        click.echo(f"已记录复核轮次「{record_name}」（基准轮次「{baseline_name}」）到 {store.where}")


def _exact(value) -> str | None:
    from fractions import Fraction

    from scoring.results import exact_text

    return None if value is None or value != value else exact_text(Fraction(value))
