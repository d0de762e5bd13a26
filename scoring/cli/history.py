"""`zwgk history UNIT`: one unit across every recorded round (score, grade, rank, each finding's status)."""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import click

from scoring.cli.store_common import db_option, exit_on_store_errors, open_store_or_exit
from scoring.results import show_points

ROUND_COLUMNS = ["轮次", "类型", "基准日", "总分", "等次", "名次", "整改通知书", "整改期限", "复核结论", "催办/通报"]


def round_rows(h) -> list[list]:
    rows = []
    for e in h.rounds:
        s, n, u = e.score, e.notice, e.urge
        rows.append([e.round.name, e.round.kind, str(e.round.as_of or ""),
                     show_points(Fraction(s.total_exact)) if s else "", s.grade if s else "",
                     f"{s.rank}/{s.group_size}" if s else "", n.doc_number if n else "",
                     str(n.deadline) if n else "", e.verdict or "", f"{u.status} {u.doc_number}" if u else ""])
    return rows


def finding_rows(h) -> tuple[list[str], list[list]]:
    names = [e.round.name for e in h.rounds]
    cols = ["指标", "底稿编号", "问题"] + names
    return cols, [[t.indicator_id, t.ref, t.message] + [t.statuses.get(n, "") for n in names] for t in h.findings]


def write_xlsx(h, path: Path) -> None:
    from scoring.report.tables import write_workbook

    cols, frows = finding_rows(h)
    heading = f"{h.unit_id} {h.name} 历次测评与整改"
    write_workbook(path, [
        ("历次轮次", heading, [(c, 12) for c in ROUND_COLUMNS], round_rows(h)),
        ("问题跟踪", heading, [(c, 40 if c == "问题" else 14) for c in cols], frows),
    ], wrap={2})


@click.command("history")
@click.argument("unit_id", metavar="UNIT")
@db_option
@click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False), default=None, help="另写出 Excel 工作簿")
def history_cmd(unit_id: str, db: str | None, xlsx: str | None) -> None:
    """列出一个单位的历次测评轮次：得分、等次、名次，以及每个问题在各轮中的状态。"""
    from scoring.store.history import unit_history

    store = open_store_or_exit(db)
    with exit_on_store_errors():
        h = unit_history(store, unit_id)
    if h is None:
        click.echo(f"错误：单位「{unit_id}」不在 {store.where} 的任何轮次中", err=True)
        sys.exit(2)
    click.echo(f"{h.unit_id} {h.name}：{len(h.rounds)} 个轮次")
    for row in round_rows(h):
        click.echo("  " + "  ".join(f"{c}：{v}" for c, v in zip(ROUND_COLUMNS, row) if v))
    cols, frows = finding_rows(h)
    click.echo(f"问题跟踪（{len(frows)} 个）：")
    for row in frows:
        states = "；".join(f"{c} {v}" for c, v in zip(cols[3:], row[3:]) if v)
        click.echo(f"  {row[0]} {row[1] or '（无编号）'} {row[2]} —— {states}")
    if xlsx:
        write_xlsx(h, Path(xlsx))
        click.echo(f"写入 {xlsx}")
