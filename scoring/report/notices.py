"""整改通知书: one per unit with problems, as .docx (docxtpl) and .md, from results.json alone.

A unit gets a notice when it has a finding to rectify (a deduction, a veto, or
evidence it did not provide); a clean unit gets none. The deadline is the issue
date plus N working days on the official calendar (start day not counted).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import pickle
import time
import traceback
from pathlib import Path

from scoring.report.common import (
    KIND_ZH,
    PROBLEM_KINDS,
    TEMPLATES,
    clean_text,
    cn_date,
    cn_ordinal,
    has_problems,
    issue_date,
    md_template,
    pts,
    notice_stems,
    render_docx,
)
from scoring.report.options import ReportOptions, workers_from_env
from scoring.results import Results, UnitResult
from scoring.workdays import WorkCalendar

DEFAULT_TEMPLATE = TEMPLATES / "notice.docx"
MD_TEMPLATE = TEMPLATES / "notice.md.j2"
TITLE = "政务公开测评问题限期整改通知书"


def units_with_problems(results: Results) -> list[UnitResult]:
    """Units that get a notice, in ranking order (group, rank, unit_id)."""
    return [u for u in results.units if has_problems(u)]


def notice_names(results: Results) -> dict[str, str]:
    """unit id -> its notice's file name without extension, for each unit that gets a notice.

    Usually the unit id itself; see :func:`scoring.report.common.notice_stems` for ids that
    cannot be file names as they stand (the workbook's 总体排名 sheet shows every name).
    """
    return notice_stems([u.unit_id for u in units_with_problems(results)])


def _finding_text(f) -> str:
    ref = clean_text(f.ref)
    # a finding without an evidence id concerns the unit as a whole (C4's share, a missing home-page
    # check): say so, never that its evidence was not provided
    where = f"底稿编号：{ref}" if ref else "本项按单位整体核查"
    if f.kind == "veto":
        tail = f"（{where}）" if ref else ""
    elif f.kind == "not_provided":
        tail = f"（扣{pts(f.deduction)}分）" if f.deduction.fraction else ""
    else:
        tail = f"（{where}；扣{pts(f.deduction)}分）"
    return clean_text(f.message) + tail


def problem_indicators(unit: UnitResult) -> list[dict]:
    """Indicators with problems, in rubric order, each with its numbered findings."""
    out = []
    for ind in unit.indicators:
        fs = [f for f in ind.findings if f.kind in PROBLEM_KINDS]
        if not fs:
            continue
        n = len(out) + 1
        score = "否决" if any(f.kind == "veto" for f in fs) and ind.score is None else pts(ind.score)
        vetoed = any(f.kind == "veto" for f in fs)
        heading = (f"（{cn_ordinal(n)}）{clean_text(ind.id)} {clean_text(ind.title)}"
                   f"（本项{pts(ind.max)}分，得{score}分{'，单项否决' if vetoed else ''}）")
        rectify = next((clean_text(f.rectify) for f in fs if f.rectify), "")
        out.append({
            "no": n,
            "id": ind.id,
            "title": clean_text(ind.title),
            "heading": heading,
            "score": score,
            "max": pts(ind.max),
            "vetoed": vetoed,
            "rectify": rectify,
            "findings": [{"no": j, "text": _finding_text(f), "ref": clean_text(f.ref),
                          "message": clean_text(f.message), "deduction": pts(f.deduction),
                          "kind": KIND_ZH[f.kind], "file": clean_text(f.file), "row": f.row or ""}
                         for j, f in enumerate(fs, 1)],
        })
    return out


def deadline_of(results: Results, opts: ReportOptions, calendar: WorkCalendar) -> tuple[dt.date, dt.date, str]:
    """(issue date, deadline, the holidays the period crosses, e.g. “国庆节、中秋节”)."""
    start = issue_date(results, opts.issue_date)
    end = calendar.add_workdays(start, opts.rectify_workdays)
    return start, end, holidays_crossed(calendar, start, end)


def holidays_crossed(calendar: WorkCalendar, start: dt.date, end: dt.date) -> str:
    """The holidays a period crosses, e.g. “国庆节、中秋节” (empty when none)."""
    names = []
    for day in calendar.crossed(start, end):
        if not day.workday and day.name and day.name not in names:
            names.append(day.name)
    return "、".join(names)


def crossing_text(holidays: str) -> str:
    """How a deadline sentence says the holidays are not counted."""
    return f"，期间{holidays}假期不计" if holidays else "，节假日不计"


def letterhead(opts: ReportOptions, doc_number: str, title: str, day: dt.date) -> dict:
    """The 公文 head and foot every document shares: issuer, 文号, title, contact, issue date."""
    return {"issuer": clean_text(opts.issuer), "issuer_mark": clean_text(opts.issuer),
            "doc_number": clean_text(doc_number), "title": title, "contact": clean_text(opts.contact),
            "issue_date": day.isoformat(), "issue_date_cn": cn_date(day)}


def issued_notices(results: Results, opts: ReportOptions, calendar: WorkCalendar) -> list[tuple[str, str, dt.date, dt.date]]:
    """(unit_id, 文号, issue date, deadline) of every notice ``render_notices`` issues, without rendering.

    The same numbering as the documents: units with problems in ranking order, from 1.
    """
    start, deadline, _ = deadline_of(results, opts, calendar)
    return [(u.unit_id, clean_text(opts.doc_number.format(n=seq, year=start.year, unit_id=u.unit_id)), start, deadline)
            for seq, u in enumerate(units_with_problems(results), 1)]


def notice_context(results: Results, unit: UnitResult, seq: int, opts: ReportOptions,
                   calendar: WorkCalendar) -> dict:
    """Everything the notice templates show (documented in docs/REPORTS.md)."""
    start, deadline, holidays = deadline_of(results, opts, calendar)
    as_of = dt.date.fromisoformat(results.as_of)
    inds = problem_indicators(unit)
    n_problems = sum(len(i["findings"]) for i in inds)
    name = clean_text(unit.name)
    rubric = clean_text(results.rubric.title)
    intro = (f"根据《{rubric}》，{clean_text(opts.issuer)}组织对你单位政务公开工作进行了第三方测评"
             f"（评估基准日{cn_date(as_of)}，测评期间{cn_date(dt.date.fromisoformat(results.period.start))}"
             f"至{cn_date(dt.date.fromisoformat(results.period.end))}）。")
    summary = (f"你单位测评得分{pts(unit.total)}分（满分{pts(results.full_points)}分），"
               f"在{clean_text(unit.group)}（共{unit.group_size}个单位）中排名第{unit.rank}位，"
               f"等次为“{clean_text(unit.grade)}”。测评发现问题{n_problems}个，现将有关问题和整改要求通知如下。")
    veto_lines = [f"你单位存在单项否决事项：{clean_text(v.indicator_id)} {clean_text(v.title)}，"
                  f"{clean_text(v.reason)}。依照测评细则，等次评定为“{clean_text(unit.grade)}”，不得加分。"
                  for v in unit.veto_reasons]
    crossing = crossing_text(holidays)
    deadline_text = (f"请你单位对照上述问题逐项整改，于{cn_date(deadline)}前完成（自本通知印发之日起"
                     f"{opts.rectify_workdays}个工作日{crossing}）。能够立即整改的立行立改；涉及制度机制的，"
                     f"建立健全长效机制，防止问题反弹。具体要求如下：")
    rectify_items = [{"label": f"（{cn_ordinal(i['no'])}）{i['title']}：", "text": i["rectify"] or "按测评细则要求整改。"}
                     for i in inds]
    feedback_text = (f"请于{cn_date(deadline)}前将整改情况报告（逐条对应本通知所列问题，说明整改措施、完成时间，"
                     f"附整改后的网页地址或截图，加盖公章）报送{clean_text(opts.issuer)}。"
                     f"逾期未反馈或整改不到位的，将在年度考核中予以扣分并通报。")
    doc_number = opts.doc_number.format(n=seq, year=start.year, unit_id=unit.unit_id)
    return {
        **letterhead(opts, doc_number, TITLE, start),
        "unit_id": clean_text(unit.unit_id),
        "unit_name": name,
        "group": clean_text(unit.group),
        "rank": unit.rank,
        "group_size": unit.group_size,
        "total": pts(unit.total),
        "full_points": pts(results.full_points),
        "grade": clean_text(unit.grade),
        "vetoed": unit.vetoed,
        "rubric_title": rubric,
        "as_of": results.as_of,
        "as_of_cn": cn_date(as_of),
        "intro": intro,
        "summary": summary,
        "veto_lines": veto_lines,
        "problem_count": n_problems,
        "indicators": inds,
        "deadline": deadline.isoformat(),
        "deadline_cn": cn_date(deadline),
        "deadline_holidays": holidays,
        "rectify_workdays": opts.rectify_workdays,
        "deadline_text": deadline_text,
        "rectify_items": rectify_items,
        "feedback_text": feedback_text,
    }


def notice_markdown(ctx: dict) -> str:
    """The Markdown version; every value passes the ``md`` filter (literal text)."""
    return md_template(MD_TEMPLATE).render(ctx)


#: fewer notices than this render in the calling process (starting workers costs more than it saves)
POOL_THRESHOLD = 50


def notice_workers(n_notices: int, workers: int | None = None, threshold: int = POOL_THRESHOLD) -> int:
    """How many processes render ``n_notices``: 1 (in this process) or a pool size.

    ``workers`` (or the ``ZWGK_WORKERS`` environment variable) caps the pool;
    by default it is the number of cores this process may run on.
    """
    if workers is None:
        workers = workers_from_env()
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if n_notices < max(threshold, 2):
        return 1
    return max(1, min(workers, n_notices))


def render_notices(results: Results, out_dir: Path, opts: ReportOptions, calendar: WorkCalendar,
                   workers: int | None = None, threshold: int = POOL_THRESHOLD) -> list[Path]:
    """Write notices/<unit_id>.docx and .md for each unit with problems; returns the paths.

    The contexts (and their 文号 sequence numbers) are computed here, in ranking
    order; with many notices the documents are rendered by a process pool, in
    chunks, and come out the same as rendered one by one. A bad template
    (jinja2 ``TemplateError``) raises the same exception as without the pool.
    ``workers=1`` renders here; a script that calls this with a pool needs the
    ``if __name__ == "__main__":`` guard (workers start by forkserver).
    """
    template = Path(opts.notice_template) if opts.notice_template else DEFAULT_TEMPLATE
    folder = out_dir / "notices"
    folder.mkdir(parents=True, exist_ok=True)
    units = units_with_problems(results)
    names = notice_stems([u.unit_id for u in units])
    stems = [names[u.unit_id] for u in units]
    written = [folder / f"{stem}.{ext}" for stem in stems for ext in ("docx", "md")]
    contexts = (notice_context(results, unit, seq, opts, calendar) for seq, unit in enumerate(units, 1))
    n_workers = notice_workers(len(units), workers, threshold)
    render_documents(template, MD_TEMPLATE, folder, zip(stems, contexts), n_workers, len(units))
    return written


def render_documents(template: Path, md_template_path: Path, folder: Path, jobs, n_workers: int = 1,
                     n_jobs: int | None = None) -> None:
    """Render each ``(file stem, context)`` of ``jobs`` into ``folder/stem.docx`` (docxtpl ``template``)
    and ``folder/stem.md`` (the Markdown template), in this process or a pool of ``n_workers``.

    Shared by every per-unit document (整改通知书, 复核意见, 催办函). ``jobs`` may be a
    generator: the pool starts on the first chunks while the rest are built. The
    documents come out the same as rendered one by one; the first failing job's
    exception is raised, as serially.
    """
    if n_workers == 1:
        for stem, ctx in jobs:
            _render_one(template, md_template_path, folder, stem, ctx)
        return
    chunk = max(1, math.ceil((n_jobs or n_workers * 4) / (n_workers * 4)))
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=n_workers, mp_context=_pool_context(),
                               initializer=_die_with_caller, initargs=(os.getpid(),))
    try:
        futures, batch = [], []
        for job in jobs:
            batch.append(job)
            if len(batch) == chunk:
                futures.append(pool.submit(_render_chunk, template, md_template_path, folder, batch))
                batch = []
        if batch:
            futures.append(pool.submit(_render_chunk, template, md_template_path, folder, batch))
        for fut in futures:   # in order: the first failing chunk is the first failing unit, as serially
            failure = fut.result()
            if failure is not None:
                raise failure.rebuild()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _render_one(template: Path, md_template_path: Path, folder: Path, stem: str, ctx: dict) -> None:
    render_docx(template, ctx, folder / f"{stem}.docx")
    (folder / f"{stem}.md").write_text(md_template(md_template_path).render(ctx), encoding="utf-8")


#: seconds between two checks of a pool worker that the process that started the pool still lives
LIFELINE_POLL = 0.2


def _die_with_caller(caller: int) -> None:
    """A pool worker's initializer: the worker ends when the process that started the pool does.

    A killed ``assess`` (kill -9) cannot shut its pool down, and the workers
    keep the forkserver alive (they hold its pipe), so neither notices by
    itself; without this the workers would render their queued chunks for
    minutes into a folder nobody publishes. A daemon thread checks the caller's
    pid and ends the worker at once when it is gone.
    """
    import threading

    def watch() -> None:
        while _process_alive(caller):
            time.sleep(LIFELINE_POLL)
        os._exit(1)

    threading.Thread(target=watch, name="zwgk-lifeline", daemon=True).start()


def _process_alive(pid: int) -> bool:
    if os.name == "nt":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:   # a killed process not yet reaped by its parent is a zombie: gone all the same
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _windows_process_alive(pid: int) -> bool:
    import ctypes

    kernel32 = ctypes.windll.kernel32   # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x00100000, False, pid)   # SYNCHRONIZE
    if not handle:
        return False
    try:
        return kernel32.WaitForSingleObject(handle, 0) == 0x102   # WAIT_TIMEOUT: still running
    finally:
        kernel32.CloseHandle(handle)


def _render_chunk(template: Path, md_template_path: Path, folder: Path,
                  jobs: list[tuple[str, dict]]) -> "_Failure | None":
    """A pool worker: render a chunk of documents; an exception comes back as a _Failure."""
    try:
        for stem, ctx in jobs:
            _render_one(template, md_template_path, folder, stem, ctx)
    except Exception as exc:  # noqa: BLE001 - rebuilt and raised in the caller
        return _Failure.of(exc)
    return None


def _pool_context():
    """forkserver where there is one (no fork of a threaded caller), else spawn.

    The server imports this module once; each worker is forked from it with
    docxtpl and jinja already loaded.
    """
    import multiprocessing as mp

    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload([__name__])
        return ctx
    return mp.get_context("spawn")


class _RemoteTraceback(Exception):
    def __str__(self) -> str:
        return self.args[0]


class _Failure:
    """An exception from a worker, carried back so the caller raises the same type with the same fields.

    Pickling the exception itself would not do: docxtpl hangs a one-shot ``map``
    on jinja's errors (``docx_context``), and jinja's own pickling drops it.
    """

    def __init__(self, cls: type, args: tuple, state: dict, trace: str):
        self.cls, self.args, self.state, self.trace = cls, args, state, trace

    @classmethod
    def of(cls, exc: BaseException) -> "_Failure":
        trace = "".join(traceback.format_exception(exc))
        f = cls(type(exc), tuple(_portable(a) for a in exc.args),
                {k: _portable(v) for k, v in vars(exc).items()}, trace)
        try:
            pickle.loads(pickle.dumps(f)).rebuild()
        except Exception:  # noqa: BLE001 - e.g. an exception class defined inside a function
            f = cls(RuntimeError, (f"{type(exc).__name__}: {exc}",), {}, trace)
        return f

    def rebuild(self) -> BaseException:
        exc = self.cls.__new__(self.cls, *self.args)
        exc.__dict__.update(self.state)
        exc.__cause__ = _RemoteTraceback(f'\n"""\n{self.trace}"""')
        return exc


def _portable(value):
    """``value`` if it pickles, else a list of its items (an iterator), else its repr."""
    try:
        pickle.dumps(value)
        return value
    except Exception:  # noqa: BLE001
        pass
    if not isinstance(value, (str, bytes)) and hasattr(value, "__iter__"):
        try:
            items = [v if isinstance(v, str) else repr(v) for v in value]
            return items
        except Exception:  # noqa: BLE001
            pass
    return repr(value)
