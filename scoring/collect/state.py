"""The run's state in SQLite: every finished fetch, so an interrupted run resumes without refetching.

A row is written (and committed) as soon as its fetch finishes; killing the process loses at
most the requests in flight. The crawl itself is a pure function of these fetch results, so a
resumed run replays the cached ones and fetches only the rest.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA_VERSION = "1"


class StateError(Exception):
    """The state file belongs to another run (other check date) or is not a state file."""


@dataclass
class PageResult:
    status: str
    final_url: str
    is_html: bool = False
    #: normalised (url, anchor text), document order, each url once
    links: list[tuple[str, str]] = field(default_factory=list)
    #: ISO dates written on the page
    dates: list[str] = field(default_factory=list)
    #: what the content checks read (page_checks): visible text, SiteIDCode, conac mark, search forms
    info: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status.isdigit() and 200 <= int(self.status) < 400


class State:
    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript("""
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, status TEXT, final_url TEXT,
                    is_html INTEGER, links TEXT, dates TEXT);
                CREATE TABLE IF NOT EXISTS links (url TEXT PRIMARY KEY, status TEXT);
                CREATE TABLE IF NOT EXISTS page_info (url TEXT PRIMARY KEY, info TEXT);
                CREATE TABLE IF NOT EXISTS robots (host TEXT PRIMARY KEY, status TEXT, body TEXT);
                CREATE TABLE IF NOT EXISTS reports (url TEXT PRIMARY KEY, status TEXT, final_url TEXT,
                    content_type TEXT, body BLOB);
            """)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise StateError(f"进度文件 {self.path} 无法打开（{exc}），请换一个 --state 路径或删除该文件") from exc
        self.resumed_pages = 0
        self.resumed_links = 0

    def close(self) -> None:
        self.db.close()

    # -- meta
    def bind(self, checked_on: str | None) -> str | None:
        """Tie the state to a check date. Returns the date to use (the stored one when resuming)."""
        row = self.db.execute("SELECT value FROM meta WHERE key='checked_on'").fetchone()
        if row is None:
            if checked_on is not None:
                self.db.execute("INSERT INTO meta VALUES ('checked_on', ?), ('schema', ?)",
                                (checked_on, SCHEMA_VERSION))
            return checked_on
        if checked_on is not None and row[0] != checked_on:
            raise StateError(f"进度文件 {self.path} 属于检查日期 {row[0]} 的一次运行，与本次 --as-of {checked_on} 不同；"
                             f"要继续那次运行请用 --as-of {row[0]}，要重新检查请删除该文件或换一个 --state 路径")
        return row[0]

    def counts(self) -> tuple[int, int]:
        p = self.db.execute("SELECT count(*) FROM pages").fetchone()[0]
        l_ = self.db.execute("SELECT count(*) FROM links").fetchone()[0]
        return p, l_

    # -- pages
    def get_page(self, url: str) -> PageResult | None:
        r = self.db.execute("SELECT status, final_url, is_html, links, dates FROM pages WHERE url=?",
                            (url,)).fetchone()
        if r is None:
            return None
        i = self.db.execute("SELECT info FROM page_info WHERE url=?", (url,)).fetchone()
        return PageResult(r[0], r[1], bool(r[2]), [tuple(x) for x in json.loads(r[3])], json.loads(r[4]),
                          json.loads(i[0]) if i else {})

    def put_page(self, url: str, p: PageResult) -> None:
        """The page and what its content checks read, in one transaction."""
        self.db.execute("BEGIN")
        try:
            self.db.execute("INSERT OR REPLACE INTO pages VALUES (?,?,?,?,?,?)",
                            (url, p.status, p.final_url, int(p.is_html),
                             json.dumps(p.links, ensure_ascii=False), json.dumps(p.dates)))
            if p.info:
                self.db.execute("INSERT OR REPLACE INTO page_info VALUES (?,?)",
                                (url, json.dumps(p.info, ensure_ascii=False)))
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- links
    def get_link(self, url: str) -> str | None:
        r = self.db.execute("SELECT status FROM links WHERE url=?", (url,)).fetchone()
        return None if r is None else r[0]

    def put_link(self, url: str, status: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO links VALUES (?,?)", (url, status))

    # -- robots
    def get_robots(self, host: str) -> tuple[str, str] | None:
        r = self.db.execute("SELECT status, body FROM robots WHERE host=?", (host,)).fetchone()
        return None if r is None else (r[0], r[1])

    def put_robots(self, host: str, status: str, body: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO robots VALUES (?,?,?)", (host, status, body))

    # -- annual report documents (the whole answer: the extractor reads it after the crawl)
    def get_report(self, url: str) -> tuple[str, str, str | None, bytes | None] | None:
        """(status, final_url, content_type, body) of a fetched annual report, else None."""
        r = self.db.execute("SELECT status, final_url, content_type, body FROM reports WHERE url=?",
                            (url,)).fetchone()
        return None if r is None else (r[0], r[1], r[2], None if r[3] is None else bytes(r[3]))

    def put_report(self, url: str, status: str, final_url: str, content_type: str | None,
                   body: bytes | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO reports VALUES (?,?,?,?,?)",
                        (url, status, final_url, content_type, body))

    def fetched_urls(self) -> set[str]:
        """Every URL with a stored result (pages and links)."""
        return ({r[0] for r in self.db.execute("SELECT url FROM pages")}
                | {r[0] for r in self.db.execute("SELECT url FROM links")})
