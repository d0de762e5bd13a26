"""`zwgk collect EVIDENCE`: thin click command over :mod:`scoring.collect.crawler`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
import pandas as pd

from scoring.annual_report.attachments import extract_report
from scoring.annual_report.extract import ExtractError, ExtractResult
from scoring.annual_report.output import write_outputs as write_annual_reports
from scoring.collect.crawler import COLUMNS, Options, Progress, ReportFetch, Target, run
from scoring.collect.fetch import USER_AGENT, Limits
from scoring.collect.output import write_all
from scoring.collect.state import State, StateError
from scoring.collect.urls import normalize
from scoring.cli.common import fail_on_evidence
from scoring.evidence.batch import Batch, EvidenceError
from scoring.evidence.load import load_batch
from scoring.dates import parse_date_text
from scoring.evidence.schema import TABLES
from scoring.cli.store_common import db_option, exit_on_store_errors, open_store_or_exit
from scoring.cli.lexicon_opt import lexicon_option, load_or_exit
from scoring.collect.checks import COLUMNS as PAGE_CHECK_COLUMNS

OUT_NAME = "site_checks.csv"
PAGE_CHECKS_NAME = "page_checks.csv"


def _bad(msg: str) -> None:
    click.echo(f"错误：{msg}", err=True)
    sys.exit(2)


def targets_from_batch(batch: Batch, unit_ids: list[str] | None) -> tuple[list[Target], list[str], list[str]]:
    """(targets, errors, units without a site_url) for the selected units of a batch."""
    units = batch.units
    errors: list[str] = []
    if unit_ids:
        known = set(units["unit_id"].astype(str))
        unknown = [u for u in unit_ids if u not in known]
        if unknown:
            errors.append(f"--units 中的单位编码 {'、'.join(unknown)} 不在底稿中；底稿中的单位：{'、'.join(sorted(known))}")
        units = units[units["unit_id"].astype(str).isin(unit_ids)]
    cat = batch.table("catalog")
    cat = cat[cat["url"].notna()] if "url" in cat.columns else cat.iloc[0:0]
    col_urls = cat.assign(_n=cat["url"].map(normalize)).groupby("unit_id")["_n"].agg(
        lambda s: [u for u in s if u]) if len(cat) else pd.Series(dtype=object)
    targets, no_site = [], []
    for u in units.to_dict("records"):
        uid = str(u["unit_id"])
        site = u["site_url"] if isinstance(u["site_url"], str) and u["site_url"].strip() else None
        if site is None:
            no_site.append(uid)
            continue
        if normalize(site) is None:
            row = u.get("_row")
            where = f"{u.get('_file')}" + (f" 第{row}行" if row is not None and not pd.isna(row) else "")
            errors.append(f"{where} 「{TABLES['units'].column('site_url').alias}」列：单位 {uid} 的网站地址"
                          f"「{site}」不是 http:// 或 https:// 地址")
            continue
        code = u.get("site_code")
        targets.append(Target(uid, normalize(site), list(col_urls.get(uid, [])), name=str(u.get("name") or ""),
                              site_code=str(code).strip() if isinstance(code, str) and code.strip() else None))
    return targets, errors, no_site


def add_report_urls(batch: Batch, targets: list[Target]) -> list[str]:
    """Give each target the annual report URLs of its ``annual_reports`` evidence; notes on unusable ones."""
    reports = batch.table("annual_reports")
    if "url" not in reports.columns or not len(reports):
        return []
    by_unit = {t.unit_id: t for t in targets}
    notes = []
    for r in reports[reports["url"].notna()].to_dict("records"):
        t = by_unit.get(str(r["unit_id"]))
        url = str(r["url"]).strip()
        if t is None or not url:
            continue
        u = normalize(url)
        if u is None:
            notes.append(f"单位 {t.unit_id} {int(r['year'])}年度报告的地址「{url}」不是 http:// 或 https:// 地址，未提取")
        elif u not in [x for _, x in t.reports]:
            t.reports.append((int(r["year"]), u))
    return notes


def _report_folders(evidence: Path, batch: Batch) -> dict[str, Path] | None:
    """Where each unit's extracted annual reports go: the folder holding its evidence; None for a workbook."""
    ids = batch.units["unit_id"].astype(str)
    if evidence.is_file():
        return None
    if (evidence / "unit.yaml").is_file():
        return {uid: evidence for uid in ids}
    unit_dirs = {d.name: d for d in evidence.iterdir() if d.is_dir() and (d / "unit.yaml").is_file()}
    if not unit_dirs:
        return {uid: evidence for uid in ids}
    return {uid: unit_dirs[Path(f).parent.name] for uid, f in zip(ids, batch.units["_file"].astype(str))}


