"""The lexicon of 严重表述错误 and 常见错别字: loading it and finding its wrong forms in text.

A lexicon file is YAML with a top-level list ``entries``; each entry::

    {wrong: 布署, right: 部署, severity: 一般, except: [..], source: ..}

``except`` lists longer correct words that contain the wrong form (``按排名`` for ``按排``): an
occurrence inside one of them is not an error. The shipped lexicon is
``rubrics/lexicons/gov-website.yaml`` (every entry sourced); users add their own files
(``--lexicon FILE``, repeatable), whose entries come after the shipped ones.

Matching is over NFKC-normalised text; a caller passes the visible text only (the crawler's
parser drops scripts, styles and attributes).

Used by ``zwgk collect`` (``page_checks`` rows of check ``text_error``) and by the rule kind
``text_errors_in_interpretations`` (the same lexicon over interpretation texts). The rule kinds
read the user's files through :func:`using_lexicons`, which the CLI sets around a run.
"""

from __future__ import annotations

import contextvars
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scoring.safe_yaml import load_positioned, short

SEVERITIES = ("严重", "一般")
SHIPPED_NAME = "gov-website.yaml"
#: characters kept on each side of a hit in its context
CONTEXT_CHARS = 30
#: the most entries one lexicon file may hold
MAX_ENTRIES = 10_000
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")


class LexiconError(Exception):
    """Bad lexicon files; ``problems`` are Chinese lines naming the file, entry and key."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Entry:
    wrong: str
    right: str
    severity: str
    exceptions: tuple[str, ...] = ()
    source: str = ""

    @property
    def label(self) -> str:
        """``布署→部署（一般）``: how a finding names the entry."""
        return f"{self.wrong}→{self.right}（{self.severity}）"


@dataclass(frozen=True)
class Hit:
    entry: Entry
    start: int
    context: str


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def shipped_path() -> Path:
    from scoring.rubric.load import shipped_dirs

    for d in shipped_dirs():
        p = d / "lexicons" / SHIPPED_NAME
        if p.is_file():
            return p
    raise FileNotFoundError(SHIPPED_NAME)  # pragma: no cover - a broken installation


def _entry(item, where: str, problems: list[str]) -> Entry | None:
    if not isinstance(item, dict):
        problems.append(f"{where}：应为包含 wrong、right、severity 的映射，实际是 {short(item)}")
        return None
    bad = [f"{where}：未知的键「{k}」（可用：wrong、right、severity、except、source）"
           for k in item if k not in ("wrong", "right", "severity", "except", "source")]
    problems += bad
    vals = {}
    for key in ("wrong", "right"):
        v = item.get(key)
        if not isinstance(v, str) or not v.strip():
            problems.append(f"{where}：「{key}」必须是非空文字，实际是 {short(v)}")
            bad.append(key)
        else:
            vals[key] = _nfkc(v.strip()) if key == "wrong" else v.strip()  # the right form as written
    sev = item.get("severity")
    if sev not in SEVERITIES:
        problems.append(f"{where}：「severity」应为 严重 或 一般，实际是 {short(sev)}")
        bad.append("severity")
    exc = item.get("except", [])
    if not isinstance(exc, list) or not all(isinstance(x, str) and x.strip() for x in exc):
        problems.append(f"{where}：「except」应为文字列表，实际是 {short(exc)}")
        bad.append("except")
        exc = []
    src = item.get("source", "")
    if not isinstance(src, str):
        problems.append(f"{where}：「source」应为文字，实际是 {short(src)}")
        bad.append("source")
    if bad:
        return None
    excs = tuple(_nfkc(x.strip()) for x in exc)
    odd = [x for x in excs if vals["wrong"] not in x]
    if odd:
        problems.append(f"{where}：「except」中的「{'、'.join(odd)}」不包含错误写法「{vals['wrong']}」")
        return None
    if vals["wrong"] == _nfkc(vals["right"]):
        problems.append(f"{where}：错误写法与正确写法相同（「{vals['wrong']}」）")
        return None
    return Entry(vals["wrong"], vals["right"], sev, excs, src.strip())


def read_file(path: Path, problems: list[str]) -> list[Entry]:
    """The entries of one lexicon file; problems (Chinese, naming the file and entry) appended."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"词表 {path} 无法读取（{getattr(exc, 'strerror', None) or exc}），应为 UTF-8 编码的 YAML 文件")
        return []
    data, issues = load_positioned(text, str(path))
    problems += [f"词表 {path}" + (f" 第{i.line}行" if i.line else "") + f"：{i.message}" for i in issues]
    if data is None:
        if not issues:
            problems.append(f"词表 {path} 是空文件，应有顶层列表 entries")
        return []
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        problems.append(f"词表 {path}：顶层应为映射，含列表 entries（每条 wrong、right、severity）")
        return []
    items = data["entries"]
    if len(items) > MAX_ENTRIES:
        problems.append(f"词表 {path}：entries 超过 {MAX_ENTRIES} 条")
        return []
    lines = getattr(items, "pos", [])
    out = []
    for n, item in enumerate(items, 1):
        line = lines[n - 1][1] if n - 1 < len(lines) else None
        where = f"词表 {path} 第{n}条" + (f"（第{line}行）" if line else "")
        e = _entry(item, where, problems)
        if e is not None:
            out.append(e)
    return out


