"""Read tables 二, 三, 四 of a published 政府信息公开工作年度报告 into ``annual_report_cells`` rows.

Works on HTML pages as saved from a unit's site (any encoding, messy markup),
``.docx`` files, PDF files with ruled tables and a text layer (pdf.py) and legacy
``.doc``/``.wps`` files (legacy.py, through LibreOffice). Both the 2021 format (国办公开办函〔2021〕30号)
and the 2019 trial format (〔2019〕60号) are read.

How a table is read (format-independent): every table of the page is expanded
into a grid (spans copied). A grid is recognised as table 2, 3 or 4 by how many
of its texts are labels of that table (CONTRACT.md); consecutive grids of the
same table (a table split across two ``<table>`` elements) are read as one.
Rows without numbers whose cells are column labels form the header; every grid
column gets a header path ("法人或其他组织/商业企业", "行政诉讼/复议后起诉/结果维持")
whose last label is the column and whose earlier labels can name the row
(table 4). A data row's label path is the deduplicated texts of its non-value
cells ("三、本年度办理结果/（三）不予公开/1.属于国家秘密"), matched to a
canonical row, tolerating a missing parent. Anything with numbers that cannot be
placed is an error naming the table, the printed row and the label.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from scoring.evidence import annual_labels as al
from scoring.annual_report.document import Document, Grid, SourceError, read_bytes

TABLE_TITLES = {
    "2": "表二（主动公开政府信息情况）",
    "3": "表三（收到和处理政府信息公开申请情况）",
    "4": "表四（政府信息公开行政复议、行政诉讼情况）",
}
#: rows without which table 3's first identity cannot be checked at all
T3_KEY_ROWS = (al.TABLE3_ROWS[0], al.TABLE3_ROWS[1], f"{al.T3_DISCLOSE}/总计", al.TABLE3_ROWS[-1])
_OTHER_PARENT = f"{al.T3_DISCLOSE}/其他处理"
_OTHER_SUBS = tuple(r for r in al.TABLE3_ROWS if r.startswith(_OTHER_PARENT + "/"))

CELL_COLUMNS = ["unit_id", "year", "table", "row", "col", "value"]
REPORT_COLUMNS = ["unit_id", "year", "published_on", "url", "attachment_url"]


# ---------------------------------------------------------------------------
# results


class ExtractError(Exception):
    """The page could not be read as an annual report; every problem, in Chinese."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [f"[错误] {self.source}：{p}" for p in self.problems]


@dataclass(frozen=True)
class NarrativeFigure:
    key: str            # column in annual_reports.csv
    label: str          # Chinese, for messages
    pattern: str        # regex with one group: the number
    cells: tuple[tuple[str, str, str], ...]  # (table, row, col) summed for the comparison; () = not compared


_NUM = r"(\d+|[零〇一二两三四五六七八九十百千]+)"
_GAP = r"[^。；;，,\d]{0,14}?"
NARRATIVE_FIGURES: tuple[NarrativeFigure, ...] = (
    NarrativeFigure("正文_本年新收申请", "本年新收政府信息公开申请",
                    rf"(?:收到|受理|新收|接收|接到){_GAP}申请{_GAP}(?:数量)?(?:为|共计|共|合计|总计)?{_NUM}(?:件|个|条|份|宗)",
                    (("3", al.TABLE3_ROWS[0], "总计"),)),
    NarrativeFigure("正文_上年结转申请", "上年结转政府信息公开申请",
                    rf"上一?年度?结转{_GAP}{_NUM}(?:件|个|条|份|宗)", (("3", al.TABLE3_ROWS[1], "总计"),)),
    NarrativeFigure("正文_结转下年度", "结转下年度继续办理",
                    rf"结转(?:至|到)?下一?年度?{_GAP}{_NUM}(?:件|个|条|份|宗)", (("3", al.TABLE3_ROWS[-1], "总计"),)),
    NarrativeFigure("正文_行政复议", "政府信息公开行政复议",
                    rf"行政复议{_GAP}{_NUM}(?:件|起|宗|个)", (("4", "行政复议", "总计"),)),
    NarrativeFigure("正文_行政诉讼", "政府信息公开行政诉讼",
                    rf"行政诉讼{_GAP}{_NUM}(?:件|起|宗|个)",
                    (("4", "行政诉讼/未经复议直接起诉", "总计"), ("4", "行政诉讼/复议后起诉", "总计"))),
    NarrativeFigure("正文_主动公开", "主动公开政府信息",
                    rf"主动公开{_GAP}(?:政府)?信息{_GAP}{_NUM}(?:条|件|个)", ()),
)