def _extract_reports(evidence: Path, batch: Batch, fetched: list[ReportFetch]) -> dict[str, list[str]]:
    """Extract every fetched annual report and merge the rows into the unit's evidence folder.

    Returns the summary lines per unit. A page that is not a report, a failed request or a file
    that cannot be written is reported there and never stops the others.
    """
    lines: dict[str, list[str]] = {}
    folders = _report_folders(evidence, batch)
    known = batch.table("annual_reports")
    per_unit: dict[str, list[ExtractResult]] = {}
    for f in fetched:
        say = lines.setdefault(f.unit_id, []).append
        where = f"{f.year}年度报告 {f.url}"
        if f.status is None:
            say(f"{where}：robots.txt 不允许访问，未提取（可用 --ignore-robots 忽略）")
            continue
        if not f.ok:
            why = f"HTTP {f.status}" if f.status.isdigit() else f.status
            say(f"{where}：打开失败（{why}），未提取")
            continue
        try:
            r = extract_report(f.page, f.attachments, year=f.year)
        except ExtractError as exc:
            say(f"{where}：不是可以读取的年度报告，未提取——" + "；".join(exc.problems))
            continue
        if r.published_on is None:  # keep a date the assessor wrote down rather than blank it
            row = known[(known["unit_id"].astype(str) == f.unit_id) & (known["year"] == f.year)]
            given = row["published_on"].dropna() if "published_on" in row.columns else row.iloc[0:0]
            if len(given):
                r.published_on = pd.Timestamp(given.iloc[0]).date()
                r.warnings.append(f"页面上没有发布日期，保留底稿中的 {r.published_on.isoformat()}")
        n = r.cells["table"].value_counts()
        pub = r.published_on.isoformat() if r.published_on else "未找到"
        att = f"（从附件 {r.attachment_url} 提取）" if r.attachment_url else ""
        say(f"{where}{att}：已提取表二 {n.get('2', 0)} 格、表三 {n.get('3', 0)} 格、表四 {n.get('4', 0)} 格；发布日期 {pub}"
            + "".join(f"；注意：{w}" for w in r.warnings))
        per_unit.setdefault(f.unit_id, []).append(r)
    for uid, results in per_unit.items():
        say = lines[uid].append
        if folders is None:
            say("底稿是工作簿，年报提取结果无法并入；请用 zwgk annual-report extract --out 写入文件夹")
            continue
        try:
            written = write_annual_reports(results, uid, folders[uid], keep_file_names=True)
        except ExtractError as exc:
            say("年报提取结果未写入：" + "；".join(exc.problems))
            continue
        say("年报数据已写入 " + "、".join(str(p) for p in written))
    return lines