def load(user_files: list[str | Path] = (), shipped: bool = True) -> list[Entry]:
    """The shipped entries then each user file's; raises :class:`LexiconError` with every problem."""
    problems: list[str] = []
    entries: list[Entry] = []
    paths = ([shipped_path()] if shipped else []) + [Path(p) for p in user_files]
    for p in paths:
        entries += read_file(p, problems)
    if problems:
        raise LexiconError(problems)
    seen: dict[str, Entry] = {}
    for e in entries:  # a user's entry replaces a shipped one with the same wrong form
        seen[e.wrong] = e
    return list(seen.values())


def _excepted(text: str, at: int, e: Entry) -> bool:
    """Whether the occurrence of ``e.wrong`` at ``at`` lies inside one of the entry's exceptions."""
    for x in e.exceptions:
        k = x.find(e.wrong)
        while k >= 0:
            if text.startswith(x, at - k) and at - k >= 0:
                return True
            k = x.find(e.wrong, k + 1)
    return False


def context_at(text: str, start: int, end: int) -> str:
    """The sentence around ``text[start:end]``, at most CONTEXT_CHARS characters each side."""
    left = text[max(0, start - CONTEXT_CHARS):start]
    right = text[end:end + CONTEXT_CHARS]
    m = list(_SENTENCE_END.finditer(left))
    if m:
        left = left[m[-1].end():]
    m2 = _SENTENCE_END.search(right)
    if m2:
        right = right[:m2.end()]
    return " ".join((left + text[start:end] + right).split())


def scan(text: str, entries: list[Entry]) -> list[Hit]:
    """The first non-excepted occurrence of each entry's wrong form in ``text`` (compared after NFKC), in entry order."""
    norm = _nfkc(text)
    # the context is quoted from the page as written when NFKC kept every position (the usual case:
    # full-width punctuation maps one to one), else from the normalised text
    shown = text if len(norm) == len(text) else norm
    hits = []
    for e in entries:  # a loop over the lexicon's entries, each a C-speed find over the page
        at = norm.find(e.wrong)
        while at >= 0 and _excepted(norm, at, e):
            at = norm.find(e.wrong, at + 1)
        if at >= 0:
            hits.append(Hit(e, at, context_at(shown, at, at + len(e.wrong))))
    return hits


# -- the user's lexicon files for the rule kinds of one run

_USER_FILES: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("zwgk_lexicons", default=())


@contextmanager
def using_lexicons(files: list[str | Path] | tuple = ()):
    """Within the block, the rule kinds read these user lexicon files after the shipped one."""
    token = _USER_FILES.set(tuple(str(f) for f in files))
    try:
        yield
    finally:
        _USER_FILES.reset(token)


def user_files() -> tuple[str, ...]:
    """The user lexicon files of the current run (passed on to worker processes with the scoring job)."""
    return _USER_FILES.get()


def current() -> list[Entry]:
    """The shipped lexicon plus the files of :func:`using_lexicons` (validated by the CLI first)."""
    return load(list(_USER_FILES.get()))
