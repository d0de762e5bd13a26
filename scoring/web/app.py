"""The Starlette application of `zwgk serve`: routes, templates, and the error pages.

Store reads happen on the event loop (a local tool, one office); scoring an
upload runs in a worker thread. Nothing here writes to the store.
"""

from __future__ import annotations

import datetime as dt
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from scoring.store import StoreError, UnknownRound, open_store
from scoring.web.charts import HEIGHT, WIDTH

TEMPLATES = Path(__file__).parent / "templates"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Settings:
    """What the pages need besides the store: report options, the calendar, the urge period, today."""

    def __init__(self, report_options=None, urge_workdays: int | None = None, rubric: str | None = None,
                 today=dt.date.today):
        from scoring.report.options import ReportOptions
        from scoring.workdays import WorkCalendar

        self.report_options = report_options or ReportOptions()
        self.calendar = WorkCalendar.load(self.report_options.calendar)
        if urge_workdays is None:   # imported only then: the loop loads docxtpl, which the first page does not need
            from scoring.loop.overdue import DEFAULT_URGE_WORKDAYS as urge_workdays
        self.urge_workdays = urge_workdays
        self.rubric = rubric
        self.today = today


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["q"] = lambda params: urlencode({k: v for k, v in params.items() if v not in (None, "")})
    env.filters["u"] = lambda text: quote(str(text), safe="")
    env.filters["table_zh"] = table_zh
    env.globals.update(chart_w=WIDTH, chart_h=HEIGHT)
    return env


def table_zh(name: str) -> str:
    """An evidence table as the units know it: its Chinese name (the self-check page's wording)."""
    from scoring.evidence.schema import TABLES

    spec = TABLES.get(name)
    return getattr(spec, "alias", None) or name if spec is not None else name


def create_app(db=None, settings: Settings | None = None, token: str | None = None) -> Starlette:
    """The app over the store ``db`` (a SQLite path or URL; None: ZWGK_DB, else ./zwgk.db)."""
    from scoring.web import views

    store = open_store(db)
    settings = settings or Settings()
    env = environment()

    def bind(fn):
        return partial(fn, store=store, settings=settings, env=env)

    routes = [
        Route("/", bind(views.rounds_page)),
        Route("/round", bind(views.round_page)),
        Route("/round/unit", bind(views.round_unit_page)),
        Route("/round/ranking.xlsx", bind(views.ranking_download)),
        Route("/round/bulletin.docx", bind(views.bulletin_download)),
        Route("/round/notices.zip", bind(views.notices_download)),
        Route("/unit", bind(views.unit_view)),
        Route("/unit/document.docx", bind(views.unit_document_download)),
        Route("/todo", bind(views.todo_page)),
        Route("/check", bind(views.check_form), methods=["GET"]),
        Route("/check", bind(views.check_upload), methods=["POST"]),
    ]

    async def store_error(request: Request, exc: StoreError) -> Response:
        unknown = isinstance(exc, UnknownRound)
        return HTMLResponse(env.get_template("error.html.j2").render(title="找不到" if unknown else "无法显示",
                                                                    message=str(exc)), 404 if unknown else 500)

    async def http_error(request: Request, exc: HTTPException) -> Response:
        return HTMLResponse(env.get_template("error.html.j2").render(title="无法显示", message=exc.detail),
                            exc.status_code)

    @asynccontextmanager
    async def lifespan(app):
        yield
        store.close()

    app = Starlette(routes=routes, exception_handlers={StoreError: store_error, HTTPException: http_error},
                    lifespan=lifespan)
    app.state.store = store
    if token:
        from scoring.web.auth import TokenMiddleware

        return TokenMiddleware(app, token)
    return app


def html(env: Environment, template: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(env.get_template(template).render(**context), status,
                        headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                                            "img-src data:; form-action 'self'",
                                 "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"})


def download(data: bytes, filename: str, media_type: str) -> Response:
    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
                             "X-Content-Type-Options": "nosniff"})


async def in_thread(fn, *args):
    return await run_in_threadpool(fn, *args)
