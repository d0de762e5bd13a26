"""The polite HTTP client: limits per host and overall, retries, redirects, size cap.

Every request goes through :meth:`Fetcher.fetch`, which returns a :class:`Response` whose
``status`` is the HTTP code as text or one of the contract's error words (CONTRACT.md §1):
``timeout``, ``dns``, ``refused``, ``tls``, ``too_many_redirects``, ``too_large``.
"""

from __future__ import annotations

import asyncio
import email.utils
import re
import socket
import ssl
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from scoring import __version__
from scoring.collect.urls import host_of, normalize

USER_AGENT = (f"zwgk-collect/{__version__} (government-openness assessment site checker; "
              f"robots.txt token: zwgk)")
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
RETRY_CODES = frozenset({429, 503})


@dataclass
class Response:
    status: str                     # "200", "404", ... or an error word
    url: str                        # the URL asked for
    final_url: str                  # after redirects
    content_type: str | None = None
    body: bytes | None = None       # only for GET with a body wanted and a 2xx answer

    @property
    def ok(self) -> bool:
        return self.status.isdigit() and 200 <= int(self.status) < 400

    @property
    def is_html(self) -> bool:
        ct = (self.content_type or "").split(";")[0].strip().lower()
        return ct in ("text/html", "application/xhtml+xml", "")


@dataclass
class Limits:
    concurrency: int = 8          # requests in flight overall
    per_host: int = 2             # requests in flight per host
    delay: float = 0.5            # minimum seconds between two requests to one host
    timeout: float = 15.0         # seconds (国办: a page must open within 15 s)
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 10
    retries: int = 3              # extra tries on 429/503
    max_retry_wait: float = 120.0  # a longer Retry-After gives up and records the 429/503
    max_crawl_delay: float = 30.0  # a longer robots.txt Crawl-delay is capped (and the run says so)


class _HostGate:
    def __init__(self, per_host: int, delay: float):
        self.sem = asyncio.Semaphore(per_host)
        self.delay = delay
        self.next_at = 0.0
        self.lock = asyncio.Lock()


def _error_word(exc: BaseException) -> str:
    """Map a transport failure to the contract's error words."""
    if isinstance(exc, (httpx.TimeoutException, asyncio.TimeoutError, TimeoutError)):
        return "timeout"
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, socket.gaierror):
            return "dns"
        if isinstance(e, ssl.SSLError):
            return "tls"
        if isinstance(e, ConnectionRefusedError):
            return "refused"
        e = e.__cause__ or e.__context__
    text = str(exc).lower()
    if any(s in text for s in ("name or service not known", "nodename nor servname", "getaddrinfo",
                               "name resolution", "no address associated")):
        return "dns"
    if any(s in text for s in ("ssl", "certificate", "tls")):
        return "tls"
    # refused, reset, closed without an answer: the server did not serve the page
    return "refused"


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


#: the content codings this client asks for and decodes itself, with a size bound
ACCEPT_ENCODING = "gzip, deflate"
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class _TooLarge(Exception):
    """The decoded body went past the size cap (recorded as too_large)."""


class _UnsupportedCoding(Exception):
    """A stacked or unknown Content-Encoding: the body is not read."""


class BoundedDecoder:
    """Decodes one response body (identity, gzip or deflate) and never holds more than ``cap`` bytes.

    httpx decodes a whole network chunk at once, and stacks a decoder per coding
    (``Content-Encoding: gzip, gzip``): 1.8 KB on the wire became 2.2 GB in memory
    before any size check could see it. Here every call to zlib is given the room
    left under the cap; stacked or unknown codings are refused, not decoded.
    """

    def __init__(self, content_encoding: str | None, cap: int):
        codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in _WBITS):
            raise _UnsupportedCoding(", ".join(codings))
        self.cap = cap
        self.size = 0
        self.coding = codings[0] if codings else None
        self._z = zlib.decompressobj(_WBITS[self.coding]) if self.coding else None
        self._started = False

    def feed(self, data: bytes) -> bytes:
        if self._z is None:
            out = data
        else:
            out = self._inflate(data)
        self.size += len(out)
        if self.size > self.cap:
            raise _TooLarge
        return out

    def _inflate(self, data: bytes) -> bytes:
        room = self.cap - self.size + 1
        try:
            out = self._z.decompress(data, room)
        except zlib.error:
            if self.coding != "deflate" or self._started:
                raise
            self._z = zlib.decompressobj(-zlib.MAX_WBITS)   # "deflate" sent raw, without the zlib header
            out = self._z.decompress(data, room)
        self._started = True
        if self._z.unconsumed_tail:   # more output than the room left: over the cap
            raise _TooLarge
        return out


