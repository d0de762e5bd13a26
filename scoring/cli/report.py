"""`zwgk report RESULTS.json`: re-render the workbook, the notices and the bulletin (no re-scoring).

The notice options are a decorator (``notice_options``) and a function
(``build_report_options``) so that ``assess`` can offer the same ones.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from scoring.report.options import (
    DEFAULT_RECTIFY_WORKDAYS,
    ReportOptions,
    ReportOptionsError,
    parse_issue_date,
    read_config,
    validate,
)
from scoring.cli.common import PRINT_CAP, check_out_option, echo_written, fail_on_output
from scoring.workdays import CalendarError


def notice_options(f):
    """The options of the notices and bulletin (shared by `report` and `assess`)."""
    decorators = [
        click.option("--config", "report_config", type=click.Path(dir_okay=False), default=None,
                     help="报告配置文件（YAML：issuer、doc_number、issue_date、rectify_workdays、notice_template、contact）"),
        click.option("--issue-date", "issue_date", default=None,
                     help="通知书印发日期（默认取评估基准日，保证可重现），整改期限由此起算"),
        click.option("--rectify-workdays", "rectify_workdays", type=int, default=None,
                     help=f"整改期限：印发日期后的工作日数（默认 {DEFAULT_RECTIFY_WORKDAYS}）"),
        click.option("--issuer", "issuer", default=None, help="发文机关（通知书和通报的版头与署名）"),
        click.option("--doc-number", "doc_number", default=None,
                     help="文号格式，如 青政务公开办〔{year}〕{n}号（{n} 为序号，{year} 为印发年份）"),
        click.option("--notice-template", "notice_template", type=click.Path(dir_okay=False), default=None,
                     help="自定义的通知书 Word 模板（.docx，docxtpl 标签；默认使用随包模板）"),
    ]
    for d in reversed(decorators):
        f = d(f)
    return f


def build_report_options(report_config: str | None, issue_date: str | None, rectify_workdays: int | None,
                         issuer: str | None, doc_number: str | None, notice_template: str | None,
                         calendar: str | None = None) -> ReportOptions:
    """Defaults, then the config file, then the command line; raises ReportOptionsError."""
    values: dict[str, Any] = read_config(report_config) if report_config else {}
    problems: list[str] = []
    if issue_date is not None:
        try:
            values["issue_date"] = parse_issue_date(issue_date, "--issue-date")
        except ReportOptionsError as exc:
            problems += exc.problems
    cli = {"rectify_workdays": rectify_workdays, "issuer": issuer, "doc_number": doc_number,
           "notice_template": Path(notice_template) if notice_template else None,
           "calendar": Path(calendar) if calendar else None}
    values.update({k: v for k, v in cli.items() if v is not None})
    try:
        opts = validate(ReportOptions().merged(**values))
    except ReportOptionsError as exc:
        problems += exc.problems
    if problems:
        raise ReportOptionsError(problems)
    return opts


def echo_option_problems(exc: ReportOptionsError) -> None:
    click.echo(f"报告选项有 {len(exc.problems)} 处错误：", err=True)
    for p in exc.problems:
        click.echo(f"  {p}", err=True)


def fail_on_render_error(exc: Exception, notice_template) -> None:
    """A rendering error that is the user's to fix (exit 2): a deadline year without holiday
    tables, or a mistake in their own notice template."""
    from scoring.report.common import NoticeNameError

    if isinstance(exc, NoticeNameError):
        click.echo(f"错误：以下单位编码无法生成互不相同的通知书文件名，请修改其中之一：{exc}", err=True)
    elif isinstance(exc, CalendarError):
        click.echo(f"错误：无法计算整改期限：{exc}（可用 --calendar 提供该年度的节假日安排文件）", err=True)
    else:
        where = notice_template or "随包通知书模板"
        click.echo(f"错误：通知书模板 {where} 有误：{exc}（可用的变量见 docs/REPORTS.md）", err=True)
    sys.exit(2)


def echo_renamed_notices(results, cap: int = PRINT_CAP) -> None:
    """Say which notices are not named by their unit id as it stands (docs/REPORTS.md)."""
    from scoring.report.notices import notice_names

    renamed = [(u, stem) for u, stem in notice_names(results).items() if stem != u]
    if not renamed:
        return
    click.echo(f"其中 {len(renamed)} 份通知书的文件名与单位编码不同（编码含不能用作文件名的字符，或与另一编码仅大小写不同；"
               f"对照见 ranking.xlsx「总体排名」的“整改通知书”列）：")
    for u, stem in renamed[:cap]:
        click.echo(f"  {u} → notices/{stem}.docx")
    if len(renamed) > cap:
        click.echo(f"  ……另有 {len(renamed) - cap} 份未列出")


#: pydantic error types in the words of results.json's reader
_RESULTS_ERRORS = {
    "missing": "缺少该字段",
    "extra_forbidden": "不应有该字段",
    "string_type": "应为文本",
    "int_type": "应为整数", "int_parsing": "应为整数", "int_from_float": "应为整数",
    "float_type": "应为数值", "float_parsing": "应为数值", "finite_number": "应为有限的数值",
    "bool_type": "应为 true 或 false", "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表", "model_type": "应为对象（映射）", "dict_type": "应为对象（映射）",
    "literal_error": "取值不在允许的范围内",
    "greater_than_equal": "数值过小", "less_than_equal": "数值过大",
    "json_invalid": "不是有效的 JSON",
}


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit] + f"…（共 {len(text)} 个字符）"


def results_problem(err: dict) -> str:
    """One pydantic error of results.json as a Chinese line naming the JSON field."""
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"]).lstrip(".") or "（整个文件）"
    t = err["type"]
    if t == "string_pattern_mismatch":
        field = str(err["loc"][-1]) if err["loc"] else ""
        what = {"exact": "精确分值（整数、有限小数或分数，如 87.5、4/3）", "as_of": "日期（如 2026-11-20）",
                "start": "日期（如 2026-01-01）", "end": "日期（如 2026-11-20）"}.get(field, "规定的格式")
        msg = f"应为{what}"
    elif t == "value_error":
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
    else:
        msg = _RESULTS_ERRORS.get(t, err["msg"])
    shown = "" if t in ("missing", "json_invalid") or "input" not in err or isinstance(err["input"], (dict, list)) \
        else f"（值：{_short(err['input'])}）"
    return f"{where}：{msg}{shown}"


def _load_results(path: str):
    from pydantic import ValidationError

    from scoring.results import read_results

    p = Path(path)
    if not p.is_file():
        click.echo(f"错误：结果文件 {p} 不存在（应为 zwgk assess 写出的 results.json）", err=True)
        sys.exit(2)
    try:
        return read_results(p)
    except ValidationError as exc:
        click.echo(f"错误：{p} 不是有效的 results.json（共 {exc.error_count()} 处不符）：", err=True)
        for e in exc.errors(include_url=False)[:20]:
            click.echo(f"  {results_problem(e)}", err=True)
        if exc.error_count() > 20:
            click.echo(f"  ……另有 {exc.error_count() - 20} 处未列出", err=True)
        sys.exit(2)
    except (OSError, UnicodeDecodeError) as exc:
        click.echo(f"错误：无法读取结果文件 {p}：{exc}", err=True)
        sys.exit(2)


@click.command("report")
@click.argument("results_json", metavar="RESULTS.json", type=click.Path(dir_okay=False))
@click.option("--out", "out", type=click.Path(), default=None,
              help="输出文件夹（默认：results.json 所在文件夹）")
@notice_options
@click.option("--calendar", "calendar_file", type=click.Path(dir_okay=False), default=None,
              help="补充节假日安排的日历文件（YAML），整改期限落在内置日历未覆盖的年份时使用")
def report(results_json: str, out: str | None, report_config: str | None, issue_date: str | None,
           rectify_workdays: int | None, issuer: str | None, doc_number: str | None,
           notice_template: str | None, calendar_file: str | None) -> None:
    """只根据 results.json 重新生成排名工作簿 ranking.xlsx、整改通知书 notices/ 和通报 bulletin（不重新评分）。"""
    from jinja2 import TemplateError

    from scoring.report.common import NoticeNameError
    from scoring.report.render import publish_reports

    try:
        opts = build_report_options(report_config, issue_date, rectify_workdays, issuer, doc_number,
                                    notice_template, calendar_file)
    except ReportOptionsError as exc:
        echo_option_problems(exc)
        sys.exit(2)
    from scoring.staging import OutputError

    out_dir = Path(out) if out else Path(results_json).parent
    check_out_option(out_dir)
    results = _load_results(results_json)
    try:
        written = publish_reports(results, out_dir, opts, say=lambda s: click.echo(f"[zwgk] {s}", err=True))
    except (CalendarError, TemplateError, NoticeNameError) as exc:
        fail_on_render_error(exc, opts.notice_template)
    except OutputError as exc:
        fail_on_output(exc)
    n_notices = sum(1 for p in written if p.suffix == ".docx" and p.parent.name == "notices")
    click.echo(f"已根据 {results_json} 生成报告（评估基准日 {results.as_of}，整改通知书 {n_notices} 份），写入 {out_dir}：")
    echo_written(out_dir, written)
    echo_renamed_notices(results)