@dataclass
class ExtractResult:
    source: str
    url: str | None
    year: int | None
    published_on: dt.date | None
    #: "2021" or "2019" (trial format)
    format: str
    #: table, row, col (canonical labels), value (decimal text; "" = blank cell)
    cells: pd.DataFrame
    #: NarrativeFigure.key -> number quoted in the report's text
    narrative: dict[str, int] = field(default_factory=dict)
    #: NarrativeFigure.key -> the sentence it was read from
    narrative_quotes: dict[str, str] = field(default_factory=dict)
    title: str = ""
    warnings: list[str] = field(default_factory=list)
    #: the attachment (PDF, .doc ...) the tables were read from, when ``url`` is a page linking to it
    attachment_url: str | None = None

    def cells_frame(self, unit_id: str) -> pd.DataFrame:
        c = self.cells
        return pd.DataFrame({"unit_id": unit_id, "year": self.year, "table": c["table"], "row": c["row"],
                             "col": c["col"], "value": c["value"]}, columns=CELL_COLUMNS)

    def report_row(self, unit_id: str) -> dict[str, object]:
        row: dict[str, object] = {
            "unit_id": unit_id, "year": self.year,
            "published_on": self.published_on.isoformat() if self.published_on else "",
            "url": self.url or "",
            "attachment_url": self.attachment_url or "",
        }
        for f in NARRATIVE_FIGURES:
            row[f.key] = self.narrative.get(f.key, "")
        return row


# ---------------------------------------------------------------------------
# text helpers


def clean(text: str) -> str:
    """NFKC, every kind of space folded, runs of whitespace collapsed (line breaks kept as one space)."""
    t = unicodedata.normalize("NFKC", text).replace("\u200b", "").replace("\ufeff", "")
    return " ".join(t.split())


_DASHES = {"-", "—", "——", "--", "－", "–", "/", "\\", "无", "——", "―", "─", "_"}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def parse_value(text: str) -> tuple[str, str | None]:
    """('blank'|'dash'|'number'|'negative'|'text', decimal text) of a value cell as printed."""
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"[\s,，\u200b\ufeff]", "", t)
    if t == "":
        return "blank", None
    if t in _DASHES or set(t) <= set("-—－–―─_"):
        return "dash", None
    if t[:1] in "+＋" and _NUMBER.fullmatch(t[1:]):
        t = t[1:]
    elif t[:1] in "-－—–" and _NUMBER.fullmatch(t.lstrip("-－—–")):
        return "negative", "-" + t.lstrip("-－—–")
    if _NUMBER.fullmatch(t):
        try:
            return "number", format(Decimal(t).normalize(), "f")
        except InvalidOperation:  # pragma: no cover - the regex admits only decimals
            return "text", None
    return "text", None


def _key(text: str) -> str:
    return al.normalize_label(text)


_REMARK = re.compile(r"(?<=[^\s（(])[（(][^（）()]*[）)]")


def _strip_remarks(label: str) -> str:
    """'（二）部分公开（区分处理的…）' -> '（二）部分公开': trailing remarks in brackets go."""
    return "/".join(_REMARK.sub("", unicodedata.normalize("NFKC", seg)) for seg in label.split("/"))


def _parents(table: str) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for r in al.ROWS[table]:
        parts = r.split("/")
        for i in range(1, len(parts)):
            out.setdefault("/".join(parts[:i]), None)
    return tuple(out)


_PARENTS = {t: _parents(t) for t in al.ROWS}
_PARENT_KEYS = {t: {_key(p) for p in _PARENTS[t]} for t in al.ROWS}


def row_candidates(table: str, label: str) -> list[str]:
    """Canonical rows a printed label path can mean; a missing parent is supplied when that is unique."""
    found: list[str] = []
    for variant in dict.fromkeys((label, _strip_remarks(label))):
        r = al.canonical_row(table, variant)
        if r:
            return [r]
        for p in _PARENTS[table]:
            r = al.canonical_row(table, f"{p}/{variant}")
            if r and r not in found:
                found.append(r)
        if found:
            return found
    return found


