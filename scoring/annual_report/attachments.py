"""Report pages whose body is only a link to the report as an attachment (PDF, .doc, .docx, .wps).

Many units publish the annual report as a page that says "详见附件" and links the file. Such a
page holds no report tables; :func:`attachment_links` lists the attachments worth opening, the
caller fetches them (``collect`` and ``annual-report extract URL`` both fetch through the
crawler: robots.txt, per-host delay, size cap), and :func:`extract_report` reads the report
from the first attachment that is one. The page stays the report's address (``url``); the
attachment is recorded beside it (``attachment_url``). The page's own publication date and
title are used when the attachment has none (a PDF rarely says when it was published).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from scoring.annual_report.document import Document, SourceError, decode_html, read_bytes, read_html
from scoring.annual_report.extract import (ExtractError, ExtractResult, _classify, clean, extract_document,
                                           find_published_on, find_year)
from scoring.collect import page as pagemod
from scoring.collect.urls import normalize

ATTACHMENT_TYPES = (".pdf", ".doc", ".docx", ".wps")
#: at most this many attachments of one page are opened
MAX_ATTACHMENTS = 3
_REPORT_WORDS = ("年报", "年度报告", "信息公开")


@dataclass
class Fetched:
    """One answer: ``status`` None when robots.txt forbids the address; ``body`` only for a 2xx answer."""
    url: str
    status: str | None
    final_url: str = ""
    content_type: str | None = None
    body: bytes | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status.isdigit() and 200 <= int(self.status) < 300 \
            and self.body is not None

    def why_not(self) -> str:
        if self.status is None:
            return "robots.txt 不允许访问（可用 --ignore-robots 忽略）"
        return f"打开失败（{'HTTP ' + self.status if self.status.isdigit() else self.status}）"


def _is_html(f: Fetched) -> bool:
    ct = (f.content_type or "").split(";")[0].strip().lower()
    head = (f.body or b"")[:8]
    return ct in ("", "text/html", "application/xhtml+xml", "text/plain") and not head.startswith(
        (b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))


def _kind(url: str, anchor: str) -> str | None:
    """The attachment type a link points to, by its path or, failing that, by its link text."""
    path = unquote(urlsplit(url).path).lower()
    for text in (path, anchor.strip().lower()):
        for ext in ATTACHMENT_TYPES:
            if text.endswith(ext):
                return ext
    return None


def has_report_tables(doc: Document) -> bool:
    return bool(_classify(doc, set()))


def attachment_links(page: Fetched) -> list[str]:
    """The attachments to open for a report page that holds no report tables ([] when it holds them).

    Links to .pdf/.doc/.docx/.wps files, in page order; when some of them name the report
    (年报, 年度报告, 信息公开 in the link text or file name), only those.
    """
    if not page.ok or not _is_html(page):
        return []
    html = decode_html(page.body, page.content_type)
    if has_report_tables(read_html(html)):
        return []
    parsed = pagemod.parse(html)
    base = page.final_url or page.url
    if parsed.base:
        base = normalize(parsed.base, base) or base
    found: dict[str, str] = {}
    for href, anchor in parsed.links:
        u = normalize(href, base)
        if u is not None and u not in found and _kind(u, anchor):
            found[u] = anchor
    named = [u for u, a in found.items() if any(w in a or w in unquote(u) for w in _REPORT_WORDS)]
    return (named or list(found))[:MAX_ATTACHMENTS]


def _page_document(page: Fetched) -> Document | None:
    if not page.ok or not _is_html(page):
        return None
    return read_html(decode_html(page.body, page.content_type))


def extract_report(page: Fetched, attachments: list[Fetched], year: int | None = None) -> ExtractResult:
    """The report at ``page.url``: read from the page, or from its first attachment that is a report."""
    if not attachments:
        try:
            doc = read_bytes(page.body or b"", page.content_type, page.url)
        except SourceError as exc:
            raise ExtractError(page.url, [str(exc)]) from exc
        return extract_document(doc, page.url, url=page.url or None, year=year)
    page_doc = _page_document(page)
    page_text = "\n".join(clean(line.text) for line in page_doc.lines) if page_doc else ""
    problems: list[str] = []
    for a in attachments:
        if not a.ok:
            problems.append(f"附件 {a.url}：{a.why_not()}")
            continue
        try:
            doc = read_bytes(a.body, a.content_type, a.url)
            if page_doc is not None and find_year(doc, "\n".join(clean(x.text) for x in doc.lines)) is None:
                doc.title = page_doc.title  # the page's title names the year the file does not
            r = extract_document(doc, a.url, url=page.url, year=year)
        except SourceError as exc:
            problems.append(f"附件 {a.url}：{exc}")
            continue
        except ExtractError as exc:
            problems += [f"附件 {a.url}：{p}" for p in exc.problems]
            continue
        r.attachment_url = a.url
        published = find_published_on(page_doc, page_text) if page_doc is not None else None
        if published is not None:
            r.published_on = published
            r.warnings = [w for w in r.warnings if "发布日期" not in w]
        return r
    raise ExtractError(page.url, ["页面中没有年度报告表格，链接的附件也没有读出年度报告："] + problems)


def local_page_hint(data: bytes, page_url: str | None) -> str | None:
    """For a saved page without report tables that links attachments: which ones, and what to do.

    Relative links are resolved against ``page_url`` (the page's web address) when it is known."""
    page = Fetched(page_url or "", "200", page_url or "", None, data)
    links = [u for u in attachment_links(page)] if _is_html(page) else []
    if not links:
        return None
    return ("该页面没有年报表格，但链接了附件：" + "、".join(links)
            + "。请直接提取网址（zwgk annual-report extract 网址，会自动打开附件），或下载附件后提取附件文件")
