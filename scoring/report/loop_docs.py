"""The rectification loop's outputs: recheck.csv / recheck.xlsx / 复核意见, overdue.csv / 催办函 / 逾期通报.

Documents use the shipped templates of ``make_notice_template`` (the same 公文
layout as the 整改通知书) and the notices' rendering (``render_documents``:
docxtpl + Markdown, a process pool for many units). Evidence text reaches
them only as context values.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pandas as pd

from scoring.safe_csv import table_bytes
from scoring.loop.overdue import NAME_PUBLICLY, URGE
from scoring.loop.recheck import (
    FIXED,
    HISTORIC,
    NEW,
    NOT_SUBMITTED,
    OPEN,
    PARTIAL,
    STATUSES,
    STILL_OPEN,
    TO_RECTIFY,
    Recheck,
    points_text,
    rate_text,
)
from scoring.report.common import TEMPLATES, clean_text, cn_date, cn_ordinal, render_docx, md_template, notice_stems
from scoring.report.notices import deadline_of, notice_workers, render_documents
from scoring.report.options import ReportOptions
from scoring.report.workbook import _Sheet
from scoring.workdays import WorkCalendar

RECHECK_TEMPLATE = TEMPLATES / "recheck.docx"
RECHECK_MD = TEMPLATES / "recheck.md.j2"
URGE_TEMPLATE = TEMPLATES / "urge.docx"
URGE_MD = TEMPLATES / "urge.md.j2"
OVERDUE_BULLETIN_TEMPLATE = TEMPLATES / "overdue_bulletin.docx"
OVERDUE_BULLETIN_MD = TEMPLATES / "overdue_bulletin.md.j2"

RECHECK_CSV_HEADER = ["unit_id", "indicator_id", "ref", "status", "before", "after", "message"]
OVERDUE_CSV_HEADER = ["unit_id", "doc_number", "deadline", "workdays_overdue", "status"]

#: default 文号 patterns (the notices' default would repeat their numbers)
RECHECK_DOC_NUMBER = "政务公开复核〔{year}〕{n}号"
URGE_DOC_NUMBER = "政务公开催办〔{year}〕{n}号"


# -- shared ------------------------------------------------------------------------------------------


def _pts(value) -> str:
    return points_text(value)


def item_text(message: str, ref: str, status: str, before, after) -> str:
    """One finding as a document lists it: the message, then where and how it stands."""
    where = f"底稿编号：{clean_text(ref)}；" if ref else ""
    deduction = ""
    if status == PARTIAL:
        deduction = f"，扣分由{_pts(before)}分降为{_pts(after)}分"
    elif status in (OPEN, NEW, TO_RECTIFY) and after:
        deduction = f"，扣{_pts(after)}分"
    elif status == NOT_SUBMITTED and before:
        deduction = f"，原扣{_pts(before)}分"
    return f"{clean_text(message)}（{where}{status}{deduction}）"


def indicator_groups(rows: pd.DataFrame, titles: dict[str, str]) -> list[dict]:
    """Rows (unit_id, indicator_id, ref, status, before, after, message) grouped by indicator, in
    the rows' order: [{heading, id, title, findings: [{no, text}]}]."""
    out: list[dict] = []
    for ind, g in rows.groupby("indicator_id", sort=False):
        n = len(out) + 1
        title = clean_text(titles.get(ind, ""))
        out.append({
            "no": n, "id": clean_text(ind), "title": title,
            "heading": f"（{cn_ordinal(n)}）{clean_text(ind)} {title}".rstrip(),
            "findings": [{"no": j, "text": item_text(r.message, r.ref, r.status, r.before, r.after)}
                         for j, r in enumerate(g.itertuples(index=False), 1)],
        })
    return out


def _letterhead(opts: ReportOptions, doc_number: str, title: str, day: dt.date) -> dict:
    return {"issuer": clean_text(opts.issuer), "issuer_mark": clean_text(opts.issuer),
            "doc_number": clean_text(doc_number), "title": title, "contact": clean_text(opts.contact),
            "issue_date": day.isoformat(), "issue_date_cn": cn_date(day)}


def _holidays_text(calendar: WorkCalendar, start: dt.date, end: dt.date) -> str:
    names = []
    for day in calendar.crossed(start, end):
        if not day.workday and day.name and day.name not in names:
            names.append(day.name)
    return f"，期间{'、'.join(names)}假期不计" if names else "，节假日不计"


# -- recheck -----------------------------------------------------------------------------------------