def _default_outputs(evidence: Path, batch: Batch, rows: pd.DataFrame, unit_ids: set[str]) -> dict[Path, pd.DataFrame]:
    """Without --out: into the evidence itself, so that `assess` reads it next.

    A workbook: ``site_checks.csv`` beside it. A folder of table files: into the folder. A unit
    folder, or a folder of unit folders: each unit's rows into its own folder.
    """
    if evidence.is_file():
        return {evidence.parent / OUT_NAME: rows}
    if (evidence / "unit.yaml").is_file():
        return {evidence / OUT_NAME: rows}
    unit_dirs = {d.name: d for d in evidence.iterdir() if d.is_dir() and (d / "unit.yaml").is_file()}
    if not unit_dirs:
        return {evidence / OUT_NAME: rows}
    files = {}
    for uid, ufile in zip(batch.units["unit_id"].astype(str), batch.units["_file"].astype(str)):
        if uid not in unit_ids:
            continue  # units not checked this time keep their files
        folder = unit_dirs[Path(ufile).parent.name]
        files[folder / OUT_NAME] = rows[rows["unit_id"] == uid]
    return files


def _clashes(files: dict[Path, pd.DataFrame], table: str = "site_checks") -> list[str]:
    """Another file of the same table beside an output would make the evidence ambiguous."""
    names = {f"{TABLES[table].name}{s}" for s in (".csv", ".xlsx")} | {
        f"{TABLES[table].alias}{s}" for s in (".csv", ".xlsx")}
    out = []
    for path in files:
        for n in names:
            other = path.parent / n
            if other.exists() and other.resolve() != path.resolve():
                out.append(f"{other} 已是{TABLES[table].alias}表，与要写入的 {path} 冲突；请删除它或用 --out 指定输出文件")
    return out


def _page_check_files(evidence: Path, batch: Batch, out: str | None, rows: pd.DataFrame,
                      unit_ids: set[str]) -> dict[Path, pd.DataFrame]:
    """page_checks.csv beside each site_checks file (--out, or the evidence), each unit's rows in its folder."""
    if out:
        return {Path(out).parent / PAGE_CHECKS_NAME: rows}
    return {p.parent / PAGE_CHECKS_NAME: df for p, df in _default_outputs(evidence, batch, rows, unit_ids).items()}



@click.command()
@click.argument("evidence", type=click.Path(exists=False))
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None,
              help="输出的网站检查表（CSV）。默认写入底稿：单位文件夹各写一份 site_checks.csv")
@click.option("--units", "units", default=None, help="只检查这些单位（单位编码，逗号分隔）")
@click.option("--max-pages", type=click.IntRange(min=0), default=500, show_default=True,
              help="每个单位最多抓取的本站页面数（首页除外）")
@click.option("--depth", type=click.IntRange(min=0), default=3, show_default=True, help="从首页起跟随链接的层数")
@click.option("--concurrency", type=click.IntRange(min=1), default=8, show_default=True, help="同时进行的请求总数")
@click.option("--per-host", type=click.IntRange(min=1), default=2, show_default=True, help="对同一主机同时进行的请求数")
@click.option("--delay", type=click.FloatRange(min=0), default=0.5, show_default=True,
              help="对同一主机两次请求之间的最短间隔（秒）")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=15.0, show_default=True,
              help="单次请求超时（秒）；国办指标：15 秒内打不开即为失败")
@click.option("--max-size", type=click.FloatRange(min=0.001), default=5.0, show_default=True,
              help="页面大小上限（MB），超过记为 too_large")
@click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True,
              help="遇到 429/503 时的重试次数（遵守 Retry-After）")
@click.option("--state", "state_path", type=click.Path(dir_okay=False), default=None,
              help="进度文件（SQLite）。中断后用同一命令再次运行即从此继续；默认在输出旁，完成后删除")
@click.option("--as-of", "as_of", default=None, help="检查日期（写入 checked_on），默认今天")
@click.option("--ignore-robots", is_flag=True, default=False, help="不遵守 robots.txt（会记录在输出中）")
@click.option("--progress/--no-progress", default=None, help="在标准错误上显示进度条（默认：终端时显示）")
@click.option("--annual-reports/--no-annual-reports", "annual_reports", default=True, show_default=True,
              help="打开年度报告表（annual_reports）中的地址，提取年报数据并写入单位底稿"
                   "（annual_report_cells，更新发布日期和正文数字）；--no-annual-reports 不提取")
