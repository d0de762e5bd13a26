"""`zwgk check UNIT`: a unit's self-check — what it would score, what loses points, what to fix first."""

from __future__ import annotations

import json
import sys
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import click

from scoring.api import ScoringInputError, list_ids
from scoring.cli.lexicon_opt import lexicon_option, load_or_exit
from scoring.cli.scale import cache_options, scale_settings
from scoring.lexicon import using_lexicons
from scoring.results import Results


def pick_unit(results: Results, unit_id: str | None) -> str:
    """The unit to show: ``--unit``, or the only unit of the evidence."""
    ids = [u.unit_id for u in results.units]
    if unit_id is not None:
        if unit_id not in ids:
            raise ScoringInputError(f"单位编码「{unit_id}」不在底稿中；底稿中的单位：{list_ids(ids)}")
        return unit_id
    if len(ids) != 1:
        raise ScoringInputError(f"底稿中有 {len(ids)} 个单位，请用 --unit 指定要自查的单位：{list_ids(ids)}")
    return ids[0]


def _fail_under(value: str | None) -> Fraction | None:
    if value is None:
        return None
    try:
        return Fraction(Decimal(value.strip()))
    except (InvalidOperation, ValueError):
        raise click.BadParameter(f"「{value}」不是分数，应为数字，如 80 或 85.5", param_hint="--fail-under")


@click.command("check")
@click.argument("unit", type=click.Path(exists=False))
@click.option("--unit", "unit_id", default=None, help="UNIT 为多单位底稿时，要自查的单位编码")
@click.option("--rank", "rank", is_flag=True, default=False,
              help="对整批底稿评分，给出该单位的组内排名（默认只评该单位，更快）")
@click.option("--rubric", "rubric_ref", default=None, help="评分细则：文件路径或内置细则编号（默认省级 2026 细则）")
@click.option("--as-of", "as_of_text", default=None, help="测评基准日，如 2026-11-20（默认今天）")
@click.option("--calendar", "calendar_file", type=click.Path(dir_okay=False), default=None,
              help="补充或覆盖年份的节假日日历文件（YAML）")
@click.option("--fail-under", "fail_under_text", default=None, metavar="N",
              help="总分低于 N 时以退出码 1 结束（供单位脚本使用）")
@click.option("--html", "html_file", type=click.Path(dir_okay=False), default=None,
              help="另存为一个独立的 HTML 文件（可离线打开、A4 打印）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果（代替终端视图）")
@click.option("--color/--no-color", "colour", default=None, help="终端着色（默认：仅当输出到终端时着色）")
@cache_options
@lexicon_option
def check(unit: str, unit_id: str | None, rank: bool, rubric_ref: str | None, as_of_text: str | None,
          calendar_file: str | None, fail_under_text: str | None, html_file: str | None,
          as_json: bool, colour: bool | None, no_cache: bool, cache_dir: str | None,
          lexicons: tuple[str, ...] = ()) -> None:
    """单位自查：按测评细则试评分，列出失分与「优先整改」清单。

    UNIT 为单位底稿文件夹（含 unit.yaml），或多单位底稿（配合 --unit 指定单位）。
    总分低于 --fail-under 时退出码为 1；输入有误时退出码为 2。
    """
    from scoring.api import load_inputs, score_inputs
    from scoring.check.html import write_html
    from scoring.check.terminal import render
    from scoring.check.view import check_json, from_results
    from scoring.cli.common import echo_issues, exit_on_scoring_errors, parse_as_of

    threshold = _fail_under(fail_under_text)
    as_of, given = parse_as_of(as_of_text)
    if not given:
        click.echo(f"未指定 --as-of，测评基准日取今天（{as_of.isoformat()}）", err=True)

    load_or_exit(lexicons)
    with exit_on_scoring_errors(), using_lexicons(lexicons):
        inputs = load_inputs(unit, rubric_ref, calendar_file, cache=not no_cache, cache_dir=cache_dir)
        results = score_inputs(inputs, as_of, unit_id=unit_id, rank=rank, **scale_settings(None, None, None))
        uid = pick_unit(results, unit_id)
    if inputs.warnings:
        echo_issues(inputs.warnings)
    view = from_results(results, uid)
    if len(results.units) == 1:
        view.rank = view.group_size = None   # scored alone: a rank of 1 of 1 says nothing
    if as_json:
        click.echo(json.dumps(check_json(results, view), ensure_ascii=False, indent=1))
    else:
        use_colour = sys.stdout.isatty() if colour is None else colour
        click.echo(render(view, colour=use_colour), nl=False, color=use_colour)
    if html_file:
        path = write_html(view, html_file)
        click.echo(f"已生成 HTML 自查报告：{path}", err=True)

    if threshold is not None and view.total < threshold:
        from scoring.check.view import show_points

        click.echo(f"总分 {show_points(view.total)} 低于 --fail-under {fail_under_text}", err=True)
        sys.exit(1)