def col_of(table: str, label: str) -> str | None:
    return al.canonical_col(table, label) or al.canonical_col(table, _strip_remarks(label))


def _dedupe(texts: list[str]) -> list[str]:
    out: list[str] = []
    last = None
    for t in texts:
        k = _key(t)
        if not k or k == last:
            continue
        out.append(clean(t))
        last = k
    return out


# ---------------------------------------------------------------------------
# recognising the report's tables


def _score(table: str, grid: Grid) -> int:
    texts = {clean(t) for row in grid.rows for t in row if t.strip()}
    n = 0
    for t in texts:
        if parse_value(t)[0] != "text" or len(t) > 80:
            continue
        if col_of(table, t) or len(row_candidates(table, t)) == 1:
            n += 1
    return n


_SECTION_HEADINGS = {
    "2": re.compile(r"主动公开政府信息(?:情况)?$"),
    "3": re.compile(r"收到和处理政府信息公开申请(?:情况)?$"),
    "4": re.compile(r"政府信息公开行政复议.{0,2}行政诉讼(?:情况)?$"),
    "5": re.compile(r"存在的主要问题"),
}


def _heading(text: str) -> str | None:
    k = _key(text)
    if len(k) > 30:
        return None
    for sec, rx in _SECTION_HEADINGS.items():
        if rx.search(k):
            return sec
    return None


def _classify(doc: Document, skip_tables: set[int]) -> list[tuple[str, list[Grid]]]:
    """Logical tables: (table number, its grids in order); layout tables are dropped."""
    # the section heading in force before each grid
    section_at: dict[int, str | None] = {}
    sec: str | None = None
    heads = [(i, _heading(l.text)) for i, l in enumerate(doc.lines) if l.table not in skip_tables]
    hi = 0
    for g in sorted(doc.grids, key=lambda g: (g.at, g.number)):
        while hi < len(heads) and heads[hi][0] < g.at:
            if heads[hi][1]:
                sec = heads[hi][1]
            hi += 1
        section_at[g.number] = sec
    picked: list[tuple[str, Grid]] = []
    for g in doc.grids:
        scores = {t: _score(t, g) for t in ("2", "3", "4")}
        best = max(scores.values())
        if best < 2:
            continue
        tops = [t for t, s in scores.items() if s == best]
        t = section_at[g.number] if section_at[g.number] in tops else tops[0]
        picked.append((t, g))
    out: list[tuple[str, list[Grid]]] = []
    for t, g in picked:
        if out and out[-1][0] == t:
            out[-1][1].append(g)
        else:
            out.append((t, [g]))
    return out


# ---------------------------------------------------------------------------
# reading one logical table


@dataclass
class _Col:
    col: str | None
    prefix: list[str]


def _header_map(table: str, run: list[list[str]], width: int) -> list[_Col]:
    cols: list[_Col] = []
    for j in range(width):
        segs = _dedupe([r[j] if j < len(r) else "" for r in run])
        found = _Col(None, [])
        for k in range(len(segs) - 1, -1, -1):
            c = col_of(table, segs[k]) or (col_of(table, "/".join(segs[k - 1:k + 1])) if k else None)
            if c:
                found = _Col(c, segs[:k])
                break
        cols.append(found)
    return cols