class Fetcher:
    """One shared client for a whole run. Use as ``async with Fetcher(limits) as f``."""

    def __init__(self, limits: Limits, *, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 transport: httpx.AsyncBaseTransport | None = None, log: Callable[[str], None] | None = None):
        self.limits = limits
        self.sleep = sleep
        self.log = log or (lambda s: None)
        self._global = asyncio.Semaphore(limits.concurrency)
        self._hosts: dict[str, _HostGate] = {}
        self._host_delay: dict[str, float] = {}
        self.requests = 0
        self._client = httpx.AsyncClient(
            headers={"User-Agent": USER_AGENT, "Accept-Language": "zh-CN,zh;q=0.9",
                     "Accept-Encoding": ACCEPT_ENCODING},
            timeout=httpx.Timeout(limits.timeout),
            follow_redirects=False,
            limits=httpx.Limits(max_connections=limits.concurrency,
                                max_keepalive_connections=limits.concurrency),
            transport=transport,
            trust_env=False,
            event_hooks={"response": [_hold_unusable_redirect]},
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc) -> None:
        await self._client.aclose()

    def set_host_delay(self, host: str, delay: float) -> None:
        """A longer minimum interval for one host (robots.txt ``Crawl-delay``), at most ``max_crawl_delay``."""
        if not delay <= self.limits.max_crawl_delay:   # also NaN
            self.log(f"{host} 的 robots.txt 要求每次访问间隔 {delay:g} 秒（Crawl-delay），过长；"
                     f"按 {self.limits.max_crawl_delay:g} 秒执行")
            delay = self.limits.max_crawl_delay
        self._host_delay[host] = max(delay, self.limits.delay)
        if host in self._hosts:
            self._hosts[host].delay = self._host_delay[host]

    def _gate(self, host: str) -> _HostGate:
        g = self._hosts.get(host)
        if g is None:
            g = self._hosts[host] = _HostGate(self.limits.per_host, self._host_delay.get(host, self.limits.delay))
        return g

    async def _wait_turn(self, gate: _HostGate) -> None:
        async with gate.lock:
            wait = gate.next_at - time.monotonic()
            if wait > 0:
                await self.sleep(wait)
            gate.next_at = time.monotonic() + gate.delay

    async def _once(self, method: str, url: str, want_body: bool | str) -> tuple[str, httpx.Headers | None, bytes | None]:
        """One request without redirects; (status, headers, body). Holds the host and global slots."""
        gate = self._gate(host_of(url))
        async with gate.sem:
            await self._wait_turn(gate)
            async with self._global:
                self.requests += 1
                try:
                    async with asyncio.timeout(self.limits.timeout * 2):
                        async with self._client.stream(method, url) as r:
                            body = None
                            code = r.status_code
                            if want_body and 200 <= code < 300:
                                n = r.headers.get("content-length")
                                if n and n.isdigit() and int(n) > self.limits.max_bytes:
                                    return "too_large", r.headers, None
                                if want_body == "any" or _is_html(r.headers.get("content-type")):
                                    body = await self._read_body(url, r)
                                    if body is _TOO_LARGE:
                                        return "too_large", r.headers, None
                            return str(code), r.headers, body
                except Exception as exc:  # noqa: BLE001 - every failure becomes a status word
                    return _error_word(exc), None, None

    def _say_broken_redirect(self, url: str, status: str, location: str) -> None:
        if not _other_scheme(location):
            self.log(f"{_printable(url)} 跳转到无效地址「{_printable(location)}」，记为该页面的应答 {status}"
                     "（页面有应答，跳转本身有误）")

    async def _read_body(self, url: str, r: httpx.Response):
        """The decoded body within ``max_bytes`` (_TOO_LARGE beyond); None for a coding not decoded."""
        try:
            dec = BoundedDecoder(r.headers.get("content-encoding"), self.limits.max_bytes)
            chunks = [dec.feed(chunk) async for chunk in r.aiter_raw()]
        except _TooLarge:
            return _TOO_LARGE
        except _UnsupportedCoding as exc:
            self.log(f"{_printable(url)} 的内容编码「{_printable(str(exc))}」不受支持（叠加或未知的压缩方式），"
                     "未读取其内容")
            return None
        return b"".join(chunks)

    async def _with_retries(self, method: str, url: str, want_body: bool | str):
        for attempt in range(self.limits.retries + 1):
            status, headers, body = await self._once(method, url, want_body)
            if not (status.isdigit() and int(status) in RETRY_CODES) or attempt == self.limits.retries:
                return status, headers, body
            wait = retry_after_seconds(headers.get("retry-after") if headers else None)
            if wait is None:
                wait = 1.0 * 2 ** attempt
            if wait > self.limits.max_retry_wait:
                return status, headers, body
            gate = self._gate(host_of(url))
            gate.next_at = max(gate.next_at, time.monotonic() + wait)  # the whole host waits
            await self.sleep(wait)
        raise AssertionError("unreachable")

    async def fetch(self, url: str, *, method: str = "GET", want_body: bool | str = False) -> Response:
        """Fetch ``url`` following redirects (capped, loops detected).

        ``want_body``: False, True (the body of an HTML answer) or ``"any"`` (whatever the type).
        """
        seen = {url}
        current = url
        for _ in range(self.limits.max_redirects + 1):
            status, headers, body = await self._with_retries(method, current, want_body)
            if headers is not None and _HELD_LOCATION in headers:
                self._say_broken_redirect(current, status, headers[_HELD_LOCATION])
            if not (status.isdigit() and int(status) in REDIRECT_CODES and headers is not None
                    and headers.get("location")):
                ct = headers.get("content-type") if headers is not None else None
                return Response(status, url, current, ct, body)
            nxt = redirect_target(headers["location"], current)
            if nxt is None:  # a non-http or malformed target: the page answered; the redirect is its answer
                self._say_broken_redirect(current, status, headers["location"])
                return Response(status, url, current, None, None)
            if nxt in seen:
                return Response("too_many_redirects", url, nxt)
            seen.add(nxt)
            current = nxt
            if status == "303":
                method = "GET" if method != "HEAD" else "HEAD"
        return Response("too_many_redirects", url, current)


