"""`zwgk overdue --as-of DATE`: 催办 the units past their deadline, 通报 those urged and still not fixed."""

from __future__ import annotations

from pathlib import Path

import click

from scoring.cli.common import echo_written, parse_as_of
from scoring.cli.recheck import fail_round_exists, letter_options, letter_report_options
from scoring.cli.report import fail_on_render_error
from scoring.cli.store_common import db_option, exit_on_store_errors, open_store_or_exit
from scoring.loop.overdue import DEFAULT_URGE_WORKDAYS


@click.command("overdue")
@click.option("--as-of", "as_of_text", default=None, help="检查日（默认今天），如 2026-12-18")
@click.option("--urge-workdays", "urge_workdays", type=click.IntRange(min=1), default=DEFAULT_URGE_WORKDAYS,
              show_default=True, help="催办后的整改期限（工作日）；期满仍未整改到位的予以通报")
@click.option("--record", "record", is_flag=True, default=False,
              help="将本次催办和通报记为一个轮次（类型：催办，名称为 检查日+催办，如 2026-12-18催办）")
@click.option("--replace", is_flag=True, default=False, help="--record 的轮次已存在时替换它")
@db_option
@click.option("--out", "out", type=click.Path(file_okay=False), default="overdue_out", show_default=True,
              help="输出文件夹")
@letter_options
def overdue(as_of_text, urge_workdays, record, replace, db, out, report_config, issue_date, issuer, doc_number,
            calendar_file) -> None:
    """催办与通报：对已记录整改通知、期限已过且没有复核确认整改到位的单位，写出 overdue.csv 和催办函 urges/；
    催办后满 --urge-workdays 个工作日仍未整改到位的，列为通报并写出通报 bulletin。"""
    from scoring.report.loop_docs import URGE_DOC_NUMBER

    opts = letter_report_options(report_config, issue_date, None, issuer, doc_number, calendar_file, URGE_DOC_NUMBER)
    as_of, given = parse_as_of(as_of_text)
    click.echo(f"检查日：{as_of.isoformat()}" + ("" if given else "（未指定 --as-of，取今天）"))
    store = open_store_or_exit(db)
    round_name = f"{as_of.isoformat()}催办"
    with store, exit_on_store_errors():
        if record and not replace and store.has_round(round_name):
            fail_round_exists(round_name, store.where)
        run_overdue(store, as_of, urge_workdays, out, opts, round_name if record else None, replace)


def run_overdue(store, as_of, urge_workdays, out, opts, round_name, replace) -> None:
    from jinja2 import TemplateError

    from scoring.loop.on_record import LoopRecord
    from scoring.loop.overdue import NAME_PUBLICLY, URGE, URGED, overdue_units
    from scoring.report.loop_docs import write_overdue
    from scoring.staging import publish as staged_write
    from scoring.store import KIND_URGE, UrgeRecord
    from scoring.workdays import CalendarError, WorkCalendar

    def stage(msg: str) -> None:
        click.echo(f"[zwgk] {msg}", err=True)

    try:
        calendar = WorkCalendar.load(opts.calendar)
        stage(f"读取 {store.where} 中的整改通知、复核和催办记录")
        loop = LoopRecord.read(store)
        late = overdue_units(loop.notices, loop.rechecks, loop.urges, as_of, calendar, urge_workdays)
        open_rows = {u: loop.open_rows(u) for u in late["unit_id"]}
    except CalendarError as exc:
        fail_on_render_error(exc, None)
    day = opts.issue_date or as_of

    def fill(tmp: Path) -> None:
        write_overdue(late, loop, open_rows, tmp, opts, calendar, day, urge_workdays)
        acted = late[late["status"].isin([URGE, NAME_PUBLICLY])]
        if round_name and len(acted):
            stage(f"记录催办轮次「{round_name}」到 {store.where}")
            urges = [UrgeRecord(r.unit_id, r.doc_number, r.deadline, day, r.status)
                     for r in acted.itertuples(index=False)]
            store.record_round(round_name, KIND_URGE, baseline=loop.baseline_of(acted["unit_id"]), urges=urges,
                               replace=replace)

    try:
        written = staged_write(out, fill)
    except (CalendarError, TemplateError) as exc:
        fail_on_render_error(exc, None)
    n = {s: int((late["status"] == s).sum()) for s in (URGE, URGED, NAME_PUBLICLY)}
    click.echo(f"已记录整改通知的单位 {len(loop.notices)} 个，逾期未整改到位 {len(late)} 个：催办 {n[URGE]} 个、"
               f"已催办待期满 {n[URGED]} 个、通报 {n[NAME_PUBLICLY]} 个。结果写入 {out}：")
    echo_written(Path(out), written, {"urges": "催办函"})
    if round_name:
        if n[URGE] + n[NAME_PUBLICLY]:
            click.echo(f"已记录催办轮次「{round_name}」到 {store.where}")
        else:
            click.echo("没有需要催办或通报的单位，未记录轮次")
