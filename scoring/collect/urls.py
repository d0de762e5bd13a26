"""URL normalisation, so that one address is queued and fetched once."""

from __future__ import annotations

import posixpath
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}

#: path suffixes that are never HTML pages: checked as links, never parsed
NON_HTML_SUFFIXES = frozenset(
    ".pdf .doc .docx .xls .xlsx .ppt .pptx .wps .et .ofd .zip .rar .7z .gz .tar .txt .csv .xml "
    ".jpg .jpeg .png .gif .bmp .webp .svg .ico .mp3 .mp4 .avi .flv .wmv .mov .swf .exe .apk .css .js".split()
)


def normalize(url: str, base: str | None = None) -> str | None:
    """The canonical form of ``url`` (resolved against ``base``), or None when not http/https.

    Lower-case scheme and host, default port dropped, empty path -> ``/``, dot segments
    resolved, fragment dropped, percent-escapes made uniform. The query is kept as is.
    """
    url = (url or "").strip()
    if not url:
        return None
    try:
        if base is not None:
            url = urljoin(base, url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES or not parts.hostname:
            return None
        host = parts.hostname.lower().rstrip(".")
        port = parts.port
    except ValueError:
        return None
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if ":" in host and not host.startswith("["):  # IPv6 literal
        netloc = f"[{host}]" if port in (None, _DEFAULT_PORTS[scheme]) else f"[{host}]:{port}"
    path = parts.path or "/"
    trailing = path.endswith("/")
    path = posixpath.normpath(path)
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    if trailing and not path.endswith("/"):
        path += "/"
    path = quote(unquote(path), safe="/:@!$&'()*+,;=-._~")
    query = parts.query
    return urlunsplit((scheme, netloc, path, query, ""))


def host_of(url: str) -> str:
    """``host[:port]`` of a normalised URL: the key of per-host limits and robots.txt."""
    return urlsplit(url).netloc


def origin_of(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


def site_key(url: str) -> str:
    """Hosts that count as the same site: ``www.`` is ignored."""
    h = urlsplit(url).netloc
    return h[4:] if h.startswith("www.") else h


def looks_like_html(url: str) -> bool:
    """False when the path ends in a suffix that is never an HTML page (a PDF, an image...)."""
    path = urlsplit(url).path.lower()
    dot = path.rfind(".")
    return dot <= path.rfind("/") or path[dot:] not in NON_HTML_SUFFIXES
