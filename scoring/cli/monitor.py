"""`zwgk monitor report`: the 日查网 月度通报 of the snapshots recorded by `zwgk collect --record`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scoring.cli.store_common import db_option, exit_on_store_errors, open_store_or_exit
from scoring.dates import parse_date_text


@click.group("monitor")
def monitor_group() -> None:
    """日查网：汇总 zwgk collect --record 记录的每日网站检查快照。"""


def _date(option: str, text: str):
    try:
        return parse_date_text(text)
    except ValueError:
        click.echo(f"错误：{option}「{text}」无法识别，应为 2026-11-20、2026/11/20 或 2026年11月20日", err=True)
        sys.exit(2)


@monitor_group.command("report")
@click.option("--from", "start_text", required=True, help="起始日期（含），如 2026-11-01")
@click.option("--to", "end_text", required=True, help="截止日期（含），如 2026-11-30")
@click.option("--out", "out", type=click.Path(file_okay=False), required=True, help="输出文件夹")
@click.option("--issuer", default="政务公开办公室", show_default=True, help="通报署名")
@click.option("--stale-days", type=click.IntRange(min=1), default=14, show_default=True,
              help="栏目最新信息早于快照日期多少天算超期未更新")
@db_option
def report(start_text: str, end_text: str, out: str, issuer: str, stale_days: int, db: str | None) -> None:
    """写出期间的日查网通报：monitor.xlsx（含每日趋势图）、monitor.docx、monitor.md、monitor.csv。

    每个单位：可用率（首页在超时内打开的检测次数占比，无法访问达到 5% 即为国办单项否决情形）、
    发现和已修复的失效链接、超期未更新栏目、发现和已更正的表述错误。
    """
    from scoring.monitor import summarize
    from scoring.report.monitor_docs import UNIT_COLUMNS, markdown, unit_rows, write_docx, write_workbook
    from scoring.safe_csv import table_bytes
    from scoring.staging import OutputError, publish
    from scoring.store.monitor import read_period

    start, end = _date("--from", start_text), _date("--to", end_text)
    if start > end:
        click.echo(f"错误：--from {start.isoformat()} 晚于 --to {end.isoformat()}", err=True)
        sys.exit(2)
    store = open_store_or_exit(db)
    with exit_on_store_errors():
        polls, sites, pages = read_period(store, start, end)
    store.close()
    if not len(polls) and not len(sites) and not len(pages):
        click.echo(f"错误：{store.where} 中没有 {start.isoformat()} 至 {end.isoformat()} 的日查网快照"
                   "（用 zwgk collect --record 记录）", err=True)
        sys.exit(2)
    period = summarize(polls, sites, pages, start, end, stale_days=stale_days)

    def fill(folder: Path) -> None:
        write_workbook(period, folder / "monitor.xlsx")
        write_docx(period, folder / "monitor.docx", issuer)
        (folder / "monitor.md").write_text(markdown(period, issuer), encoding="utf-8")
        rows = unit_rows(period)
        (folder / "monitor.csv").write_bytes(table_bytes([c for c, _ in UNIT_COLUMNS],
                                                         [list(col) for col in zip(*rows)] if rows else
                                                         [[] for _ in UNIT_COLUMNS]))

    try:
        written = publish(out, fill, say=lambda s: click.echo(s, err=True))
    except OutputError as exc:
        from scoring.cli.common import fail_on_output

        fail_on_output(exc)
    vetoed = period.units[period.units["vetoed"]]["unit_id"].tolist()
    click.echo(f"{start.isoformat()} 至 {end.isoformat()}：{len(period.units)} 个单位，{len(period.trend)} 天的快照"
               + (f"；可用性否决：{'、'.join(vetoed)}" if vetoed else ""))
    for p in written:
        click.echo(f"  {p}")
