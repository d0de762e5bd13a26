"""The crawl of one unit's site and the ``site_checks`` rows it yields.

Per unit, breadth first and level by level (so the pages fetched under ``--max-pages`` and
each link's ``found_on`` do not depend on which answer came back first):

- ``home``: the unit's ``site_url``;
- ``page``: HTML pages of the same site within ``--depth`` links of home (at most
  ``--max-pages``), fetched with GET and parsed;
- ``link``: every other address found on those pages, checked once (HEAD, then GET when the
  server refuses or mishandles HEAD); a same-site page that fails to load is a ``link`` too,
  since it is a dead link on the page that holds it;
- annual reports: each URL of the unit's ``annual_reports`` evidence is fetched whole (any
  content type) for the annual-report extractor; these answers are not ``site_checks`` rows.
  A report page without report tables that links the report as an attachment (PDF, .doc ...)
  has the attachment fetched too, under the same rules (robots.txt, delays, size cap).
- ``column``: a catalog column page, from the unit's ``catalog.url`` evidence or a same-site
  page whose link text names a column (动态, 要闻, 通知公告, 政策文件 ...); ``last_updated`` is
  the newest date written on it, not later than the check date.

One row per address and unit; ``found_on`` is the first page (in crawl order) that holds it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from scoring.annual_report.attachments import Fetched, attachment_links
from scoring.collect import checks
from scoring.collect import page as pagemod
from scoring.collect.fetch import Fetcher, Limits, Response
from scoring.collect.robots import Robots
from scoring.collect.state import PageResult, State
from scoring.lexicon import Entry
from scoring.collect.urls import host_of, looks_like_html, normalize, origin_of, site_key

COLUMNS = ["unit_id", "url", "kind", "status", "checked_on", "last_updated", "found_on"]
#: HEAD answers that are retried with GET: servers that refuse or mishandle HEAD
HEAD_FALLBACK = frozenset({"400", "403", "405", "406", "409", "500", "501"})
#: link text naming a catalog column whose update date the rubric checks (RUBRIC.md A3)
COLUMN_WORDS = ("工作动态", "政务动态", "要闻", "通知公告", "公告公示", "政策文件", "部门文件", "规范性文件")
#: longer link text is an article title that merely mentions the words
COLUMN_TEXT_MAX = 12


@dataclass
class Target:
    unit_id: str
    site_url: str
    #: column pages named in the unit's catalog evidence (already normalised)
    column_urls: list[str] = field(default_factory=list)
    #: (year, normalised url) of the unit's published annual reports to fetch for extraction
    reports: list[tuple[int, str]] = field(default_factory=list)
    #: the unit's name (the search check queries it) and 网站标识码 from its evidence
    name: str = ""
    site_code: str | None = None


@dataclass
class ReportFetch:
    """The answer to one annual report URL: ``status`` None when robots.txt forbids it."""
    unit_id: str
    year: int
    url: str
    status: str | None
    final_url: str = ""
    content_type: str | None = None
    body: bytes | None = None
    #: the attachments the page links, fetched because the page itself holds no report tables
    attachments: list[Fetched] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status.isdigit() and 200 <= int(self.status) < 300 \
            and self.body is not None

    @property
    def page(self) -> Fetched:
        return Fetched(self.url, self.status, self.final_url, self.content_type, self.body)


@dataclass
class Options:
    depth: int = 3
    max_pages: int = 500
    ignore_robots: bool = False
    column_words: tuple[str, ...] = COLUMN_WORDS
    #: lexicon of wrong expressions for the text_error checks; None: no content checks (page_checks)
    lexicon: list[Entry] | None = None


@dataclass
class UnitSummary:
    unit_id: str
    home_status: str | None = None
    pages: int = 0
    columns: int = 0
    links: int = 0
    failed_links: int = 0
    robots_skipped: int = 0
    capped: bool = False
    note: str = ""


@dataclass
class _Walk:
    """What one unit's crawl has found so far."""

    pages: dict[str, "PageResult"]                              # url -> fetched page (home first)
    claimed: set[str]                                            # queued as a page (or home)
    page_order: list[str] = field(default_factory=list)          # same-site pages fetched, beyond home
    found_on: dict[str, str] = field(default_factory=dict)       # url -> the page it was found on
    anchor: dict[str, str] = field(default_factory=dict)         # url -> its link text
    link_order: list[str] = field(default_factory=list)          # links to check, in discovery order
    link_tasks: dict[str, Awaitable] = field(default_factory=dict)


