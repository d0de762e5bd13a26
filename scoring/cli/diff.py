"""`zwgk diff ROUND_A ROUND_B --out DIR`: what changed between two recorded rounds, unit by unit."""

from __future__ import annotations

from pathlib import Path

import click

from scoring.cli.store_common import db_option, exit_on_store_errors, open_store_or_exit

WIDTHS = [12, 26, 12, 9, 9, 9, 8, 8, 8, 8, 8, 50, 30]


def write_diff(diff, name_a: str, name_b: str, out: str) -> list[Path]:
    from scoring.report.tables import csv_bytes, write_workbook
    from scoring.staging import publish as staged_write
    from scoring.store.compare import DIFF_COLUMNS

    rows = diff.table.astype(object).values.tolist()
    heading = f"测评轮次对比：{name_a} → {name_b}"
    sheets = [("对比", heading, list(zip(DIFF_COLUMNS, WIDTHS)), rows)]
    if diff.only_in_a or diff.only_in_b:
        lone = [[i, f"仅 {name_a}"] for i in diff.only_in_a] + [[i, f"仅 {name_b}"] for i in diff.only_in_b]
        sheets.append(("指标差异", f"{heading}：只在一轮中出现的指标（评分细则不同）", [("指标", 12), ("出现于", 30)],
                       lone))

    def fill(tmp: Path) -> None:
        (tmp / "diff.csv").write_bytes(csv_bytes(DIFF_COLUMNS, rows))
        write_workbook(tmp / "diff.xlsx", sheets, wrap={11, 12})

    return staged_write(out, fill)


@click.command("diff")
@click.argument("round_a")
@click.argument("round_b")
@click.option("--out", "out", type=click.Path(file_okay=False), default="diff_out", show_default=True,
              help="输出文件夹（写出 diff.csv 与 diff.xlsx）")
@db_option
def diff_cmd(round_a: str, round_b: str, out: str, db: str | None) -> None:
    """对比两个已记录的测评轮次：每个单位的总分、等次、名次（前、后、变化）以及得分变化的指标。"""
    from scoring.store.compare import diff_frames

    store = open_store_or_exit(db)
    with exit_on_store_errors():
        info_a, info_b = store.round(round_a), store.round(round_b)
        for info in (info_a, info_b):
            if not info.has_results:
                raise_no_scores(info)
        diff = diff_frames(store.scores_frame(round_a), store.scores_frame(round_b),
                           store.indicators_frame(round_a), store.indicators_frame(round_b))
    written = write_diff(diff, round_a, round_b, out)
    t = diff.table
    click.echo(f"{round_a}（{info_a.as_of}）→ {round_b}（{info_b.as_of}）：共 {len(t)} 个单位，"
               f"名次上升 {int(t['名次变化'].str.startswith('↑').sum())} 个、下降 {int(t['名次变化'].str.startswith('↓').sum())} 个，"
               f"有指标得分变化 {int((t['变化的指标'] != '').sum())} 个。")
    if (info_a.rubric_id, info_a.rubric_version) != (info_b.rubric_id, info_b.rubric_version):
        click.echo(f"注意：两轮的评分细则不同（{info_a.rubric_id} {info_a.rubric_version} 与 "
                   f"{info_b.rubric_id} {info_b.rubric_version}），按指标编号对比。")
    if diff.only_in_a or diff.only_in_b:
        click.echo(f"只在一轮中出现的指标：仅{round_a} {'、'.join(diff.only_in_a) or '无'}；"
                   f"仅{round_b} {'、'.join(diff.only_in_b) or '无'}（见 diff.xlsx「指标差异」）")
    click.echo(f"写入 {out}：")
    for p in written:
        click.echo(f"  {p}")


def raise_no_scores(info) -> None:
    from scoring.store import StoreError

    raise StoreError(f"测评轮次「{info.name}」是{info.kind}轮次，没有评分结果，无法对比")
