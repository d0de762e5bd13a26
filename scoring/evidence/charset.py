"""Evidence bytes as text: which encodings are read, and which characters evidence text may hold.

One owner for both questions, used by every reader of evidence files (CSV
tables, ``unit.yaml``, interpretation text files):

- :func:`detect_encoding` / :func:`decode_text`: a BOM decides (UTF-8,
  UTF-16, UTF-32); else a file that is UTF-8 as a whole is UTF-8; else it is
  GB18030 (GBK is a subset: what Excel on a Chinese Windows writes) -- but
  only when no line of it is UTF-8 Chinese. GB18030 decodes almost any bytes,
  so "it decodes as GB18030" proves nothing: a file with UTF-8 lines (holding
  characters beyond U+07FF, i.e. Chinese) beside lines that are not UTF-8 has
  two encodings mixed, and reading it either way would garble some rows
  without a word. That is a :class:`CharsetError` naming the first line that
  is not UTF-8.
- :data:`FORBIDDEN`: characters no evidence text may hold -- C0 control
  characters other than tab, line feed and carriage return (NUL among them),
  Unicode noncharacters (U+FFFE, U+FFFF, U+FDD0..U+FDEF, U+nFFFE/U+nFFFF) and
  lone surrogates. XML cannot carry them, so the result workbook could not be
  written; a NUL silently cuts a CSV cell in pandas' parser.
"""

from __future__ import annotations

import codecs
import re

#: byte order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one)
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)
#: the codec a file without a BOM falls back to when it is not UTF-8
LEGACY = "gb18030"

#: characters evidence text may not hold (see the module docstring)
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17))
    + "]"
)
#: a byte that did not decode, kept by the "surrogateescape" error handler
ESCAPED = re.compile("[\udc80-\udcff]")
#: a character beyond U+07FF (a line of Chinese text in UTF-8 holds such characters)
_WIDE = re.compile("[\u0800-\ud7ff\ue000-\U0010ffff]")
#: bytes that send a UTF-8 file to the careful path: C0 controls (not tab, LF, CR)
#: and the lead bytes of 4-byte sequences (where plane noncharacters live)
_CAREFUL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xF0, 0xF5)])
_BORING_BYTES = bytes(b for b in range(256) if b not in _CAREFUL_BYTES)
#: U+FFFE, U+FFFF and U+FDD0..U+FDEF in UTF-8
_BMP_NONCHAR_UTF8 = re.compile(rb"\xef(?:\xbf[\xbe\xbf]|\xb7[\x90-\xaf])")

_NAMES = {0: "NUL", 0x0B: "垂直制表符", 0x0C: "换页符", 0x1A: "SUB"}


