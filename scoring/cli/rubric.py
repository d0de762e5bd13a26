"""`zwgk rubric validate|show|export R`: check a rubric, print its tree, write the 评分细则 table."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from scoring.cli.common import echo_rubric_issues
from scoring.rubric.load import LoadedRubric, RubricError, load_rubric
from scoring.results import show_points
from scoring.staging import write_atomic


def _load(ref: str) -> LoadedRubric:
    try:
        return load_rubric(ref)
    except RubricError as exc:
        echo_rubric_issues(exc)
        sys.exit(2)


def _params_text(rubric: LoadedRubric, leaf_id: str) -> str:
    """The leaf's parameters as written in the rubric (explicit ones only), one line."""
    p = rubric.params.get(leaf_id)
    if p is None:
        return ""
    data = p.model_dump(mode="json", exclude_unset=True)
    return "; ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in data.items())


@click.group("rubric")
def rubric_group() -> None:
    """评分细则：校验、显示指标树、导出评分细则表。"""


@rubric_group.command("validate")
@click.argument("rubric_ref", metavar="R")
def validate_cmd(rubric_ref: str) -> None:
    """校验评分细则（R 为文件路径或随包发布的细则 id）。"""
    r = _load(rubric_ref)
    leaves = r.model.leaves()
    click.echo(f"评分细则有效：{r.model.title}（{r.id} {r.model.version}），"
               f"{len(leaves)} 个末级指标，满分 {show_points(r.model.full_points)} 分")
    click.echo(f"文件：{r.path}（sha256 {r.sha256}）")
    for p, s in r.extends:
        click.echo(f"继承自：{p}（sha256 {s}）")


@rubric_group.command("show")
@click.argument("rubric_ref", metavar="R")
def show_cmd(rubric_ref: str) -> None:
    """显示评分细则的指标树。"""
    r = _load(rubric_ref)
    m = r.model
    click.echo(f"{m.title}（{m.id} {m.version}）满分 {show_points(m.full_points)} 分")
    for ind, _parent, level in m.walk():
        pad = "  " * level
        rule = f"  [{ind.rule}]" if ind.rule else ""
        na = "  （未提供底稿时不适用）" if ind.na_allowed else ""
        click.echo(f"{pad}{ind.id} {ind.title}  {show_points(ind.points)} 分{rule}{na}")
        if ind.is_leaf:
            params = _params_text(r, ind.id)
            if ind.description:
                click.echo(f"{pad}    评分标准：{ind.description}")
            if params:
                click.echo(f"{pad}    参数：{params}")
    if m.bonus is not None:
        rel = "≥" if m.bonus.min_base_inclusive else ">"
        click.echo(f"{m.bonus.id} {m.bonus.title}  上限 {show_points(m.bonus.cap)} 分（基础分 {rel} {show_points(m.bonus.min_base)} "
                   f"且无单项否决时计入）")
    bands = "；".join(f"{g.name} ≥ {show_points(g.min)}" for g in m.grades)
    click.echo(f"等次：{bands}；单项否决为「{m.veto_grade}」")
    by = {"kind": "单位类型", "region": "所属地区", "all": "不分组"}[m.groups.by]
    click.echo(f"排名分组：{by}" + (f"（{'、'.join(m.groups.order)}）" if m.groups.order else ""))
    if m.period is not None:
        click.echo(f"测评期：{m.period.start} 至 {m.period.end or '评估基准日'}")
    if m.calendar:
        click.echo(f"节假日日历：{m.calendar}")


EXPORT_HEADER = ["一级指标", "二级指标", "编号", "分值", "评分标准", "达标表述", "失分表述", "整改要求",
                 "规则类型", "参数", "未提供底稿时"]


def export_rows(r: LoadedRubric) -> list[list]:
    rows: list[list] = []
    top_title = ""
    for ind, parent, level in r.model.walk():
        if level == 0:
            top_title = f"{ind.id} {ind.title}（{show_points(ind.points)}分）"
        if not ind.is_leaf:
            continue
        rows.append([top_title, ind.title, ind.id, float(ind.points), ind.description, ind.pass_text,
                     ind.fail_text, ind.rectify, ind.rule, _params_text(r, ind.id),
                     "不适用，折算百分制" if ind.na_allowed else "记 0 分"])
    b = r.model.bonus
    if b is not None:
        rel = "≥" if b.min_base_inclusive else ">"
        rows.append([f"{b.id} {b.title}", b.title, b.id, float(b.cap),
                     b.description or f"加分合计不超过 {show_points(b.cap)} 分；基础分 {rel} {show_points(b.min_base)} 且无单项否决时计入",
                     "", "", "", "", "", "无加分"])
    return rows


def write_xlsx(r: LoadedRubric, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "评分细则"
    ws.append([f"{r.model.title}（{r.id} {r.model.version}）"])
    ws.append(EXPORT_HEADER)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in export_rows(r):
        ws.append(row)
    # text from the rubric is data: never let a cell be read as a formula
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [18, 16, 8, 8, 50, 24, 24, 36, 24, 36, 14]
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    g = wb.create_sheet("等次与分组")
    g.append(["等次", "分数线"])
    for band in r.model.grades:
        g.append([band.name, float(band.min)])
    g.append(["单项否决", r.model.veto_grade])
    g.append([])
    g.append(["排名分组", r.model.groups.by])
    write_atomic(path, wb.save)


@rubric_group.command("export")
@click.argument("rubric_ref", metavar="R")
@click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False), required=True, help="输出的评分细则表（.xlsx）")
def export_cmd(rubric_ref: str, xlsx: str) -> None:
    """导出评分细则表（Excel），可直接印发。"""
    r = _load(rubric_ref)
    write_xlsx(r, Path(xlsx))
    click.echo(f"已导出评分细则表：{xlsx}")


@rubric_group.command("schema")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="写入该文件（默认输出到屏幕）")
def schema_cmd(out: Path | None) -> None:
    """输出评分细则格式的 JSON Schema（供编辑器补全与检查；含全部规则类型及其参数）。

    在细则文件第一行写 `# yaml-language-server: $schema=rubric.schema.json`，
    VS Code 等编辑器即可提示键名、规则类型并检查参数。"""
    from scoring.rubric.schema import schema_text

    text = schema_text()
    if out is None:
        click.echo(text, nl=False)
        return
    write_atomic(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    click.echo(f"已写出评分细则 JSON Schema：{out}")
