"""`zwgk template --xlsx FILE | --csv DIR [--unit ID [--units EVIDENCE]]`: the 底稿 template to hand out."""

from __future__ import annotations

import sys

import click

from scoring.cli.common import fail_on_evidence


def _fail(message: str) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(2)


def unit_row(unit_id: str, units_from: str | None) -> dict:
    """The units row to pre-fill: the id alone, or the unit's whole row from an evidence batch."""
    if units_from is None:
        return {"unit_id": unit_id}
    from scoring.api import list_ids
    from scoring.evidence.batch import EvidenceError
    from scoring.evidence.load import load_batch
    from scoring.evidence.schema import TABLES

    try:
        units = load_batch(units_from).units
    except EvidenceError as exc:
        fail_on_evidence(exc)
    ids = units["unit_id"].astype(str)
    if unit_id not in set(ids):
        _fail(f"单位编码「{unit_id}」不在 {units_from} 的单位表中；其中的单位：{list_ids(list(ids))}")
    row = units[ids == unit_id].iloc[0]
    return {c: (None if row[c] is None or row[c] != row[c] else str(row[c])) for c in TABLES["units"].column_names}


@click.command()
@click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False), default=None,
              help="写出模板工作簿（填写说明、每张表一个工作表、下拉选项、表头批注）")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False), default=None,
              help="写出模板文件夹（每张表一个只有表头的 CSV 文件，另附 填写说明.txt）")
@click.option("--unit", "unit_id", default=None, help="为该单位编码预填单位信息（工作簿的单位表；CSV 为 unit.yaml）")
@click.option("--units", "units_from", type=click.Path(exists=True), default=None,
              help="从该底稿（文件夹或工作簿）的单位表取 --unit 单位的名称、类型、地区、网址")
def template(xlsx: str | None, csv_dir: str | None, unit_id: str | None, units_from: str | None) -> None:
    """生成下发给各单位填写的底稿模板；填好后即可直接作为底稿交给 zwgk assess / validate。"""
    if (xlsx is None) == (csv_dir is None):
        _fail("请指定 --xlsx 文件 或 --csv 文件夹（二选一）")
    if units_from is not None and unit_id is None:
        _fail("--units 需与 --unit 一起使用（指明预填哪个单位）")
    unit = unit_row(unit_id.strip(), units_from) if unit_id is not None else None
    if unit is not None and not unit["unit_id"]:
        _fail("--unit 不能为空")
    from scoring.evidence.template import build_template, write_csv_template

    try:
        if xlsx is not None:
            build_template(xlsx, unit)
            click.echo(f"底稿模板已写入 {xlsx}")
        else:
            write_csv_template(csv_dir, unit)
            click.echo(f"底稿模板已写入 {csv_dir}/（每张表一个 CSV 文件，填写说明见 填写说明.txt）")
    except OSError as exc:
        _fail(f"无法写出 {xlsx or csv_dir}：{exc.strerror or exc}")
