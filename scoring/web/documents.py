"""The documents a page links to, rendered on demand from the stored results by the report functions.

Nothing is stored: each download renders into a temporary folder that is
removed once the response is built. A unit's notice (整改通知书) or 复核意见 is
rendered with the 文号, issue date and deadline recorded for it, so the
document says what was issued.
"""

from __future__ import annotations

import dataclasses
import io
import tempfile
import zipfile
from pathlib import Path

from scoring.report.options import ReportOptions
from scoring.store import KIND_RECHECK, Store


def _read_tree(folder: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder).as_posix())
    return buf.getvalue()


def ranking_xlsx(store: Store, name: str) -> bytes:
    from scoring.report.workbook import build_workbook

    results = store.load_results(name)
    with tempfile.TemporaryDirectory(prefix="zwgk-serve-") as tmp:
        return build_workbook(results, Path(tmp) / "ranking.xlsx").read_bytes()


def bulletin_docx(store: Store, name: str, opts: ReportOptions) -> bytes:
    from scoring.report.bulletin import render_bulletin

    results = store.load_results(name)
    with tempfile.TemporaryDirectory(prefix="zwgk-serve-") as tmp:
        render_bulletin(results, Path(tmp), opts)
        return (Path(tmp) / "bulletin.docx").read_bytes()


def notices_zip(store: Store, name: str, opts: ReportOptions, calendar) -> bytes:
    """Every notice of an assessment round (notices/UNIT.docx|.md), as ``zwgk report`` writes them."""
    from scoring.report.notices import render_notices

    results = store.load_results(name)
    with tempfile.TemporaryDirectory(prefix="zwgk-serve-") as tmp:
        render_notices(results, Path(tmp), opts, calendar, workers=1)
        return _read_tree(Path(tmp))


def _as_recorded(opts: ReportOptions, notice, calendar) -> ReportOptions:
    """The options that reproduce a recorded notice: its literal 文号, issue date and deadline."""
    literal = notice.doc_number.replace("{", "{{").replace("}", "}}")
    days = max(calendar.workdays_between(notice.issue_date, notice.deadline), 1)
    return dataclasses.replace(opts, doc_number=literal, issue_date=notice.issue_date, rectify_workdays=days)


def unit_document(store: Store, round_name: str, unit_id: str, opts: ReportOptions, calendar) -> bytes | None:
    """The unit's 整改通知书 (a 测评 round) or 复核意见 (a 复核 round) as .docx; None when it had none."""
    from scoring.report.common import notice_stems
    from scoring.report.notices import DEFAULT_TEMPLATE, MD_TEMPLATE, notice_context, render_documents

    notice = next(iter(store.notices(round_name, unit_id)), None)
    if notice is None:
        return None
    info = store.round(round_name)
    opts = _as_recorded(opts, notice, calendar)
    stem = notice_stems([unit_id])[unit_id]
    if info.kind == KIND_RECHECK:
        from scoring.loop.recheck import Recheck
        from scoring.report.loop_docs import RECHECK_MD, RECHECK_TEMPLATE, recheck_context

        rc = Recheck(store.load_results(info.baseline), store.load_results(round_name))
        unit = next(u for u in rc.units.to_dict("records") if str(u["unit_id"]) == unit_id)
        job = (stem, recheck_context(rc, unit, 1, info.baseline, opts, calendar))
        template, md = RECHECK_TEMPLATE, RECHECK_MD
    else:
        results = store.load_results(round_name)
        template = Path(opts.notice_template) if opts.notice_template else DEFAULT_TEMPLATE
        job, md = (stem, notice_context(results, results.unit(unit_id), 1, opts, calendar)), MD_TEMPLATE
    with tempfile.TemporaryDirectory(prefix="zwgk-serve-") as tmp:
        render_documents(template, md, Path(tmp), [job], 1, 1)
        return (Path(tmp) / f"{stem}.docx").read_bytes()