def recheck_csv(rc: Recheck) -> bytes:
    """recheck.csv: one row per finding key, UTF-8 with BOM, text that cannot be read as a formula."""
    r = rc.rows
    columns = [r["unit_id"], r["indicator_id"], r["ref"], r["status"], r["before"].map(_pts), r["after"].map(_pts),
               r["message"]]
    return table_bytes(RECHECK_CSV_HEADER, columns, numeric={"before", "after"})


def build_recheck_workbook(rc: Recheck, baseline_name: str, path: Path) -> Path:
    """recheck.xlsx: 复核汇总 (per unit: counts, 整改率, 复核结论) and 复核明细 (every finding)."""
    from openpyxl import Workbook

    wb = Workbook()
    title = (f"整改复核（基准轮次 {baseline_name}，基准日 {rc.baseline.as_of}；复核基准日 {rc.new.as_of}；"
             f"评分细则 {rc.new.rubric.id} 版本 {rc.new.rubric.version}）")
    cols = [("单位编码", 12), ("单位名称", 26), ("应整改", 8)] + [(s, 9) for s in STATUSES] + \
        [("整改率", 9), ("复核结论", 12)]
    s = _Sheet(wb, "复核汇总", title, cols, first=True)
    for u in rc.units.to_dict("records"):
        counts = [int(u[st]) for st in STATUSES]
        s.add([u["unit_id"], u["name"], int(u["counted"]), *counts, rate_text(u["rate"]), u["verdict"]],
              numeric=set(range(2, 3 + len(STATUSES))))
    s.finish()
    titles = {i.id: i.title for i in rc.new.indicators}
    s = _Sheet(wb, "复核明细", title, [("单位编码", 12), ("单位名称", 22), ("指标", 8), ("指标名称", 14),
                                       ("证据编号", 16), ("复核状态", 14), ("原扣分", 8), ("现扣分", 8), ("问题", 70)])
    for r in rc.rows.itertuples(index=False):
        s.add([r.unit_id, rc.names.get(r.unit_id, ""), r.indicator_id, titles.get(r.indicator_id, ""), r.ref,
               r.status, _float(r.before), _float(r.after), r.message], numeric={6, 7}, wrap={8})
    s.finish()
    wb.properties.title = title
    wb.properties.creator = "zwgk"
    wb.save(path)
    return path


def _float(value):
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else float(Fraction(value))


def recheck_context(rc: Recheck, unit: dict, seq: int, baseline_name: str, opts: ReportOptions,
                    calendar: WorkCalendar) -> dict:
    """Everything the 复核意见 templates show, for one unit (a record of ``rc.units``)."""
    start, deadline, _ = deadline_of(rc.new, opts, calendar)
    titles = {i.id: i.title for i in rc.new.indicators}
    rows = rc.rows[rc.rows["unit_id"] == unit["unit_id"]]
    open_rows = rows[rows["status"].isin(STILL_OPEN)]
    new_rows = rows[rows["status"] == NEW]
    counts = {s: int((rows["status"] == s).sum()) for s in STATUSES}
    rubric = clean_text(rc.new.rubric.title)
    base_day = cn_date(dt.date.fromisoformat(rc.baseline.as_of))
    intro = (f"根据《{rubric}》，{clean_text(opts.issuer)}以{cn_date(dt.date.fromisoformat(rc.new.as_of))}为复核基准日，"
             f"对照“{clean_text(baseline_name)}”测评（评估基准日{base_day}）发现的问题，对你单位整改情况进行了复核。")
    if counts[NOT_SUBMITTED]:
        summary = (f"你单位未提交整改材料，测评发现的{int(unit['counted'])}个应整改问题均未整改。"
                   f"复核结论：{unit['verdict']}。")
    else:
        summary = (f"测评发现你单位应整改问题{int(unit['counted'])}个，已整改{counts[FIXED]}个、部分整改{counts[PARTIAL]}个、"
                   f"未整改{counts[OPEN]}个，整改率{rate_text(unit['rate'])}。复核结论：{unit['verdict']}。")
    if counts[HISTORIC]:
        summary += (f"另有{counts[HISTORIC]}个问题属已办结事项的时效问题（如逾期答复、逾期发布），已无法整改，"
                    f"列为历史问题，不计入整改率。")
    inds = sorted({*open_rows["indicator_id"], *new_rows["indicator_id"]}, key=list(titles).index)
    rectify = {i.id: i.rectify for i in rc.new.indicators}
    rectify_items = [{"label": f"（{cn_ordinal(k)}）{clean_text(i)} {clean_text(titles.get(i, ''))}：",
                      "text": clean_text(rectify.get(i) or "按测评细则要求整改。")} for k, i in enumerate(inds, 1)]
    if len(open_rows):
        deadline_text = (f"请你单位对上述尚未整改到位的问题继续整改，于{cn_date(deadline)}前完成（自本意见印发之日起"
                         f"{opts.rectify_workdays}个工作日{_holidays_text(calendar, start, deadline)}），并报送整改情况报告"
                         f"（逐条说明整改措施和完成时间，附整改后的网页地址或截图）。逾期仍未整改到位的，将予以催办和通报。")
    else:
        deadline_text = "请你单位巩固整改成果，建立健全长效机制，防止问题反弹。"
    if len(new_rows):
        deadline_text += "新发现的问题请一并整改，下一轮测评时复核。"
    doc_number = opts.doc_number.format(n=seq, year=start.year, unit_id=unit["unit_id"])
    return {
        **_letterhead(opts, doc_number, "政务公开测评整改复核意见", start),
        "unit_id": clean_text(unit["unit_id"]),
        "unit_name": clean_text(unit["name"]),
        "verdict": unit["verdict"],
        "rate": rate_text(unit["rate"]),
        "counts": counts,
        "intro": intro,
        "summary": summary,
        "open_indicators": indicator_groups(open_rows, titles),
        "open_none": "经复核，测评发现的应整改问题均已整改到位。",
        "new_indicators": indicator_groups(new_rows, titles),
        "new_none": "复核未发现新的问题。",
        "deadline": deadline.isoformat() if len(open_rows) else "",
        "deadline_cn": cn_date(deadline) if len(open_rows) else "",
        "rectify_workdays": opts.rectify_workdays,
        "deadline_text": deadline_text,
        "rectify_items": rectify_items,
        "baseline": clean_text(baseline_name),
    }


