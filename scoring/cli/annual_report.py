"""`zwgk annual-report extract FILE...`: read published annual reports into evidence files."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path

import click

from scoring.annual_report.attachments import Fetched, extract_report, local_page_hint
from scoring.annual_report.extract import NARRATIVE_FIGURES, ExtractError, ExtractResult, extract_file
from scoring.annual_report.output import NUMERIC, frames, unit_of_folder, write_outputs
from scoring.collect.urls import normalize
from scoring.safe_csv import frame_text


@click.group(name="annual-report")
def annual_report() -> None:
    """政府信息公开工作年度报告：从已发布的年报页面提取表格数据。"""


def _summary(r: ExtractResult) -> str:
    n = r.cells["table"].value_counts()
    fmt = "2021年新版格式" if r.format == "2021" else "2019年试行格式"
    pub = r.published_on.isoformat() if r.published_on else "未找到"
    text = "、".join(f"{f.label}{r.narrative[f.key]}" for f in NARRATIVE_FIGURES if f.key in r.narrative)
    src = f"{r.url}（附件 {r.attachment_url}）" if r.attachment_url else r.source
    return (f"{src}：{r.year}年度报告（{fmt}），表二 {n.get('2', 0)} 格、表三 {n.get('3', 0)} 格、"
            f"表四 {n.get('4', 0)} 格；发布日期 {pub}" + (f"；正文数字：{text}" if text else ""))


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _fetch(urls: list[str], ignore_robots: bool) -> dict[str, tuple[Fetched, list[Fetched]]]:
    """Each report page and the attachments it links, fetched as ``collect`` fetches (robots.txt, delays)."""
    from scoring.collect.crawler import Crawler, Options
    from scoring.collect.fetch import Fetcher, Limits
    from scoring.collect.state import State

    async def run() -> dict[str, tuple[Fetched, list[Fetched]]]:
        state = State(Path(":memory:"))
        try:
            async with Fetcher(Limits()) as f:
                c = Crawler(f, state, Options(ignore_robots=ignore_robots), dt.date.today())
                got = await asyncio.gather(*(c.report_with_attachments(u) for u in urls))
        finally:
            state.close()
        return dict(zip(urls, got))

    return asyncio.run(run())


def _extract_one(source: str, url: str | None, year: int | None,
                 fetched: dict[str, tuple[Fetched, list[Fetched]]]) -> ExtractResult:
    if _is_url(source):
        page, attachments = fetched[normalize(source)]
        if not page.ok:
            raise ExtractError(source, [page.why_not()])
        return extract_report(page, attachments, year=year)
    try:
        return extract_file(source, url=url, year=year)
    except ExtractError as exc:
        if any("没有找到年度报告的表格" in p for p in exc.problems):
            hint = local_page_hint(Path(source).read_bytes(), url)
            if hint:
                exc.problems.append(hint)
        raise


@annual_report.command("extract")
@click.argument("sources", nargs=-1, required=True)
@click.option("--unit-id", "unit_id", default=None,
              help="单位编码；--out 是单位文件夹（有 unit.yaml）时可省略")
@click.option("--year", type=click.IntRange(1990, 2100), default=None,
              help="报告年度；省略时从报告标题识别")
@click.option("--url", default=None, help="报告的网页地址（只提取一个本地文件时），写入 annual_reports 的地址列")
@click.option("--ignore-robots", is_flag=True, default=False, help="提取网址时不遵守 robots.txt")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="输出文件夹：写入（合并）annual_report_cells.csv 和 annual_reports.csv；省略时把年报数据打印到标准输出")
def extract(sources: tuple[str, ...], unit_id: str | None, year: int | None, url: str | None,
            ignore_robots: bool, out_dir: Path | None) -> None:
    """从已发布的年度报告提取表二、表三、表四：本地文件（网页 HTML、.docx、PDF、.doc/.wps）或网址。

    网址的页面没有年报表格而链接了 PDF/DOC/DOCX/WPS 附件时，自动打开附件提取（遵守 robots.txt）。
    每个文件或网址是同一单位某一年度的报告。同一单位同一年度已有的数据会被替换，其他单位、其他年度的行保留。
    """
    if url and (len(sources) > 1 or any(_is_url(s) for s in sources)):
        raise click.UsageError("--url 只能在提取一个本地文件时使用（提取网址时该网址就是报告地址）")
    bad = [s for s in sources if not _is_url(s) and not Path(s).is_file()]
    if bad:
        _fail([f"[错误] {s}：文件不存在（也不是 http:// 或 https:// 网址）" for s in bad])
    bad = [s for s in sources if _is_url(s) and normalize(s) is None]
    if bad:
        _fail([f"[错误] {s}：不是有效的网址" for s in bad])
    try:
        folder_unit = unit_of_folder(out_dir) if out_dir is not None and out_dir.is_dir() else None
    except ExtractError as exc:
        _fail(exc.lines())
    if unit_id and folder_unit and unit_id != folder_unit:
        _fail([f"[错误] --unit-id {unit_id} 与单位文件夹 {out_dir} 的 unit.yaml 中的单位编码 {folder_unit} 不一致"])
    unit_id = unit_id or folder_unit
    if not unit_id:
        raise click.UsageError("请用 --unit-id 指定单位编码（或用 --out 指向有 unit.yaml 的单位文件夹）")

    urls = list(dict.fromkeys(normalize(s) for s in sources if _is_url(s)))
    fetched = _fetch(urls, ignore_robots) if urls else {}
    results: list[ExtractResult] = []
    errors: list[str] = []
    for s in sources:  # a handful of report files, not evidence rows
        try:
            results.append(_extract_one(s, url, year, fetched))
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
