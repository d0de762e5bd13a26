"""Text for rule kinds that read prose (C2 解读要素 and any new text rule): reading and searching.

Reading
    :func:`evidence_texts` — each evidence row's text: its inline text column plus the file its
    text-file column names (:func:`read_text`: .txt in UTF-8 or GB18030, .html/.htm reduced to
    visible text, .docx paragraphs and tables), each file read once. Text from evidence is data:
    HTML is reduced to its visible text (tags stripped, entities decoded, script/style dropped) and
    never rendered or evaluated.

Searching
    :func:`find_any` — for each group of spellings (a name and its synonyms), which texts contain at
    least one of them, compared as :func:`scoring.rules.common.norm_text` compares names (NFKC,
    whitespace ignored). One pass over all texts at once (:func:`contains_any`), never a search per
    row: a province's interpretations are hundreds of megabytes of text.

A new text rule::

    t = evidence_texts(frame, text="text", path="_text_path")
    has = find_any(t.texts, [item.spellings for item in p.elements])   # one bool array per element
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.evidence.charset import CharsetError, decode_text
from scoring.rules.common import is_blank, norm_series
from scoring.textnorm import nfkc_joined

SUPPORTED = (".txt", ".html", ".htm", ".docx")


class UnreadableText(Exception):
    """A file that could not be read as text; the message is Chinese."""


def _decode(data: bytes) -> str:
    # the evidence decoder: a BOM, else UTF-8, else GB18030 -- never a file with both mixed
    try:
        return decode_text(data)
    except CharsetError as exc:
        raise UnreadableText(f"文件编码无法识别（应为 UTF-8 或 GB18030）：{exc}") from None


class _TextOnly(HTMLParser):
    _SKIP = {"script", "style", "head", "title", "noscript", "template"}
    _BLOCK = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(source: str) -> str:
    parser = _TextOnly()
    parser.feed(source)
    parser.close()
    return html.unescape("".join(parser.parts))


def docx_text(path: Path) -> str:
    import docx  # python-docx

    try:
        d = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise UnreadableText(f"不是有效的 .docx 文件（{type(exc).__name__}）") from exc
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def read_text(path: str | Path) -> str:
    """The plain text of a .txt, .html/.htm or .docx file; raises UnreadableText."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnreadableText(f"不支持的正文文件格式「{p.suffix or '无扩展名'}」，应为 .txt、.html 或 .docx")
    if suffix == ".docx":
        return docx_text(p)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UnreadableText(f"无法读取（{exc.strerror or exc}）") from exc
    text = _decode(data)
    return html_text(text) if suffix in (".html", ".htm") else text