def _read_table(table: str, grids: list[Grid], problems: list[str], warnings: list[str]) -> list[tuple[str, str, str]]:
    """(row, col, value) of one logical table."""
    title = TABLE_TITLES[table]
    width = max((len(r) for g in grids for r in g.rows), default=0)
    cols: list[_Col] = []
    run: list[list[str]] = []
    pending: list[list[str]] = []
    run_closed = True
    values: dict[tuple[str, str], list[tuple[str, str | None, str]]] = {}
    prev_row: str | None = None
    multi = len(grids) > 1

    for gi, g in enumerate(grids):
        for ri, raw in enumerate(g.rows):
            where = f"{title}" + (f"第{gi + 1}部分" if multi else "") + f"第{ri + 1}行"
            # a narrower continuation table (without the outer label column) aligns right:
            # its values sit under the value columns, which are the table's last columns
            row = [""] * (width - len(raw)) + raw
            kinds = [parse_value(t) for t in row]
            has_number = any(k == "number" for k, _ in kinds)
            value_pos = [j for j, c in enumerate(cols) if c.col]
            kind, label, cands = _row_kind(table, row, kinds, value_pos)
            if kind == "header":
                run = (pending + [row]) if run_closed else (run + pending + [row])
                pending, run_closed = [], False
                cols = _header_map(table, run, width)
                continue
            if kind == "pending":
                pending.append(row)
                continue
            run_closed, pending = True, []
            if not any(c.col for c in cols):
                problems.append(f"{where}：找不到列标题（应有：{'、'.join(al.COLS[table])}）")
                continue
            if len(cands) > 1:
                near = [c for c in cands if prev_row and c.rsplit("/", 1)[0] == prev_row.rsplit("/", 1)[0]]
                if len(near) == 1:
                    cands = near
                else:
                    problems.append(f"{where}：行标题「{label}」有歧义，可能是：{'、'.join(cands)}")
                    continue
            row_label = cands[0] if cands else None
            if row_label is None and label and _key(_strip_remarks(label)).split("/")[-1] in {
                    k.split("/")[-1] for k in _PARENT_KEYS[table]}:
                warnings.append(f"{where}：「{label}」是小计行，模板中没有该行，已忽略")
                continue
            emitted = False
            for j, r, k, v in _row_values(table, where, row, kinds, cols, value_pos, row_label, label,
                                          problems, warnings):
                values.setdefault((r, cols[j].col), []).append((k, v, where))
                emitted = True
                prev_row = r
            if has_number:
                stray = [j for j in range(width) if j not in value_pos and kinds[j][0] == "number"]
                if stray and emitted:
                    msg = f"{where}：第{stray[0] + 1}列的数值「{clean(row[stray[0]])}」不在任何可识别的列标题下"
                    if table == "2":
                        warnings.append(msg + "（表二该列不在契约的列标签中，已跳过）")
                    else:
                        problems.append(msg + f"，应为：{'、'.join(al.COLS[table])}")

    return _collate(title, values, problems, warnings)


def _row_kind(table: str, row: list[str], kinds: list[tuple[str, str | None]],
              value_pos: list[int]) -> tuple[str, str, list[str]]:
    """(header | data | pending, the row's label, the template rows the label may be)."""
    label_texts = [row[j] for j in range(len(row)) if j not in value_pos and kinds[j][0] == "text"]
    label = "/".join(_dedupe(label_texts))
    cands = row_candidates(table, label) if label else []
    has_number = any(k == "number" for k, _ in kinds)
    distinct_cols = {col_of(table, clean(t)) for t, (k, _) in zip(row, kinds) if k == "text"} - {None}
    if not has_number and len(distinct_cols) >= 2 and not cands:
        return "header", label, cands
    if cands or has_number:
        return "data", label, cands
    return ("header" if distinct_cols else "pending"), label, cands


def _row_values(table, where, row, kinds, cols, value_pos, row_label, label, problems, warnings):
    """(column index, row label, value kind, value) of each readable value cell of a data row."""
    for j in value_pos:
        c = cols[j]
        r = row_label
        if r is None and not label:
            pc = row_candidates(table, "/".join(c.prefix)) if c.prefix else []
            r = pc[0] if len(pc) == 1 else None
        if r is None:
            if kinds[j][0] == "number":
                problems.append(f"{where}：行标题「{label or '（空）'}」无法识别，应为：{'、'.join(al.ROWS[table])}")
                return
            continue
        k, v = kinds[j]
        if k == "negative":
            warnings.append(f"{where}「{r}」行「{c.col}」列为负数 {v}；年报数据的数值应 ≥ 0，按空白记录")
            k, v = "dash", None
        if k == "text":
            problems.append(f"{where}「{r}」行「{c.col}」列：「{clean(row[j])}」不是数字")
            continue
        yield j, r, k, v