class CharsetError(ValueError):
    """Bytes that are not text in an accepted encoding; ``str(exc)`` is Chinese, ``line`` is 1-based."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def bom_codec(data: bytes) -> tuple[str, str] | None:
    """``(codec, name)`` of the file's byte order mark, or None."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return codec, name
    return None


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line of a byte offset (lines end with LF)."""
    return data.count(b"\n", 0, offset) + 1


def detect_encoding(data: bytes) -> str:
    """The codec to read evidence bytes with; raises :class:`CharsetError` for mixed encodings.

    Does not check that the bytes decode without error in that codec (BOM or
    GB18030): :func:`decode_text` does.
    """
    bom = bom_codec(data)
    if bom is not None:
        return bom[0]
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        bad = line_of(data, exc.start)
    good = first_utf8_text_line(data)
    if good is not None:
        raise CharsetError(mixed_message(good), bad)
    return LEGACY


def mixed_message(utf8_line: int) -> str:
    return (f"这一行不是 UTF-8 编码，而第 {utf8_line} 行等是 UTF-8：一个文件混用了两种编码，"
            "按任何一种读取都会有行变成乱码；请把整个文件另存为 UTF-8（或整个另存为 GBK）")


def first_utf8_text_line(data: bytes) -> int | None:
    """The first line that is valid UTF-8 holding a character beyond U+07FF, or None.

    Only for bytes that are not UTF-8 as a whole (a GBK file: nearly every
    non-ASCII line fails to decode). A GBK line that happens to be valid UTF-8
    decodes to 2-byte characters (Greek, Cyrillic ...) almost always, so such
    lines do not count.
    """
    for n, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if _WIDE.search(text):
            return n
    return None


def codec_name(codec: str) -> str:
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32",
            LEGACY: "UTF-8 或 GB18030/GBK"}.get(codec, codec)


def decode_text(data: bytes) -> str:
    """Evidence bytes as text (BOM, UTF-8 or GB18030, see the module docstring).

    Raises :class:`CharsetError` naming the line when the bytes mix encodings
    or do not decode; the text is never guessed.
    """
    codec = detect_encoding(data)
    text, line = decode_marked(data, codec)
    if line is not None:
        raise CharsetError(f"第 {line} 行不是有效的 {codec_name(codec)} 编码", line)
    return text


def decode_marked(data: bytes, codec: str) -> tuple[str, int | None]:
    """``data`` decoded with each undecodable byte kept as a lone surrogate (U+DC80..U+DCFF),
    and the 1-based line of the first such byte (None when all decoded)."""
    try:
        text = data.decode(codec, "surrogateescape")
    except UnicodeDecodeError as exc:  # UTF-16/32: a byte below 0x80 cannot be escaped
        line = data[:exc.start].decode(codec, "replace").count("\n") + 1
        return data.decode(codec, "replace"), line
    m = ESCAPED.search(text)
    return text, None if m is None else text.count("\n", 0, m.start()) + 1


def utf8_needs_care(data: bytes) -> bool:
    """True when UTF-8 bytes may hold a forbidden character (checked in C, no decoding).

    False is a guarantee; True only means "decode and look" (a 4-byte
    character such as an emoji also gives True).
    """
    return bool(data.translate(None, _BORING_BYTES)) or _BMP_NONCHAR_UTF8.search(data) is not None


def describe(ch: str) -> str:
    """A forbidden character as a user can look it up: ``U+0000（NUL）``."""
    code = ord(ch)
    name = _NAMES.get(code, "控制字符" if code < 0x20 else "代理码位" if 0xD800 <= code <= 0xDFFF else "非字符")
    return f"U+{code:04X}（{name}）"


def forbidden_message(text: str) -> str | None:
    """What is wrong with a text that holds forbidden characters, or None when it holds none."""
    m = FORBIDDEN.search(text)
    if m is None:
        return None
    return (f"含不允许的字符 {describe(m.group())}：底稿文本不能含控制字符（制表符、换行除外）"
            "或 Unicode 非字符，请删去")


def printable(text: str, limit: int = 200) -> str:
    """A text safe to print in a message: forbidden characters spelled ``\\uXXXX``, cut to ``limit`` characters."""
    if len(text) > limit:
        text = text[:limit] + f"……（共 {len(text)} 个字符）"
    if FORBIDDEN.search(text) is None:
        return text
    return FORBIDDEN.sub(_spelled, text)


def _spelled(m: re.Match) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that did not decode
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


# --- web pages ------------------------------------------------------------------------------------

_CHARSET_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-:.]+)", re.I)
#: how far into a page ``<meta charset>`` is looked for (Chinese government pages have long heads)
META_SCAN_BYTES = 8192
#: Chinese legacy encodings are all read as GB18030, their superset
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "csgb2312", "ms936"}


def _declared_codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    if name in _GB_FAMILY:
        return LEGACY
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """A fetched web page (or HTML file) as text; never refuses.

    The page's byte order mark, then the HTTP header's charset, then ``<meta charset>``
    (first :data:`META_SCAN_BYTES` bytes), each when the page decodes in it; then what
    evidence files are read with (:func:`decode_text`: UTF-8, else GB18030 -- a Chinese
    government page without a declaration is usually GBK); bytes that still do not decode
    become U+FFFD in the GB18030 reading.
    """
    bom = bom_codec(body)
    if bom is not None:
        return body.decode(bom[0], "replace")
    declared: list[str] = []
    m = _CHARSET_HEADER.search(content_type or "")
    if m and (c := _declared_codec(m.group(1))):
        declared.append(c)
    m = _META_CHARSET.search(body[:META_SCAN_BYTES])
    if m and (c := _declared_codec(m.group(1).decode("ascii", "ignore"))):
        declared.append(c)
    for c in declared:
        try:
            return body.decode(c)
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        return decode_text(body)
    except CharsetError:
        return body.decode(LEGACY, "replace")
