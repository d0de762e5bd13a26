"""The self-check as terminal text: 80 columns, CJK double-width aware, colour only on a tty."""

from __future__ import annotations

import dataclasses
import re
import unicodedata

import click

from scoring.check.view import CheckView, Fix, IndicatorView
from scoring.results import STATE_ZH, show_points

WIDTH = 80
NUM = 8          # width of each number column (得分 / 满分 / 失分)

#: indicator states in the 8-column score column: the one map, with 未提供底稿 shortened to fit
STATE_SHORT = {**STATE_ZH, "not_provided": "未提供"}
GRADE_COLOUR = {"优秀": "green", "良好": "green", "合格": "yellow", "不合格": "red"}


# --- evidence text on a terminal ---------------------------------------------

#: ESC sequences: CSI (colours, cursor moves), OSC (window title, clipboard, hyperlinks), DCS/SOS/PM/APC
#: strings, and the two-character ones; unterminated strings run to the end of the text
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(\x07|\x1b\\|\x9c)?"
    r"|[\x90\x98\x9d-\x9f][^\x07\x1b\x9c]*(\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
#: what remains of the C0 and C1 controls (tab and newline are spaces in a wrapped line), and the
#: bidirectional overrides that would show the text in another order than it is written
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """Evidence text as plain characters: control sequences that would retitle the window, write
    the clipboard or move the cursor are removed, other control characters dropped."""
    if text.isprintable():
        return text
    return _CONTROLS.sub("", _ESCAPES.sub("", text)).replace("\t", " ")