class Progress:
    """A one-line progress display on stderr (only when stderr is a terminal)."""

    def __init__(self, enabled: bool | None = None, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.done = 0
        self.cached = 0
        self.queued = 0
        self.units_done = 0
        self.units = 0
        self._last = 0.0

    def add(self, n: int = 1) -> None:
        self.queued += n
        self.show()

    def finish_one(self, cached: bool) -> None:
        self.done += 1
        self.cached += cached
        self.show()

    def show(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.2:
            return
        self._last = now
        total = max(self.queued, 1)
        width = 30
        fill = int(width * self.done / total)
        bar = "█" * fill + "░" * (width - fill)
        self.stream.write(f"\r{bar} {self.done}/{self.queued} 个地址（续用进度 {self.cached}）"
                          f" 单位 {self.units_done}/{self.units} ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.show(force=True)
            self.stream.write("\n")
            self.stream.flush()


class Crawler:
    def __init__(self, fetcher: Fetcher, state: State, options: Options, checked_on: dt.date,
                 progress: Progress | None = None, log: Callable[[str], None] | None = None):
        self.f = fetcher
        self.state = state
        self.o = options
        self.checked_on = checked_on
        self.progress = progress or Progress(enabled=False)
        self.log = log or (lambda s: None)
        self._pages: dict[str, asyncio.Future] = {}
        self._links: dict[str, asyncio.Future] = {}
        self._robots: dict[str, asyncio.Future] = {}
        self._reports: dict[str, asyncio.Future] = {}
        #: annual report URLs of all targets (set by :func:`_run`)
        self.report_urls: set[str] = set()
        #: unit_id -> its page_checks rows
        self.page_checks: dict[str, list[dict]] = {}

    # -- memoised single fetches (one in flight per URL)

    def _once(self, table: dict, key: str, make: Callable[[], Awaitable]) -> Awaitable:
        fut = table.get(key)
        if fut is None:
            fut = table[key] = asyncio.ensure_future(make())
        return fut

    async def robots(self, url: str) -> Robots | None:
        if self.o.ignore_robots:
            return None
        host = host_of(url)
        return await self._once(self._robots, host, lambda: self._load_robots(url, host))

    async def _load_robots(self, url: str, host: str) -> Robots:
        cached = self.state.get_robots(host)
        if cached is None:
            r = await self.f.fetch(origin_of(url) + "/robots.txt", want_body="any")
            body = pagemod.decode(r.body, r.content_type) if r.body else ""
            self.state.put_robots(host, r.status, body)
            cached = (r.status, body)
        rb = Robots(*cached)
        if (d := rb.crawl_delay()) is not None:
            self.f.set_host_delay(host, d)
        return rb

    async def allowed(self, url: str) -> bool:
        rb = await self.robots(url)
        return rb is None or rb.allowed(url)

    def page(self, url: str) -> Awaitable[PageResult | None]:
        """GET and parse a page; None when robots.txt forbids it."""
        return self._once(self._pages, url, lambda: self._fetch_page(url))

    async def _known_or_refused(self, url: str, known) -> tuple[bool, object]:
        """Start one request: ``(True, result)`` when it is already known (resume) or robots.txt
        forbids it (result None); ``(False, None)`` when it is to be fetched now."""
        self.progress.add()
        if known is not None:
            self.progress.finish_one(True)
            return True, known
        if not await self.allowed(url):
            self.progress.finish_one(False)
            return True, None
        return False, None

    async def _fetch_page(self, url: str) -> PageResult | None:
        done, result = await self._known_or_refused(url, self.state.get_page(url))
        if done:
            return result
        if url in self.report_urls:  # one GET serves both the crawl and the extractor
            got = await self.report(url)
            r = Response(*(got[:1] + (url,) + got[1:])) if got is not None else await self.f.fetch(url, want_body=True)
        else:
            r = await self.f.fetch(url, want_body=True)
        res = PageResult(r.status, r.final_url, is_html=r.ok and r.is_html and r.body is not None)
        if res.is_html:
            text = pagemod.decode(r.body, r.content_type)
            parsed = pagemod.parse(text)
            base = normalize(parsed.base, r.final_url) if parsed.base else None
            seen: set[str] = set()
            for href, anchor in parsed.links:
                u = normalize(href, base or r.final_url)
                if u is not None and u not in seen:
                    seen.add(u)
                    res.links.append((u, anchor))
            res.dates = [d.isoformat() for d in pagemod.dates_in(" ".join(parsed.text))]
            res.info = checks.page_info(parsed, base or r.final_url)
        self.state.put_page(url, res)
        self.progress.finish_one(False)
        return res

    def link(self, url: str) -> Awaitable[str | None]:
        """The status of a link; None when robots.txt forbids checking it."""
        return self._once(self._links, url, lambda: self._check_link(url))

    async def _check_link(self, url: str) -> str | None:
        status = self.state.get_link(url)
        if status is None and (p := self.state.get_page(url)) is not None:
            status = p.status
        done, result = await self._known_or_refused(url, status)
        if done:
            return result
        r = await self.f.fetch(url, method="HEAD")
        if r.status in HEAD_FALLBACK:
            r = await self.f.fetch(url, method="GET")
        self.state.put_link(url, r.status)
        self.progress.finish_one(False)
        return r.status

    def report(self, url: str) -> Awaitable[tuple[str, str, str | None, bytes | None] | None]:
        """GET an annual report (any type, whole body); None when robots.txt forbids it."""
        return self._once(self._reports, url, lambda: self._fetch_report(url))

    async def _fetch_report(self, url: str) -> tuple[str, str, str | None, bytes | None] | None:
        done, result = await self._known_or_refused(url, self.state.get_report(url))
        if done:
            return result
        r = await self.f.fetch(url, want_body="any")
        body = r.body if r.status.isdigit() and 200 <= int(r.status) < 300 else None
        out = (r.status, r.final_url, r.content_type, body)
        self.state.put_report(url, *out)
        self.progress.finish_one(False)
        return out

    async def report_with_attachments(self, url: str) -> tuple[Fetched, list[Fetched]]:
        """A report page, and the attachments it links when it holds no report tables (one at a time)."""
        got = await self.report(url)
        page = Fetched(url, *(got if got is not None else (None,)))
        found = []
        for u in attachment_links(page):
            a = await self.report(u)
            found.append(Fetched(u, *(a if a is not None else (None,))))
        return page, found

    async def fetch_reports(self, t: Target) -> list[ReportFetch]:
        got = await asyncio.gather(*(self.report_with_attachments(u) for _, u in t.reports))
        return [ReportFetch(t.unit_id, y, u, page.status, page.final_url, page.content_type, page.body, found)
                for (y, u), (page, found) in zip(t.reports, got)]

    # -- one unit

    async def crawl(self, t: Target) -> tuple[list[dict], UnitSummary]:
        """One unit's site: the home page, same-site pages to --depth, column pages, every link found."""
        s = UnitSummary(t.unit_id)
        home = normalize(t.site_url)
        if home is None:
            s.note = "网站地址不是 http/https 地址"
            return [], s
        res = await self.page(home)
        if res is None:
            s.note = "robots.txt 不允许访问首页（可用 --ignore-robots 忽略）"
            self.log(f"单位 {t.unit_id}：{s.note}")
            return [], s
        s.home_status = res.status
        rows: dict[str, dict] = {home: self._row(t, home, "home", res.status, None)}
        site = {site_key(home), site_key(res.final_url)}
        w = _Walk(pages={home: res}, claimed={home, res.final_url})
        if res.is_html and site_key(res.final_url) in site:
            await self._walk(w, [(home, res)], site, s)
        extra_columns = await self._extra_columns(t, w, s)
        self._page_rows(t, w, site, extra_columns, s, rows)
        await self._link_rows(t, w, s, rows)
        if self.o.lexicon is not None:
            content = [home] + [u for u in w.page_order + extra_columns
                                if u in w.pages and w.pages[u].is_html and site_key(w.pages[u].final_url) in site]
            await self._content_checks(t, home, res, [(u, w.pages[u]) for u in dict.fromkeys(content)])
        # rows in crawl order: home, then by discovery
        order = [home] + [u for u in w.found_on if u in rows] + [u for u in extra_columns if u in rows]
        return [rows[u] for u in dict.fromkeys(order)], s

    async def _walk(self, w: "_Walk", level: list[tuple[str, PageResult]], site: set[str], s: UnitSummary) -> None:
        """Breadth first from the home page: same-site pages are fetched (to --depth and --max-pages),
        every other link found is queued for a status check."""
        n_pages = 0
        for d in range(self.o.depth + 1):
            nxt: list[str] = []
            for purl, pres in level:
                for u, text in pres.links:
                    if u in w.found_on or u in w.claimed:
                        continue
                    w.found_on[u] = purl
                    w.anchor[u] = text
                    if d < self.o.depth and site_key(u) in site and looks_like_html(u):
                        if n_pages < self.o.max_pages:
                            w.claimed.add(u)
                            n_pages += 1
                            nxt.append(u)
                            continue
                        s.capped = True
                    w.link_order.append(u)
                    w.link_tasks[u] = self.link(u)
            if not nxt:
                break
            level = []
            for u, r in zip(nxt, await asyncio.gather(*(self.page(u) for u in nxt))):
                if r is None:
                    s.robots_skipped += 1
                    continue
                w.pages[u] = r
                w.page_order.append(u)
                if r.is_html and site_key(r.final_url) in site:
                    level.append((u, r))

    async def _extra_columns(self, t: Target, w: "_Walk", s: UnitSummary) -> list[str]:
        """Catalog column pages named in the evidence but not reached by the crawl, fetched now."""
        extra = [u for u in dict.fromkeys(t.column_urls) if u not in w.pages]
        if extra:
            for u, r in zip(extra, await asyncio.gather(*(self.page(u) for u in extra))):
                if r is None:
                    s.robots_skipped += 1
                else:
                    w.pages[u] = r
        return extra

    def _page_rows(self, t: Target, w: "_Walk", site: set[str], extra_columns: list[str], s: UnitSummary,
                   rows: dict[str, dict]) -> None:
        """A row for each page fetched: a column page, a same-site page, or (off-site or not HTML) a link."""
        column_set = set(t.column_urls)
        for u in w.page_order:
            r = w.pages[u]
            is_page = r.is_html and site_key(r.final_url) in site
            is_column = is_page and (u in column_set or self._names_column(w.anchor.get(u, "")))
            kind = "column" if is_column else "page" if is_page else "link"
            rows[u] = self._row(t, u, kind, r.status, w.found_on.get(u), r if is_column else None)
            s.pages += kind == "page"
            s.columns += kind == "column"
            if kind == "link":
                s.links += 1
                s.failed_links += not r.ok
        for u in extra_columns:
            r = w.pages.get(u)
            if r is not None:
                rows[u] = self._row(t, u, "column", r.status, None, r if r.is_html else None)
                s.columns += 1

    async def _link_rows(self, t: Target, w: "_Walk", s: UnitSummary, rows: dict[str, dict]) -> None:
        """A row for each link whose status was checked (robots.txt may have said no)."""
        statuses = await asyncio.gather(*(w.link_tasks[u] for u in w.link_order))
        for u, st in zip(w.link_order, statuses):
            if st is None:
                s.robots_skipped += 1
                continue
            rows[u] = self._row(t, u, "link", st, w.found_on.get(u))
            s.links += 1
            s.failed_links += not (st.isdigit() and 200 <= int(st) < 400)

    async def _content_checks(self, t: Target, home: str, res: PageResult,
                              content: list[tuple[str, PageResult]]) -> None:
        """The unit's page_checks rows: marks, search and home date on the home page, text on every page."""
        uc = checks.UnitChecks(t.unit_id, self.checked_on)
        if not (res.ok and res.is_html):
            uc.home_failed(home, res)
        else:
            uc.marks(home, res, t.site_code)
            uc.home_updated(home, res)
            query = checks.search_query(res.info, t.name)
            answer = await self.page(query) if query else None
            uc.search(home, query, answer, bool(res.info.get("forms")))
            for u, r in content:
                uc.text_errors(u, r, self.o.lexicon)
        self.page_checks[t.unit_id] = uc.rows

    def _names_column(self, text: str) -> bool:
        return 0 < len(text) <= COLUMN_TEXT_MAX and any(w in text for w in self.o.column_words)

    def _row(self, t: Target, url: str, kind: str, status: str, found_on: str | None,
             column: PageResult | None = None) -> dict:
        last = None
        if column is not None:
            limit = self.checked_on.isoformat()
            past = [d for d in column.dates if d <= limit]
            last = max(past) if past else None
        return {"unit_id": t.unit_id, "url": url, "kind": kind, "status": status,
                "checked_on": self.checked_on.isoformat(), "last_updated": last, "found_on": found_on}


@dataclass
class Outcome:
    rows: pd.DataFrame
    summaries: list[UnitSummary]
    requests: int
    reports: list[ReportFetch] = field(default_factory=list)
    #: page_checks rows (columns scoring.collect.checks.COLUMNS); empty without a lexicon
    page_checks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=checks.COLUMNS))


async def _run(targets: list[Target], state: State, limits: Limits, options: Options, checked_on: dt.date,
               progress: Progress, log: Callable[[str], None], sleep=None) -> Outcome:
    kwargs = {"sleep": sleep} if sleep is not None else {}
    async with Fetcher(limits, log=log, **kwargs) as f:
        c = Crawler(f, state, options, checked_on, progress, log)
        c.report_urls = {u for t in targets for _, u in t.reports}
        progress.units = len(targets)

        async def one(t: Target):
            out, reports = await asyncio.gather(c.crawl(t), c.fetch_reports(t))
            progress.units_done += 1
            progress.show()
            return out, reports

        results = await asyncio.gather(*(one(t) for t in targets))
        requests = f.requests
    rows = [r for (rs, _), _ in results for r in rs]
    df = pd.DataFrame(rows, columns=COLUMNS)
    pc = pd.DataFrame([r for t in targets for r in c.page_checks.get(t.unit_id, [])], columns=checks.COLUMNS)
    return Outcome(df, [s for (_, s), _ in results], requests, [r for _, rs in results for r in rs], pc)


def run(targets: Iterable[Target], state: State, limits: Limits, options: Options, checked_on: dt.date,
        progress: Progress | None = None, log: Callable[[str], None] | None = None, sleep=None) -> Outcome:
    """Crawl every target (units concurrently, sharing the limits) and return the rows."""
    progress = progress or Progress(enabled=False)
    try:
        return asyncio.run(_run(list(targets), state, limits, options, checked_on, progress,
                                log or (lambda s: None), sleep))
    finally:
        progress.close()