@lexicon_option
@click.option("--record", "record", is_flag=True, default=False,
              help="日查网：把本次检查作为检查日期当天的快照存入测评轮次库（--db），供 zwgk monitor report 汇总")
@db_option
def collect(evidence, out, units, max_pages, depth, concurrency, per_host, delay, timeout, max_size, retries,
            state_path, as_of, ignore_robots, progress, annual_reports, lexicons, record, db) -> None:
    """访问每个单位的网站（site_url），检查首页、本站页面、链接和栏目更新，写出网站检查表（site_checks）；
    检查网站标识、站内检索、首页更新和表述错误，写出网站内容检查表（page_checks）。

    底稿的年度报告表中有地址的，同时打开该地址提取年报表格（同 zwgk annual-report extract）。
    """
    lexicon = load_or_exit(lexicons)
    store = open_store_or_exit(db) if record else None
    checked_on = _checked_on_option(as_of)
    evidence_path = Path(evidence)
    batch, targets, no_site, report_notes = _targets(evidence, units, annual_reports)
    unit_ids = {t.unit_id for t in targets}
    first_out = _refuse_clashes(evidence_path, batch, out, unit_ids)
    default_state = state_path is None
    spath = Path(state_path) if state_path else first_out.parent / f".{first_out.name}.state.sqlite"
    state, checked_on = _open_state(spath, checked_on)
    if ignore_robots:
        click.echo("注意：已按 --ignore-robots 忽略 robots.txt", err=True)
    for uid in no_site:
        click.echo(f"单位 {uid} 没有网站地址（site_url），跳过", err=True)

    limits = Limits(concurrency=concurrency, per_host=per_host, delay=delay, timeout=timeout,
                    max_bytes=int(max_size * 1024 * 1024), retries=retries)
    options = Options(depth=depth, max_pages=max_pages, ignore_robots=ignore_robots, lexicon=lexicon)
    outcome = _crawl(targets, state, spath, limits, options, checked_on, progress)

    rows = outcome.rows
    files = {Path(out): rows} if out else _default_outputs(evidence_path, batch, rows, unit_ids)
    files |= _page_check_files(evidence_path, batch, out, outcome.page_checks, unit_ids)
    write_all(files)
    if default_state:
        for suffix in ("", "-wal", "-shm"):
            Path(str(spath) + suffix).unlink(missing_ok=True)

    report_lines = _extract_reports(evidence_path, batch, outcome.reports) if annual_reports else {}
    if store is not None:
        _record_day(store, checked_on, rows, outcome.page_checks)
    _echo_summary(outcome, rows, report_lines, report_notes, max_pages)
    for p in files:
        click.echo(f"已写入 {p}", err=True)


def _checked_on_option(as_of: str | None) -> dt.date | None:
    if as_of is None:
        return None
    try:
        return parse_date_text(as_of)
    except ValueError:
        _bad(f"--as-of「{as_of}」无法识别，应为 2026-11-20、2026/11/20、2026.11.20 或 2026年11月20日")


def _targets(evidence: str, units: str | None, annual_reports: bool):
    """The batch, the units to visit, those without a site, and notes on their annual-report addresses."""
    try:
        batch = load_batch(evidence)
    except EvidenceError as exc:
        fail_on_evidence(exc)
    ids = [u.strip() for u in units.split(",") if u.strip()] if units else None
    targets, errors, no_site = targets_from_batch(batch, ids)
    if errors:
        click.echo(f"有 {len(errors)} 个错误，未进行检查：", err=True)
        for e in errors:
            click.echo(f"  {e}", err=True)
        sys.exit(2)
    report_notes = add_report_urls(batch, targets) if annual_reports else []
    return batch, targets, no_site, report_notes


