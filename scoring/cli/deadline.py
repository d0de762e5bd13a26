"""`zwgk deadline DATE`: the statutory deadline on the official working-day calendar."""

from __future__ import annotations

import datetime as dt
import itertools
import sys

import click

from scoring.dates import parse_date_text
from scoring.workdays import WEEKDAYS_ZH, CalendarError, WorkCalendar


def _fmt(d: dt.date) -> str:
    return f"{d.month}月{d.day}日（星期{WEEKDAYS_ZH[d.weekday()]}）"


def describe_crossed(cal: WorkCalendar, start: dt.date, end: dt.date) -> list[str]:
    """Chinese lines naming the holidays and make-up workdays between start and end."""
    lines = []
    days = cal.crossed(start, end)
    holidays = [d for d in days if not d.workday]
    for name, group in itertools.groupby(holidays, key=lambda d: d.name or "法定节假日"):
        g = list(group)
        span = _fmt(g[0].date) if len(g) == 1 else f"{_fmt(g[0].date)}至{_fmt(g[-1].date)}"
        weekdays_off = sum(1 for d in g if d.date.weekday() < 5)
        lines.append(f"放假：{name} {span}，其中 {weekdays_off} 个周一至周五不计入工作日")
    for d in (d for d in days if d.workday):
        lines.append(f"调休上班：{_fmt(d.date)}（{d.name or '调休'}），计为工作日")
    return lines


@click.command()
@click.argument("date")
@click.option("--workdays", "n", type=click.IntRange(min=0), default=20, show_default=True,
              help="工作日数（条例第三十三条：20个工作日）")
@click.option("--calendar", "calendar_file", type=click.Path(dir_okay=False), default=None,
              help="补充或覆盖年份的节假日日历文件（YAML）")
def deadline(date: str, n: int, calendar_file: str | None) -> None:
    """按法定工作日（含调休）计算期限：DATE 之后第 N 个工作日（起算日不计入）。"""
    try:
        start = parse_date_text(date)
    except ValueError:
        click.echo(f"错误：日期「{date}」无法识别，应为 2026-09-24、2026/9/24、2026.9.24 或 2026年9月24日", err=True)
        sys.exit(2)
    try:
        cal = WorkCalendar.load(calendar_file)
        due = cal.add_workdays(start, n)
    except CalendarError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(2)
    click.echo(due.isoformat())
    click.echo(f"起算日 {start.isoformat()}（星期{WEEKDAYS_ZH[start.weekday()]}，不计入），"
               f"第 {n} 个工作日为 {due.isoformat()}（星期{WEEKDAYS_ZH[due.weekday()]}）。")
    for line in describe_crossed(cal, start, due):
        click.echo("  " + line)
    click.echo(f"  日历：{cal.describe()}")
