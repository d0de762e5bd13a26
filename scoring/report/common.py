"""Small helpers shared by the reports: dates, points, safe text, docxtpl rendering."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from pathlib import Path
from typing import Any

from scoring.results import FINDING_KIND_ZH, Pts, Results, UnitResult, show_points

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

#: finding kinds a unit must rectify (a notice is issued when a unit has any)
PROBLEM_KINDS = ("deduction", "veto", "not_provided")

#: finding kind -> Chinese (the one map, in scoring.results)
KIND_ZH = FINDING_KIND_ZH

CN_NUM = "零一二三四五六七八九十"

# XML 1.0 forbids these; evidence text may carry them (pasted from web pages)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cn_date(d: dt.date) -> str:
    """2026年10月29日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


def cn_ordinal(n: int) -> str:
    """1 -> 一, 12 -> 十二, 21 -> 二十一 (for 一、 and （一）)."""
    if n <= 10:
        return CN_NUM[n]
    if n < 20:
        return "十" + (CN_NUM[n % 10] if n % 10 else "")
    if n < 100:
        return CN_NUM[n // 10] + "十" + (CN_NUM[n % 10] if n % 10 else "")
    return str(n)


def pts(p: Pts | None) -> str:
    """Points as shown: 87.5, 8, 1.33; "—" for no score (:func:`scoring.results.show_points`)."""
    return show_points(p)


def clean_text(value: Any) -> str:
    """Evidence text made safe for XML documents (control characters dropped); stays data."""
    return _XML_ILLEGAL.sub("", "" if value is None else str(value))


def md_text(value: Any) -> str:
    """Evidence text in Markdown stays literal: backslash-escape what Markdown or HTML would act on."""
    text = clean_text(value).replace("\r\n", " ").replace("\n", " ")
    return re.sub(r"([\\`*_\[\]<>#|{}!~&])", r"\\\1", text)


def issue_date(results: Results, given: dt.date | None) -> dt.date:
    return given or dt.date.fromisoformat(results.as_of)


def has_problems(unit: UnitResult) -> bool:
    return any(f.kind in PROBLEM_KINDS for i in unit.indicators for f in i.findings)


#: Windows device names: reserved as a file name whatever the extension (CON.docx is the console)
_RESERVED = frozenset(["con", "prn", "aux", "nul"] + [f"{d}{i}" for d in ("com", "lpt") for i in "123456789¹²³"])

#: the longest cleaned id kept in a file name, in UTF-8 bytes; with "-" + hash and ".docx" the
#: name stays well under the 255 bytes (Linux) / 255 UTF-16 units (Windows) a file name may have
_STEM_MAX_BYTES = 200


class NoticeNameError(ValueError):
    """Unit ids whose notices cannot get distinct file names (exit 2; practically only a hash collision)."""

    def __init__(self, groups: list[list[str]]):
        self.groups = groups
        super().__init__("；".join("、".join(f"「{u}」" for u in g) for g in groups))


def _clean_stem(unit_id: str) -> str:
    """``unit_id`` reduced to what every file system accepts as a name (not yet unique)."""
    name = re.sub(r"[^\w\-.]", "_", unit_id, flags=re.UNICODE)
    raw = name.encode("utf-8")
    if len(raw) > _STEM_MAX_BYTES:
        name = raw[:_STEM_MAX_BYTES].decode("utf-8", errors="ignore")
    name = name.lstrip(".-").rstrip(".")
    if name.split(".")[0].casefold() in _RESERVED:
        name = "_" + name
    return name or "_"


def _with_hash(stem: str, unit_id: str) -> str:
    return f"{stem}-{hashlib.sha256(unit_id.encode('utf-8')).hexdigest()[:8]}"


def _fold(stem: str) -> str:
    """What a case-insensitive, normalising file system (Windows, macOS) compares."""
    return unicodedata.normalize("NFC", stem).casefold()


def notice_stems(unit_ids: list[str]) -> dict[str, str]:
    """unit id -> the file name (without .docx/.md) of its notice; distinct on every platform.

    An id that is a safe file name as it stands is used unchanged. An id that had to be
    changed (characters such as / \\ : *, leading dots or "-", trailing dots, a Windows
    device name like CON, more than 200 bytes) gets "-" and the first 8 hex digits of the
    SHA-256 of the id appended, and so does every id whose name would differ from another
    one's only by letter case or Unicode normalisation. The mapping depends only on the
    ids, never on their order. Raises :class:`NoticeNameError` if names still collide.
    """
    repeated = sorted({u for u in unit_ids if unit_ids.count(u) > 1}) if len(set(unit_ids)) < len(unit_ids) else []
    if repeated:
        raise NoticeNameError([[u, u] for u in repeated])
    stems: dict[str, str] = {}
    hashed: set[str] = set()
    for u in unit_ids:
        clean = _clean_stem(u)
        if clean == u:
            stems[u] = u
        else:
            stems[u] = _with_hash(clean, u)
            hashed.add(u)
    while True:   # each round hashes at least one more id, so this ends
        by_fold: dict[str, list[str]] = {}
        for u, stem in stems.items():
            by_fold.setdefault(_fold(stem), []).append(u)
        clashes = sorted(sorted(g) for g in by_fold.values() if len(g) > 1)
        if not clashes:
            return stems
        fresh = [u for g in clashes for u in g if u not in hashed]
        if not fresh:
            raise NoticeNameError(clashes)
        for u in fresh:
            stems[u] = _with_hash(_clean_stem(u), u)
            hashed.add(u)


def render_docx(template: Path, context: dict, dest: Path) -> None:
    """Render a docxtpl template with ``context``.

    Evidence text arrives only as context values: jinja never parses it as
    template source, so ``{{ 7*7 }}`` in a message stays those characters.
    Autoescape turns ``<`` and ``&`` into XML entities (without it docxtpl's
    recovering XML parser would silently drop the text). StrictUndefined makes
    a misspelt variable in a restyled template an error, not an empty space.
    """
    from docxtpl import DocxTemplate

    doc = DocxTemplate(str(template))
    doc.render(context, jinja_env=_docx_env(), autoescape=True)
    doc.save(str(dest))


_DOCX_ENV = None


def _docx_env():
    """One jinja environment that compiles each template part once per process.

    docxtpl hands the environment the same XML source for every unit; compiling
    it is most of the rendering time, so compiled parts are kept by source text.
    """
    global _DOCX_ENV
    if _DOCX_ENV is None:
        from jinja2 import Environment, StrictUndefined

        class _CompiledOnce(Environment):
            def from_string(self, source, globals=None, template_class=None):
                key = source if isinstance(source, str) else None
                if key is not None and key in self._compiled:
                    return self._compiled[key]
                t = super().from_string(source, globals, template_class)
                if key is not None:
                    if len(self._compiled) > 64:
                        self._compiled.clear()
                    self._compiled[key] = t
                return t

        _DOCX_ENV = _CompiledOnce(undefined=StrictUndefined, autoescape=True, finalize=_docx_literal)
        _DOCX_ENV._compiled = {}
    return _DOCX_ENV


def _docx_literal(value: Any):
    """Every value printed into a Word template, as XML text that comes out exactly as written.

    After rendering, docxtpl turns its escapes ``{_{ }_} {_% %_}`` into ``{{ }} {% %}``
    across the whole part, evidence text included; written as character
    references, the braces of a value are out of its reach (Word reads them as braces).
    """
    from markupsafe import Markup, escape

    return Markup(str(escape(value)).replace("{", "&#123;").replace("}", "&#125;"))


def md_template(path: Path):
    """A compiled Markdown template (every value passes the ``md`` filter in the template)."""
    key = (str(path), path.stat().st_mtime_ns)
    t = _MD_CACHE.get(key)
    if t is None:
        from jinja2 import Environment, StrictUndefined

        env = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
                          trim_blocks=True, lstrip_blocks=True)
        env.filters["md"] = md_text
        t = _MD_CACHE[key] = env.from_string(path.read_text(encoding="utf-8"))
    return t


_MD_CACHE: dict = {}
