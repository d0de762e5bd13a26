"""The page handlers: read the query, call ``pages`` / ``documents`` / the self-check, render."""

from __future__ import annotations

import datetime as dt

from starlette.exceptions import HTTPException
from starlette.requests import Request

from scoring.web import pages
from scoring.web.app import DOCX, XLSX, download, html, in_thread


def _as_of(request: Request, settings) -> tuple[dt.date, bool]:
    from scoring.dates import parse_date_text

    text = request.query_params.get("as_of", "").strip()
    if not text:
        return settings.today(), False
    try:
        return parse_date_text(text), True
    except ValueError:
        raise HTTPException(400, f"检查日「{text}」无法识别，应为 2026-11-20、2026/11/20、2026.11.20 或 2026年11月20日")


def _int(request: Request, name: str, default: int) -> int:
    try:
        return int(request.query_params.get(name, default))
    except ValueError:
        return default


def _required(request: Request, name: str, what: str) -> str:
    value = request.query_params.get(name, "")
    if not value:
        raise HTTPException(400, f"缺少{what}（地址中的 {name}=）")
    return value


async def rounds_page(request: Request, store, settings, env):
    return html(env, "rounds.html.j2", cards=pages.rounds_overview(store), nav="rounds")


async def round_page(request: Request, store, settings, env):
    name = _required(request, "name", "轮次名称")
    info = store.round(name)
    params = {k: request.query_params.get(k, "") for k in ("group", "grade", "q", "sort", "desc")}
    ranked = None
    if info.has_results:
        ranked = pages.ranked_table(store, name, group=params["group"], grade=params["grade"], q=params["q"],
                                    sort=params["sort"] or "rank", desc=params["desc"] == "1",
                                    page=_int(request, "page", 1))
    urges = store.urges(name)
    return html(env, "round.html.j2", info=info, ranked=ranked, params=params, urges=urges,
                sort_keys=pages.SORT_KEYS, nav="rounds")


async def round_unit_page(request: Request, store, settings, env):
    name, unit_id = _required(request, "name", "轮次名称"), _required(request, "unit", "单位编码")
    found = pages.unit_findings(store, name, unit_id)
    if found is None:
        raise HTTPException(404, f"测评轮次「{name}」没有单位「{unit_id}」的评分")
    return html(env, "round_unit.html.j2", f=found, points=pages.points, nav="rounds")


async def ranking_download(request: Request, store, settings, env):
    name = _required(request, "name", "轮次名称")
    return download(await in_thread(documents().ranking_xlsx, store, name), f"{name}_ranking.xlsx", XLSX)


async def bulletin_download(request: Request, store, settings, env):
    name = _required(request, "name", "轮次名称")
    data = await in_thread(documents().bulletin_docx, store, name, settings.report_options)
    return download(data, f"{name}_通报.docx", DOCX)


async def notices_download(request: Request, store, settings, env):
    name = _required(request, "name", "轮次名称")
    data = await in_thread(documents().notices_zip, store, name, settings.report_options, settings.calendar)
    return download(data, f"{name}_整改通知书.zip", "application/zip")


async def unit_view(request: Request, store, settings, env):
    unit_id = _required(request, "id", "单位编码")
    as_of, given = _as_of(request, settings)
    page = pages.unit_page(store, unit_id, as_of, settings.calendar, settings.urge_workdays)
    if page is None:
        raise HTTPException(404, f"单位「{unit_id}」不在 {store.where} 的任何轮次中")
    return html(env, "unit.html.j2", p=page, h=page.history, as_of=as_of, points=pages.points, nav="rounds")


async def unit_document_download(request: Request, store, settings, env):
    unit_id, name = _required(request, "id", "单位编码"), _required(request, "round", "轮次名称")
    data = await in_thread(documents().unit_document, store, name, unit_id, settings.report_options,
                           settings.calendar)
    if data is None:
        raise HTTPException(404, f"测评轮次「{name}」没有向单位「{unit_id}」印发整改通知书或复核意见")
    kind = "复核意见" if store.round(name).kind == "复核" else "整改通知书"
    return download(data, f"{unit_id}_{name}_{kind}.docx", DOCX)


async def todo_page(request: Request, store, settings, env):
    as_of, given = _as_of(request, settings)
    rows, counts = pages.todo_rows(store, as_of, settings.calendar, settings.urge_workdays)
    return html(env, "todo.html.j2", rows=rows, counts=counts, as_of=as_of, given=given,
                urge_workdays=settings.urge_workdays, nav="todo")


async def check_form(request: Request, store, settings, env):
    return html(env, "check_form.html.j2", errors=[], today=settings.today(), nav="check")


async def check_upload(request: Request, store, settings, env):
    from scoring.web.selfcheck import CheckRefused, run_check
    from starlette.formparsers import MultiPartException

    from scoring.web.upload import MAX_UPLOAD_BYTES, UploadError

    length = request.headers.get("content-length")
    try:
        if length is not None and int(length) > MAX_UPLOAD_BYTES + 64 * 1024:
            raise UploadError(f"上传的内容共 {int(length) // 1024 // 1024} MB，超过上限 "
                              f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB")
        async with request.form(max_files=200, max_fields=20, max_part_size=MAX_UPLOAD_BYTES) as form:
            files = [(f.filename or "", await f.read()) for f in form.getlist("evidence") if hasattr(f, "read")]
            fields = {k: str(form.get(k) or "").strip() for k in ("as_of", "unit")}
        page = await in_thread(run_check, files, fields["as_of"], fields["unit"] or None, settings)
    except (UploadError, CheckRefused) as exc:
        messages = exc.messages if isinstance(exc, CheckRefused) else [str(exc)]
        return html(env, "check_form.html.j2", 400, errors=messages, today=settings.today(), nav="check")
    except MultiPartException as exc:   # the multipart parser's own limits
        return html(env, "check_form.html.j2", 400, errors=[f"上传内容无法读取：{exc}"], today=settings.today(),
                    nav="check")
    from starlette.responses import HTMLResponse

    return HTMLResponse(page, headers={"X-Content-Type-Options": "nosniff"})


def documents():
    from scoring.web import documents as docs

    return docs