def recheck_notices(rc: Recheck, opts: ReportOptions, calendar: WorkCalendar) -> list[tuple[str, str, dt.date, dt.date]]:
    """(unit_id, 文号, issue date, new deadline) of every 复核意见 that sets a deadline (units with open findings)."""
    start, deadline, _ = deadline_of(rc.new, opts, calendar)
    out = []
    for seq, unit_id in enumerate(rc.units["unit_id"], 1):
        if len(rc.open_rows(unit_id)):
            out.append((unit_id, clean_text(opts.doc_number.format(n=seq, year=start.year, unit_id=unit_id)),
                        start, deadline))
    return out


def write_recheck(rc: Recheck, baseline_name: str, out: Path, opts: ReportOptions, calendar: WorkCalendar,
                  workers: int | None = None) -> None:
    """recheck.csv, recheck.xlsx and notices/UNIT.docx|.md (a 复核意见 per unit) into ``out``."""
    (out / "recheck.csv").write_bytes(recheck_csv(rc))
    build_recheck_workbook(rc, baseline_name, out / "recheck.xlsx")
    folder = out / "notices"
    folder.mkdir(parents=True, exist_ok=True)
    units = rc.units.to_dict("records")
    stems = notice_stems([str(u["unit_id"]) for u in units])
    jobs = ((stems[str(u["unit_id"])], recheck_context(rc, u, seq, baseline_name, opts, calendar))
            for seq, u in enumerate(units, 1))
    render_documents(RECHECK_TEMPLATE, RECHECK_MD, folder, jobs, notice_workers(len(units), workers), len(units))


# -- overdue -----------------------------------------------------------------------------------------


def overdue_csv(late: pd.DataFrame) -> bytes:
    columns = [late["unit_id"], late["doc_number"], late["deadline"].map(lambda d: d.isoformat()),
               late["workdays_overdue"].astype(str), late["status"]]
    return table_bytes(OVERDUE_CSV_HEADER, columns, numeric={"workdays_overdue"})


def urge_context(row, name: str, notice_kind: str, open_rows: pd.DataFrame, titles: dict[str, str], seq: int,
                 urge_workdays: int, opts: ReportOptions, day: dt.date, calendar: WorkCalendar) -> dict:
    """The 催办函 of one late unit (a row of ``overdue_units``); ``notice_kind``: 整改通知书 or 复核意见."""
    until = calendar.add_workdays(day, urge_workdays)
    deadline = row.deadline
    intro = (f"{clean_text(opts.issuer)}印发的{notice_kind}（{clean_text(row.doc_number)}）要求你单位于{cn_date(deadline)}前"
             f"完成整改并报送整改情况。截至{cn_date(day)}，已逾期{int(row.workdays_overdue)}个工作日，"
             f"尚未复核确认整改到位。现予催办。")
    requirement = (f"请你单位于{cn_date(until)}前（{urge_workdays}个工作日{_holidays_text(calendar, day, until)}）"
                   f"完成上述问题的整改，并书面报送整改情况报告（逐条说明整改措施和完成时间，附整改后的网页地址或截图）。"
                   f"逾期仍未整改到位的，将予以通报。")
    doc_number = opts.doc_number.format(n=seq, year=day.year, unit_id=row.unit_id)
    return {
        **_letterhead(opts, doc_number, "政务公开测评问题整改催办函", day),
        "unit_id": clean_text(row.unit_id),
        "unit_name": clean_text(name),
        "notice_doc_number": clean_text(row.doc_number),
        "deadline_cn": cn_date(deadline),
        "workdays_overdue": int(row.workdays_overdue),
        "intro": intro,
        "open_indicators": indicator_groups(open_rows, titles),
        "open_none": "（整改通知所列问题详见原通知。）",
        "requirement": requirement,
        "urge_deadline_cn": cn_date(until),
    }