def file_texts(paths: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read each distinct file once: (text per row, Chinese error per row); missing where none."""
    uniq = paths.dropna().unique()
    texts: dict[str, str] = {}
    errors: dict[str, str] = {}
    for path in uniq:  # one read per file, not per row
        try:
            texts[path] = read_text(path)
        except UnreadableText as exc:
            errors[path] = str(exc)
    return paths.map(texts), paths.map(errors)


@dataclass
class EvidenceTexts:
    """The text of each row of an evidence frame (index aligned with it)."""

    #: the inline text, missing where blank
    inline: pd.Series
    #: the text read from the row's file, missing where none or unreadable
    from_file: pd.Series
    #: why the row's file could not be read (Chinese), missing where it could
    file_error: pd.Series
    #: inline text and file text joined by a newline ("" for a missing part), one str per row
    texts: list[str]


def evidence_texts(frame: pd.DataFrame, text: str = "text", path: str = "_text_path") -> EvidenceTexts:
    """Each row's inline ``text`` column and the file at its ``path`` column (resolved by the loader)."""
    paths = frame[path] if path in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    ftext, ferr = file_texts(paths)
    inline = frame[text].where(~is_blank(frame[text]), None)
    joined = (inline.fillna("").astype(str) + "\n" + ftext.fillna("").astype(str)).tolist()
    return EvidenceTexts(inline=inline, from_file=ftext, file_error=ferr, texts=joined)


# ---------------------------------------------------------------------------
# searching

_SEP, _SUB = "\x00", "\x01"

#: characters of text searched at once by contains_any (a 4 MiB UTF-32 copy: cache-friendly, ~25% faster than 8M)
CHUNK_CHARS = 1_000_000


def find_any(texts: list[str], groups: list[tuple[str, ...]]) -> list[np.ndarray]:
    """For each group of (normalised) spellings: which of the raw ``texts`` contain one of them,
    the texts normalised like names (NFKC, no whitespace) before the search."""
    joined = nfkc_joined(texts, remove_space=True) if texts else None
    if joined is not None:
        return contains_any(joined, len(texts), groups)
    return contains_any_texts(norm_series(pd.Series(texts, dtype=object)).tolist(), groups)


def contains_any(joined: str, n: int, groups: list[tuple[str, ...]]) -> list[np.ndarray]:
    """For each group of literal strings: which of the ``n`` NUL-joined texts (none holding NUL itself)
    hold at least one of them — ``str.contains`` of the alternation, computed without a search per text.

    The joined texts are read as arrays of code points (a chunk of whole texts at a time); positions whose
    character starts some needle are found in one table lookup, each needle is then checked on those
    candidates only, and the match positions are mapped back to texts with ``np.searchsorted``. A needle
    has no NUL, so a match never spans two texts. An empty needle is in every text.
    """
    out = [np.zeros(n, dtype=bool) for _ in groups]
    needles = sorted({x for g in groups for x in g if x})
    for found, g in zip(out, groups):
        if "" in g:
            found[:] = True
    if not n or not needles:
        return out
    codes = {x: np.array([ord(c) for c in x], dtype=np.uint32) for x in needles}
    heads = sorted({x[0] for x in needles})
    lut = np.zeros(0x110000, dtype=np.uint8 if len(heads) < 255 else np.uint32)
    lut[[ord(h) for h in heads]] = np.arange(1, len(heads) + 1)
    row0 = 0
    for a, b in _chunks(joined):
        cps = np.frombuffer(joined[a:b - 1].encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        starts = np.concatenate([[0], np.flatnonzero(cps == 0) + 1])
        head = lut[cps]
        cand = np.flatnonzero(head)
        head = head[cand]
        order = np.argsort(head, kind="stable")  # candidates grouped by their first character
        by_head = np.searchsorted(head[order], np.arange(1, len(heads) + 2))
        hits: dict[str, np.ndarray] = {}
        for x, c in codes.items():  # a loop over the handful of needles, not over texts
            h = heads.index(x[0])
            at = cand[order[by_head[h]:by_head[h + 1]]]
            at = at[at + len(c) <= len(cps)]
            for j in range(1, len(c)):
                at = at[cps[at + j] == c[j]]
            hits[x] = np.searchsorted(starts, at, side="right") - 1 + row0
        for found, g in zip(out, groups):
            for x in g:
                if x:
                    found[hits[x]] = True
        row0 += len(starts)
    assert row0 == n
    return out


def _chunks(joined: str) -> list[tuple[int, int]]:
    """Chunks of whole texts, each about CHUNK_CHARS long: [a, b) with joined[b - 1] a NUL (or the end)."""
    cuts = [0]
    while cuts[-1] + CHUNK_CHARS < len(joined):  # a loop over chunks, not over texts
        k = joined.find(_SEP, cuts[-1] + CHUNK_CHARS)
        if k < 0:
            break
        cuts.append(k + 1)
    cuts.append(len(joined) + 1)
    return list(zip(cuts[:-1], cuts[1:]))


def contains_any_texts(texts: list[str], groups: list[tuple[str, ...]]) -> list[np.ndarray]:
    """:func:`contains_any` on a list of (already normalised) texts, which may hold NUL."""
    if any(_SEP in x or _SUB in x for g in groups for x in g):  # never for normalised names
        return [np.array([any(x in t for x in g) for t in texts], dtype=bool) for g in groups]
    joined = _SEP.join(texts)
    if joined.count(_SEP) != max(len(texts) - 1, 0):  # NUL in a text: no needle holds NUL or _SUB
        texts = [t.replace(_SEP, _SUB) for t in texts]
        joined = _SEP.join(texts)
    return contains_any(joined, len(texts), groups)