def _plain(value):
    """A copy of the view with every text in it passed through :func:`terminal_text`."""
    if isinstance(value, str):
        return terminal_text(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _plain(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return value


# --- display width ------------------------------------------------------------

def char_width(ch: str) -> int:
    """Terminal columns of one character.

    Wide and fullwidth characters take two. Ambiguous ones (·, …, ×, ━) take two in a
    CJK-locale terminal and one elsewhere; counting them as two keeps every line within
    the width in both.
    """
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Mn", "Me", "Cc"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1


def text_width(s: str) -> int:
    """Columns the text takes in a terminal (CJK characters take two)."""
    return sum(char_width(ch) for ch in s)


def clip(s: str, width: int) -> str:
    """Cut to at most ``width`` columns, ending in … when cut."""
    if text_width(s) <= width:
        return s
    head, _ = split_at(s, width - text_width("…"))
    return head + "…"


def pad(s: str, width: int, align: str = "<") -> str:
    s = clip(s, width)
    gap = " " * (width - text_width(s))
    return s + gap if align == "<" else gap + s


def wrap(s: str, width: int) -> list[str]:
    """Break text into lines of at most ``width`` columns (by character: Chinese has no spaces)."""
    lines: list[str] = []
    for para in str(s).splitlines() or [""]:
        rest = para
        while True:
            head, rest = split_at(rest, width)
            lines.append(head.rstrip())
            rest = rest.lstrip(" ")
            if not rest:
                break
    return lines


#: characters a line must not start with / end with (simple 禁则 line breaking)
NO_START = set("，。、；：？！）」』》〉】,.;:?!)]}%")
NO_END = set("（「『《〈【([{")


def split_at(s: str, width: int) -> tuple[str, str]:
    """The longest head of ``s`` within ``width`` columns, and the rest.

    A break never leaves closing punctuation at the start of the next line nor
    opening punctuation at the end of this one (the character moves down instead).
    """
    w = 0
    for i, ch in enumerate(s):
        w += char_width(ch)
        if w > width:
            cut = max(i, 1)
            while cut > 1 and cut < len(s) and (s[cut] in NO_START or s[cut - 1] in NO_END):
                cut -= 1
            if cut <= 1:
                cut = max(i, 1)
            return s[:cut], s[cut:]
    return s, ""


def hanging(prefix: str, text: str, indent: int, width: int = WIDTH) -> list[str]:
    """``prefix`` then ``text`` wrapped, continuation lines indented to ``indent`` columns."""
    text = " ".join(str(text).split())
    head, rest = split_at(text, width - text_width(prefix))
    out = [(prefix + head).rstrip()]
    if rest.strip():
        out += [" " * indent + p for p in wrap(rest.strip(), width - indent)]
    return out


# --- the view ----------------------------------------------------------------------

def render(view: CheckView, colour: bool = False, width: int = WIDTH) -> str:
    view = _plain(view)   # evidence text never reaches the terminal as control sequences

    def st(text: str, **kw) -> str:
        return click.style(text, **kw) if colour else text

    rule = "=" * width
    lines: list[str] = [st(rule, dim=True)]
    lines += hanging("政务公开自查  ", f"{view.unit_name}（{view.unit_id}），{view.unit_kind}", 14, width)
    lines.append(clip(f"测评基准日 {view.as_of}    评分细则 {view.rubric}", width))
    grade = st(view.grade, fg=GRADE_COLOUR.get(view.grade), bold=True)
    head = f"总分 {st(show_points(view.total), bold=True)} / {show_points(view.max)}    等级 {grade}"
    if view.bonus:
        head += f"    含加分 {show_points(view.bonus)}"
    if view.rank is not None:
        head += f"    组内排名 {view.rank}/{view.group_size}" if view.group_size else f"    组内排名 {view.rank}"
    lines.append(head)
    lines.append(st(rule, dim=True))

    if view.vetoes:
        banner = "!! 单项否决：无论得分多少，等级均为「不合格」"
        lines.append(st(pad(banner, width), fg="red", bold=True, reverse=True) if colour else banner)
        for iid, name, reason in view.vetoes:
            lines += [st(x, fg="red", bold=True) for x in hanging(f"   {iid} {name}：", reason, 6, width)]
        lines.append("")

    name_w = width - 3 * NUM
    lines.append(st(pad("指标", name_w) + pad("得分", NUM, ">") + pad("满分", NUM, ">") + pad("失分", NUM, ">"),
                    bold=True))
    for top in view.indicators:
        lines += _indicator_rows(top, 0, name_w, st)
    lines.append(st("-" * width, dim=True))
    lines.append(pad("合计", name_w) + pad(show_points(view.total), NUM, ">")
                 + pad(show_points(view.max), NUM, ">") + pad(_lost(view.lost), NUM, ">"))
    lines.append("")

    lines.append(st("优先整改（否决项在前，其余按可挽回分值从高到低）", bold=True))
    if not view.fixes:
        lines.append("  未发现扣分问题。")
    seen_rectify: dict[str, int] = {}
    for n, fix in enumerate(view.fixes, 1):
        lines += _fix_lines(n, fix, seen_rectify, width, st)
    return "\n".join(lines) + "\n"


def _lost(x) -> str:
    return show_points(x) if x else "-"


def _indicator_rows(ind: IndicatorView, depth: int, name_w: int, st) -> list[str]:
    label = "  " * depth + f"{ind.id}  {ind.name}"
    if ind.state != "scored":
        score = STATE_SHORT.get(ind.state, ind.state)
    else:
        score = ("+" if ind.bonus else "") + show_points(ind.score)
    lost = "" if ind.bonus else _lost(ind.lost)
    row = pad(label, name_w) + pad(score, NUM, ">") + pad(show_points(ind.max), NUM, ">") + pad(lost, NUM, ">")
    if ind.veto:
        row = st(row, fg="red", bold=True)
    elif depth == 0:
        row = st(row, bold=True)
    elif ind.lost:
        row = st(row, fg="yellow")
    out = [row]
    for c in ind.children:
        out += _indicator_rows(c, depth + 1, name_w, st)
    return out


def _fix_lines(n: int, fix: Fix, seen_rectify: dict[str, int], width: int, st) -> list[str]:
    num = f"{n:>2}. "
    if fix.veto:
        tag = st("【否决】", fg="red", bold=True)
        head = f"{fix.indicator_id} {fix.indicator_name}"
    else:
        tag = st(f"+{show_points(fix.recoverable)}分", fg="green", bold=True) + " "
        head = f"{fix.indicator_id} {fix.indicator_name}"
    ref = ""
    if fix.ref:
        ref = f"，编号 {fix.ref}"
    if fix.where:
        ref += f"（{fix.where}）"
    tag_plain = "【否决】" if fix.veto else f"+{show_points(fix.recoverable)}分 "
    out = hanging(num + tag_plain, head + ref, 5, width)
    out[0] = num + tag + out[0][len(num + tag_plain):]
    out += hanging("     问题：", fix.message, 11, width)
    key = fix.indicator_id + "\x00" + fix.rectify
    if fix.rectify:
        if key in seen_rectify and not fix.veto:
            out.append(f"     整改：同第 {seen_rectify[key]} 条")
        else:
            out += hanging("     整改：", fix.rectify, 11, width)
            seen_rectify.setdefault(key, n)
    return out