def overdue_bulletin_context(named: pd.DataFrame, names: dict[str, str], open_rows: dict[str, pd.DataFrame],
                             titles: dict[str, str], seq: int, urge_workdays: int, opts: ReportOptions,
                             day: dt.date) -> dict:
    """The 通报 naming the units urged and still not fixed (rows of ``overdue_units`` with status 通报)."""
    rows, units = [], []
    for k, r in enumerate(named.itertuples(index=False), 1):
        name = clean_text(names.get(r.unit_id, r.unit_id))
        rows.append({"name": name, "doc_number": clean_text(r.doc_number), "deadline": r.deadline.isoformat(),
                     "workdays_overdue": str(int(r.workdays_overdue)), "urged_on": r.urged_on.isoformat()})
        unit_rows = open_rows.get(r.unit_id)
        items = [] if unit_rows is None else [f"{g['id']} {g['title']}：{f['text']}"
                                              for g in indicator_groups(unit_rows, titles) for f in g["findings"]]
        units.append({"heading": f"（{cn_ordinal(k)}）{name}",
                      "findings": [{"no": j, "text": text} for j, text in enumerate(items, 1)]})
    intro = (f"截至{cn_date(day)}，以下{len(named)}个单位未按整改通知要求在期限内完成整改，"
             f"经催办后{urge_workdays}个工作日仍未整改到位。为严肃工作纪律，现予通报。")
    requirements = ("被通报单位要高度重视，主要负责同志要亲自过问，对照问题清单逐项整改，"
                    f"于{urge_workdays}个工作日内将整改情况书面报送{clean_text(opts.issuer)}。"
                    "各单位要引以为戒，举一反三，切实提升政务公开工作质量。整改情况纳入年度考核。")
    doc_number = opts.doc_number.format(n=seq, year=day.year, unit_id="")
    return {**_letterhead(opts, doc_number, "关于政务公开测评问题逾期未整改单位的通报", day),
            "addressee": "各有关单位", "intro": intro, "rows": rows, "units": units, "requirements": requirements}


def write_overdue(late: pd.DataFrame, loop, open_rows: dict[str, pd.DataFrame], out: Path, opts: ReportOptions,
                  calendar: WorkCalendar, day: dt.date, urge_workdays: int, workers: int | None = None) -> None:
    """overdue.csv, urges/UNIT.docx|.md (a 催办函 per unit to urge) and bulletin.docx|.md (when some are named).

    ``loop``: what is on record (``LoopRecord``: unit names, indicator titles, notice kinds).
    """
    names, titles = loop.names, loop.titles
    (out / "overdue.csv").write_bytes(overdue_csv(late))
    to_urge = list(late[late["status"] == URGE].itertuples(index=False))
    if to_urge:
        folder = out / "urges"
        folder.mkdir(parents=True, exist_ok=True)
        empty = pd.DataFrame(columns=RECHECK_CSV_HEADER)
        stems = notice_stems([str(r.unit_id) for r in to_urge])
        jobs = ((stems[str(r.unit_id)],
                 urge_context(r, names.get(r.unit_id, r.unit_id), loop.notice_kinds.get(r.unit_id, "整改通知书"),
                              open_rows.get(r.unit_id, empty), titles, seq, urge_workdays, opts, day, calendar))
                for seq, r in enumerate(to_urge, 1))
        render_documents(URGE_TEMPLATE, URGE_MD, folder, jobs, notice_workers(len(to_urge), workers), len(to_urge))
    named = late[late["status"] == NAME_PUBLICLY]
    if len(named):
        ctx = overdue_bulletin_context(named, names, open_rows, titles, len(to_urge) + 1, urge_workdays, opts, day)
        render_docx(OVERDUE_BULLETIN_TEMPLATE, ctx, out / "bulletin.docx")
        (out / "bulletin.md").write_text(md_template(OVERDUE_BULLETIN_MD).render(ctx), encoding="utf-8")
