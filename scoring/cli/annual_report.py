"""`zwgk annual-report extract FILE...`: read published annual reports into evidence files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scoring.annual_report.extract import NARRATIVE_FIGURES, ExtractError, ExtractResult, extract_file
from scoring.annual_report.output import NUMERIC, frames, unit_of_folder, write_outputs
from scoring.safe_csv import frame_text


@click.group(name="annual-report")
def annual_report() -> None:
    """政府信息公开工作年度报告：从已发布的年报页面提取表格数据。"""


def _summary(r: ExtractResult) -> str:
    n = r.cells["table"].value_counts()
    fmt = "2021年新版格式" if r.format == "2021" else "2019年试行格式"
    pub = r.published_on.isoformat() if r.published_on else "未找到"
    text = "、".join(f"{f.label}{r.narrative[f.key]}" for f in NARRATIVE_FIGURES if f.key in r.narrative)
    return (f"{r.source}：{r.year}年度报告（{fmt}），表二 {n.get('2', 0)} 格、表三 {n.get('3', 0)} 格、"
            f"表四 {n.get('4', 0)} 格；发布日期 {pub}" + (f"；正文数字：{text}" if text else ""))


@annual_report.command("extract")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--unit-id", "unit_id", default=None,
              help="单位编码；--out 是单位文件夹（有 unit.yaml）时可省略")
@click.option("--year", type=click.IntRange(1990, 2100), default=None,
              help="报告年度；省略时从报告标题识别")
@click.option("--url", default=None, help="报告的网页地址（只提取一个文件时），写入 annual_reports 的地址列")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="输出文件夹：写入（合并）annual_report_cells.csv 和 annual_reports.csv；省略时把年报数据打印到标准输出")
def extract(files: tuple[Path, ...], unit_id: str | None, year: int | None, url: str | None,
            out_dir: Path | None) -> None:
    """从已发布的年度报告（网页 HTML 或 .docx；PDF 暂不支持）提取表二、表三、表四。

    每个文件是同一单位某一年度的报告。同一单位同一年度已有的数据会被替换，其他单位、其他年度的行保留。
    """
    if url and len(files) > 1:
        raise click.UsageError("--url 只能在提取一个文件时使用")
    try:
        folder_unit = unit_of_folder(out_dir) if out_dir is not None and out_dir.is_dir() else None
    except ExtractError as exc:
        _fail(exc.lines())
    if unit_id and folder_unit and unit_id != folder_unit:
        _fail([f"[错误] --unit-id {unit_id} 与单位文件夹 {out_dir} 的 unit.yaml 中的单位编码 {folder_unit} 不一致"])
    unit_id = unit_id or folder_unit
    if not unit_id:
        raise click.UsageError("请用 --unit-id 指定单位编码（或用 --out 指向有 unit.yaml 的单位文件夹）")

    results: list[ExtractResult] = []
    errors: list[str] = []
    for f in files:  # a handful of report files, not evidence rows
        try:
            results.append(extract_file(f, url=url, year=year))
        except ExtractError as exc:
            errors += exc.lines()
    if errors:
        _fail(errors + ["未写入任何文件。"])
    for r in results:
        for w in r.warnings:
            click.echo(f"[警告] {r.source}：{w}", err=True)
    try:
        if out_dir is None:
            cells, _ = frames(results, unit_id)
            click.echo(frame_text(cells, NUMERIC), nl=False)
            for r in results:
                click.echo(_summary(r), err=True)
            return
        written = write_outputs(results, unit_id, out_dir)
    except ExtractError as exc:
        _fail(exc.lines() + ["未写入任何文件。"])
    for r in results:
        click.echo(_summary(r))
    click.echo("已写入：" + "、".join(str(p) for p in written))


def _fail(lines: list[str]) -> None:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(2)