def _refuse_clashes(evidence_path: Path, batch: Batch, out: str | None, unit_ids: set[str]) -> Path:
    """Where the rows go, decided before any request so that a clash costs nothing; the first output."""
    empty = pd.DataFrame(columns=COLUMNS)
    planned = {Path(out): empty} if out else _default_outputs(evidence_path, batch, empty, unit_ids)
    if out and Path(out).name == PAGE_CHECKS_NAME:
        _bad(f"--out {out}：{PAGE_CHECKS_NAME} 是网站内容检查表写在 --out 旁的文件名，请给网站检查表另取文件名（如 site_checks.csv）")
    clashes = _clashes(planned) + _clashes(_page_check_files(evidence_path, batch, out, pd.DataFrame(
        columns=PAGE_CHECK_COLUMNS), unit_ids), "page_checks")
    if clashes:
        for c in clashes:
            click.echo(f"错误：{c}", err=True)
        sys.exit(2)
    return next(iter(planned)) if planned else Path(OUT_NAME)


def _open_state(spath: Path, checked_on: dt.date | None) -> tuple[State, dt.date]:
    """The resumable progress file, and the check date (the option, else the one it holds, else today)."""
    try:
        state = State(spath)
        stored = state.bind(checked_on.isoformat() if checked_on else None)
    except StateError as exc:
        _bad(str(exc))
    if checked_on is None:
        checked_on = dt.date.fromisoformat(stored) if stored else dt.date.today()
        state.bind(checked_on.isoformat())
        how = "续用进度文件中的检查日期" if stored else "今天（未指定 --as-of）"
    else:
        how = "--as-of"
    pages_before, links_before = state.counts()
    click.echo(f"检查日期：{checked_on.isoformat()}（{how}）", err=True)
    click.echo(f"User-Agent：{USER_AGENT}", err=True)
    if pages_before or links_before:
        click.echo(f"从进度文件 {spath} 继续：已有 {pages_before} 个页面、{links_before} 个链接的结果，不再重复访问", err=True)
    return state, checked_on


def _crawl(targets, state: State, spath: Path, limits: Limits, options: Options, checked_on: dt.date, progress):
    """Run the crawl; Ctrl-C keeps the progress file and says how to resume (exit 130)."""
    try:
        outcome = run(targets, state, limits, options, checked_on, progress=Progress(enabled=progress),
                      log=lambda s: click.echo(s, err=True))
    except KeyboardInterrupt:
        state.close()
        click.echo(f"\n已中断。进度已保存在 {spath}，再次运行同一命令即可继续（已完成的地址不会重复访问）。", err=True)
        sys.exit(130)
    state.close()
    return outcome


def _record_day(store, checked_on: dt.date, rows, page_checks) -> None:
    from scoring.store.monitor import record_day

    with exit_on_store_errors():
        n = record_day(store, checked_on, rows, page_checks)
    store.close()
    click.echo(f"已把 {checked_on.isoformat()} 的日查网快照（{n} 个单位）记录到 {store.where}", err=True)


def _echo_summary(outcome, rows, report_lines: dict, report_notes: list[str], max_pages: int) -> None:
    click.echo(f"检查完成：共 {len(rows)} 条记录，本次发出 {outcome.requests} 个请求。", err=True)
    for s in outcome.summaries:
        if s.home_status is None:
            click.echo(f"  {s.unit_id}：未检查（{s.note}）", err=True)
        else:
            line = (f"  {s.unit_id}：首页 {s.home_status}；本站页面 {s.pages} 个，栏目页 {s.columns} 个；"
                    f"链接 {s.links} 个，其中失效 {s.failed_links} 个")
            if s.robots_skipped:
                line += f"；robots.txt 不允许而跳过 {s.robots_skipped} 个"
            if s.capped:
                line += f"；已达 --max-pages {max_pages} 上限，其余本站页面只检查链接"
            click.echo(line, err=True)
        for rl in report_lines.get(s.unit_id, []):
            click.echo(f"  {s.unit_id} 年报：{rl}", err=True)
    for n in report_notes:
        click.echo(f"  {n}", err=True)