def _collate(title: str, values: dict, problems: list[str], warnings: list[str]) -> list[tuple[str, str, str]]:
    """One (row, col, value) per cell; a cell given different numbers in two places is a problem."""
    out: list[tuple[str, str, str]] = []
    for key in values:   # insertion order: the order the cells were first seen
        got = values[key]
        nums = list(dict.fromkeys(v for k, v, _ in got if k == "number"))
        if len(nums) > 1:
            places = "、".join(w for k, _, w in got if k == "number")
            problems.append(f"{title}「{key[0]}」行「{key[1]}」列出现了不同的数值 {'、'.join(nums)}（{places}）")
            continue
        if not nums and any(k == "dash" for k, _, _ in got):
            warnings.append(f"{title}「{key[0]}」行「{key[1]}」列印作「—」等符号，按空白（未知）处理")
        out.append((key[0], key[1], nums[0] if nums else ""))
    return out


# ---------------------------------------------------------------------------
# year, date, narrative


_YEAR_TITLE = re.compile(r"((?:19|20)\d{2})\s*年\s*度?[^。；;]{0,40}?(?:政府)?信息公开(?:工作)?(?:年度)?(?:报告|年报)")
_YEAR_PERIOD = re.compile(r"自\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*起?\s*至\s*\1\s*年\s*12\s*月\s*31\s*日")
_DATE = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
_PUB_LABEL = re.compile(r"(?:发布|公开|发稿|发文|信息)(?:日期|时间)\s*[:：]?\s*" + _DATE)
_PUB_META = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "published_time",
             "dc.date", "dcterms.issued", "date")


def _date(m: re.Match | None) -> dt.date | None:
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def find_year(doc: Document, text: str) -> int | None:
    for s in (clean(doc.title), text):
        m = _YEAR_TITLE.search(s)
        if m:
            return int(m.group(1))
    m = _YEAR_PERIOD.search(text)
    return int(m.group(1)) if m else None


def find_published_on(doc: Document, text: str) -> dt.date | None:
    for name in _PUB_META:
        if name in doc.meta:
            d = _date(re.search(_DATE, clean(doc.meta[name])))
            if d:
                return d
    return _date(_PUB_LABEL.search(text))


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_number(s: str) -> int | None:
    """'138' -> 138; '十二' -> 12; '一百零五' -> 105."""
    if s.isdigit():
        return int(s)
    total, digit = 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def find_narrative(text: str) -> tuple[dict[str, int], dict[str, str]]:
    figures: dict[str, int] = {}
    quotes: dict[str, str] = {}
    flat = re.sub(r"(?<=\d)[,，](?=\d{3}(?!\d))", "", "".join(text.split()))  # 1,234 -> 1234
    for f in NARRATIVE_FIGURES:
        m = re.search(f.pattern, flat)
        if not m:
            continue
        n = cn_number(m.group(1))
        if n is None:
            continue
        figures[f.key] = n
        start = max(flat.rfind("。", 0, m.start()) + 1, m.start() - 40)
        end = flat.find("。", m.end())
        quotes[f.key] = flat[start:(end if 0 <= end < m.end() + 40 else m.end() + 40)]
    return figures, quotes


# ---------------------------------------------------------------------------
# entry points