_TOO_LARGE = object()
#: a host name as DNS allows it (letters, digits, hyphens, dots; IDNA already applied) or an IP literal
_HOST = re.compile(r"(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(:\d{1,5})?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


#: where a redirect's unusable ``Location`` is kept (httpx would fail the whole request on it)
_HELD_LOCATION = "x-zwgk-unusable-location"


async def _hold_unusable_redirect(response: httpx.Response) -> None:
    """A response hook: move a ``Location`` that is no usable http(s) URL out of the way.

    httpx builds the next request of every redirect, even when not following it,
    and fails the request on a malformed ``Location``; the answer would be lost
    and the page recorded as ``refused``. Held under another name, the answer
    stays what it is: the page's 3xx code.
    """
    loc = response.headers.get("location")
    if loc is not None and response.status_code in REDIRECT_CODES \
            and redirect_target(loc, str(response.request.url)) is None:
        response.headers[_HELD_LOCATION] = loc
        del response.headers["location"]


def redirect_target(location: str, base: str) -> str | None:
    """The normalised URL a ``Location`` header points to, or None when it is not a usable http(s) URL."""
    if _CONTROL.search(location):
        return None
    nxt = normalize(location, base=base)
    if nxt is None:
        return None
    netloc = nxt.split("://", 1)[1].split("/", 1)[0]
    if not _HOST.fullmatch(netloc) or ".." in netloc or netloc.startswith((".", "-")):
        return None
    try:
        httpx.URL(nxt)
    except (httpx.InvalidURL, ValueError):
        return None
    return nxt


def _other_scheme(location: str) -> bool:
    """``mailto:``, ``ftp://`` ...: a valid target this checker does not follow."""
    m = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", location)
    return bool(m) and m.group(1).lower() not in ("http", "https")


def _printable(text: str) -> str:
    """Text from a server, safe to print on a terminal (control characters shown as \\xNN)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _is_html(content_type: str | None) -> bool:
    ct = (content_type or "").split(";")[0].strip().lower()
    return ct in ("text/html", "application/xhtml+xml", "")