def extract_document(doc: Document, source: str, url: str | None = None, year: int | None = None) -> ExtractResult:
    problems: list[str] = []
    warnings: list[str] = []
    logical = _classify(doc, set())
    report_tables = {g.number for _, gs in logical for g in gs}
    outside = "\n".join(clean(l.text) for l in doc.lines if l.table not in report_tables)

    rows: list[tuple[str, str, str, str]] = []
    seen_tables: list[str] = []
    for t, grids in logical:
        if t in seen_tables:
            warnings.append(f"{TABLE_TITLES[t]}在页面中出现了不止一次，合并读取")
        seen_tables.append(t)
        rows += [(t, r, c, v) for r, c, v in _read_table(t, grids, problems, warnings)]

    cells = pd.DataFrame(rows, columns=["table", "row", "col", "value"])
    cells = cells.drop_duplicates(["table", "row", "col", "value"])
    dup = cells.duplicated(["table", "row", "col"], keep=False)
    for (t, r, c), grp in cells[dup].groupby(["table", "row", "col"], sort=False):
        problems.append(f"{TABLE_TITLES[t]}「{r}」行「{c}」列出现了不同的数值 {'、'.join(grp['value'])}")
    cells = cells.drop_duplicates(["table", "row", "col"], keep="first").reset_index(drop=True)

    found = set(cells["table"])
    missing = [TABLE_TITLES[t] for t in ("2", "3", "4") if t not in found]
    if len(missing) == 3:
        hint = f"页面标题：「{doc.title}」。" if doc.title else ""
        raise ExtractError(source, [
            f"没有找到年度报告的表格（{'、'.join(missing)}）。{hint}该文件可能不是政府信息公开工作年度报告，"
            "或者表格是图片、附件形式"] + problems)
    for t in ("2", "3", "4"):
        if t not in found:
            problems.append(f"没有找到{TABLE_TITLES[t]}：页面中没有一张表格含有该表的行、列标签"
                            f"（如 {'、'.join(al.ROWS[t][:2])}；{'、'.join(al.COLS[t][:3])}）")

    t3 = cells[cells["table"] == "3"]
    fmt = "2021" if t3["row"].isin(_OTHER_SUBS).any() else "2019"
    if "3" in found:
        key_missing = [r for r in T3_KEY_ROWS if r not in set(t3["row"])]
        if key_missing:
            problems.append(f"{TABLE_TITLES['3']}中没有找到这些行：{'、'.join(key_missing)}")
        col_missing = [c for c in al.TABLE3_COLS if c not in set(t3["col"])]
        if col_missing:
            problems.append(f"{TABLE_TITLES['3']}中没有找到这些列：{'、'.join(col_missing)}")
        skip = set(_OTHER_SUBS) if fmt == "2019" else {_OTHER_PARENT}
        absent = [r for r in al.TABLE3_ROWS if r not in skip and r not in T3_KEY_ROWS and r not in set(t3["row"])]
        if absent and not key_missing:
            warnings.append(f"{TABLE_TITLES['3']}中没有这些行，按空白（未知）处理：{'、'.join(absent)}")
    if "4" in found:
        t4 = cells[cells["table"] == "4"]
        gaps = [f"{r}/{c}" for r in al.TABLE4_ROWS for c in al.TABLE4_COLS
                if not ((t4["row"] == r) & (t4["col"] == c)).any()]
        if gaps:
            problems.append(f"{TABLE_TITLES['4']}中没有找到这些单元格：{'、'.join(gaps)}")

    text_all = "\n".join(clean(l.text) for l in doc.lines)
    found_year = find_year(doc, text_all)
    if year is not None and found_year is not None and found_year != year:
        warnings.append(f"报告标题中的年度是 {found_year}，按 --year 指定的 {year} 记录")
    year = year if year is not None else found_year
    if year is None:
        problems.append("识别不出报告年度（标题中应有“2025年…政府信息公开工作年度报告”），请用 --year 指定")
    published = find_published_on(doc, text_all)
    if published is None:
        warnings.append("页面上没有找到发布日期（“发布日期：…”或 PubDate 元数据），annual_reports 的发布日期留空")
    elif year is not None and published.year <= year:
        warnings.append(f"识别到的发布日期 {published.isoformat()} 不晚于报告年度 {year}，请核对")

    if problems:
        raise ExtractError(source, problems)
    narrative, quotes = find_narrative(outside)
    url = url or doc.canonical_url or doc.meta.get("url") or None
    return ExtractResult(source=source, url=url, year=year, published_on=published, format=fmt, cells=cells,
                         narrative=narrative, narrative_quotes=quotes, title=doc.title, warnings=warnings)


def extract_from_bytes(data: bytes, url: str, content_type: str | None = None,
                       year: int | None = None) -> ExtractResult:
    """What ``collect`` calls on a fetched report: HTML, .docx or PDF, told apart by content."""
    try:
        doc = read_bytes(data, content_type)
    except SourceError as exc:
        raise ExtractError(url, [str(exc)]) from exc
    return extract_document(doc, url, url=url or None, year=year)


def extract_file(path: str | Path, url: str | None = None, year: int | None = None) -> ExtractResult:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ExtractError(str(path), [f"无法读取该文件：{exc.strerror or exc}"]) from exc
    ct = {".pdf": "application/pdf"}.get(p.suffix.lower())
    try:
        doc = read_bytes(data, ct, p.name)
    except SourceError as exc:
        raise ExtractError(str(path), [str(exc)]) from exc
    return extract_document(doc, str(path), url=url, year=year)
