"""ranking.xlsx: the ranked workbook an agency forwards, rendered from results.json alone.

Sheets: 总体排名, 分项得分, 扣分明细, 否决事项, 指标说明, 分数分布.
Text from evidence is always stored as a string cell, never as a formula.
"""

from __future__ import annotations

from copy import copy

import pandas as pd
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from scoring.report.notices import notice_names
from scoring.results import FINDING_KIND_ZH, STATE_ZH, Pts, Results


class Comparison:
    """The 较上轮 column: each unit's rank change against a recorded round (「↑3」「↓2」「持平」「新增」)."""

    def __init__(self, round_name: str, labels: dict[str, str]):
        self.round_name = round_name
        self.labels = labels

    def label(self, unit_id: str) -> str:
        return self.labels.get(unit_id, "新增")

BODY_FONT = "宋体"
HEAD_FONT = "黑体"
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
NUM_FMT = "0.00"
#: states without a score: the 分项得分 cell shows the state instead
_NO_SCORE_STATES = ("not_applicable", "cannot_check")


def _text(cell, value) -> None:
    """Store as a string, whatever it looks like (a title starting with '=' stays text).

    Control characters that XML cannot hold are dropped (openpyxl would refuse them).
    """
    cell.value = "" if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.data_type = "s"


def _num(p: Pts | None):
    """The shown value (half-up to 2 decimals, as in scores.csv)."""
    return None if p is None else p.value


def grade_fills(results: Results) -> dict[str, str]:
    """A fill colour per grade, best (green) to worst (red), whatever the rubric calls them."""
    names = [g.name for g in results.grades]
    if results.veto_grade not in names:
        names.append(results.veto_grade)
    palette = ["C6EFCE", "DDEBF7", "FFF2CC", "FCE4D6", "FFC7CE"]
    out = {}
    for k, name in enumerate(names):
        out[name] = palette[-1] if k == len(names) - 1 else palette[min(k, len(palette) - 2)]
    return out


def _display_width(text: str) -> int:
    """Width in Excel character units: a CJK character counts two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


class _Sheet:
    def __init__(self, wb: Workbook, title: str, heading: str, columns: list[tuple[str, int]], first: bool = False):
        self.ws = wb.active if first else wb.create_sheet()
        self.ws.title = title
        self.columns = columns
        n = len(columns)
        ws = self.ws
        _text(ws.cell(1, 1), heading)
        ws.cell(1, 1).font = Font(name=HEAD_FONT, size=14, bold=True)
        ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
        ws.row_dimensions[1].height = 28
        longest = max(_display_width(name) / max(width, 1) for name, width in columns)
        ws.row_dimensions[2].height = 15 * max(1, min(4, int(longest) + 1))
        for j, (name, width) in enumerate(columns, 1):
            c = ws.cell(2, j)
            _text(c, name)
            c.font = Font(name=HEAD_FONT, size=11, bold=True)
            c.fill = HEAD_FILL
            c.border = BORDER
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            ws.column_dimensions[get_column_letter(j)].width = width
        self.row = 3
        self._styles: dict = {}

    def add(self, values: list, numeric: set[int] = frozenset(), wrap: set[int] = frozenset()) -> int:
        ws = self.ws
        for j, v in enumerate(values, 1):
            c = ws.cell(self.row, j)
            fmt = None
            if j - 1 in numeric and v is not None and not isinstance(v, str):
                c.value = v
                fmt = NUM_FMT if isinstance(v, float) else "0"
            else:
                _text(c, v)
            # a body cell has one of a few styles: style the first one, copy its style ids to the
            # rest (setting font, border and alignment per cell was most of the workbook's time)
            key = (fmt, (j - 1) in wrap)
            style = self._styles.get(key)
            if style is None:
                if fmt is not None:
                    c.number_format = fmt
                c.font = Font(name=BODY_FONT, size=10.5)
                c.border = BORDER
                c.alignment = Alignment(vertical="top", wrap_text=(j - 1) in wrap)
                self._styles[key] = copy(c._style)
            else:
                c._style = copy(style)
        # wrapped text gets an explicit row height: LibreOffice (and Excel until the
        # row is touched) shows one line otherwise and the rest is cut off
        lines = 1
        for j in wrap:
            v = values[j] if j < len(values) else None
            if isinstance(v, str) and v:
                usable = max(self.columns[j][1] - 1, 1)
                lines = max(lines, sum(-(-_display_width(part) // usable) or 1 for part in v.split("\n")))
        if lines > 1:
            ws.row_dimensions[self.row].height = min(409, 15 * lines)
        self.row += 1
        return self.row - 1

    def finish(self, landscape: bool = True) -> None:
        ws = self.ws
        last = get_column_letter(len(self.columns))
        ws.freeze_panes = "A3"
        if self.row > 3:
            ws.auto_filter.ref = f"A2:{last}{self.row - 1}"
        ws.print_title_rows = "1:2"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _grade_formatting(ws, col_letter: str, first: int, last: int, fills: dict[str, str]) -> None:
    """Colour each unit's row by its grade (conditional formatting: stays right when the sheet is sorted)."""
    if last < first:
        return
    rng = f"A{first}:{get_column_letter(ws.max_column)}{last}"
    for grade, color in fills.items():
        literal = grade.replace('"', '""')
        ws.conditional_formatting.add(
            rng, FormulaRule(formula=[f'${col_letter}{first}="{literal}"'], fill=PatternFill("solid", bgColor=color)))


def build_workbook(results: Results, path: Path, compare: Comparison | None = None) -> Path:
    wb = Workbook()
    title = f"{results.rubric.title} 测评结果（基准日 {results.as_of}；评分细则 {results.rubric.id} 版本 {results.rubric.version}）"
    _ranking_sheet(wb, results, title, compare)
    _scores_sheet(wb, results, title)
    _findings_sheet(wb, results, title)
    _veto_sheet(wb, results, title)
    _indicators_sheet(wb, results, title)
    _distribution_sheet(wb, results, title)
    wb.properties.title = title
    wb.properties.creator = "zwgk"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _ranking_sheet(wb: Workbook, results: Results, title: str, compare: Comparison | None) -> None:
    """总体排名: one row per unit in rank order, top-level indicator scores, veto reasons, notice file."""
    tops = [i for i in results.indicators if i.parent is None and i.type == "indicator"]
    cols = [("分组", 12), ("名次", 6), ("单位编码", 12), ("单位名称", 28), ("总分", 8), ("等次", 8)]
    extra = [(f"较上轮（{compare.round_name}）", 10)] if compare else []
    cols += extra
    cols += [(f"{t.id} {t.title}（{t.points.value:g}）", 12) for t in tops]
    cols += [("加分", 6), ("单项否决事由", 40), ("整改通知书", 20)]
    s = _Sheet(wb, "总体排名", title, cols, first=True)
    notices = notice_names(results)
    for u in results.units:
        scores = {i.id: i for i in u.indicators}
        vals = [u.group, u.rank, u.unit_id, u.name, _num(u.total), u.grade]
        vals += [compare.label(u.unit_id)] if compare else []
        vals += [_num(scores[t.id].score) if t.id in scores and scores[t.id].score else "—"
                 for t in tops]
        vals += [_num(u.bonus),
                 "；".join(f"{v.indicator_id} {v.title}：{v.reason}" for v in u.veto_reasons) if u.vetoed else "",
                 f"notices/{notices[u.unit_id]}.docx" if u.unit_id in notices else ""]
        numeric = {1, 4} | set(range(6 + len(extra), 6 + len(extra) + len(tops) + 1))
        s.add(vals, numeric=numeric, wrap={len(vals) - 2, len(vals) - 1})
    _grade_formatting(s.ws, "F", 3, s.row - 1, grade_fills(results))
    s.finish()


def _scores_sheet(wb: Workbook, results: Results, title: str) -> None:
    """分项得分: every indicator's score per unit (or the state when it has none)."""
    cols = [("分组", 12), ("单位编码", 12), ("单位名称", 24)]
    cols += [(f"{i.id} {i.title}（{i.points.value:g}）", 9) for i in results.indicators]
    s = _Sheet(wb, "分项得分", title, cols)
    for u in results.units:
        scores = {i.id: i for i in u.indicators}
        vals = [u.group, u.unit_id, u.name]
        for i in results.indicators:
            r = scores.get(i.id)
            if r is None:
                vals.append("—")
            elif r.score is None:
                vals.append(STATE_ZH[r.state] if r.state in _NO_SCORE_STATES else "—")
            else:
                vals.append(_num(r.score))
        s.add(vals, numeric=set(range(3, len(vals))))
    s.ws.freeze_panes = "D3"
    s.finish()


def _findings_sheet(wb: Workbook, results: Results, title: str) -> None:
    """扣分明细: every finding with where in the evidence it comes from."""
    cols = [("单位编码", 12), ("单位名称", 22), ("指标", 8), ("指标名称", 14), ("底稿表", 12), ("证据编号", 16),
            ("底稿位置", 22), ("问题", 60), ("扣分", 6), ("类型", 8), ("整改要求", 40)]
    s = _Sheet(wb, "扣分明细", title, cols)
    for u in results.units:
        for i in u.indicators:
            for f in i.findings:
                where = f.file + (f" 第{f.row}行" if f.row else "")
                s.add([u.unit_id, u.name, i.id, i.title, f.table, f.ref, where, f.message,
                       _num(f.deduction), FINDING_KIND_ZH.get(f.kind, f.kind), f.rectify],
                      numeric={8}, wrap={7, 10})
    s.finish()


def _veto_sheet(wb: Workbook, results: Results, title: str) -> None:
    """否决事项: one row per veto reason."""
    s = _Sheet(wb, "否决事项", title, [("分组", 12), ("单位编码", 12), ("单位名称", 28), ("指标", 8),
                                       ("指标名称", 14), ("否决事由", 70), ("计算得分", 10)])
    for u in results.units:
        for v in u.veto_reasons:
            s.add([u.group, u.unit_id, u.name, v.indicator_id, v.title, v.reason, _num(u.total)],
                  numeric={6}, wrap={5})
    s.finish()


def _indicators_sheet(wb: Workbook, results: Results, title: str) -> None:
    """指标说明: the rubric's indicator tree with points, rule and standard."""
    bonus_id = results.bonus.id if results.bonus else None
    s = _Sheet(wb, "指标说明", title, [("编号", 8), ("上级", 6), ("指标", 18), ("分值", 8), ("规则类型", 24),
                                       ("评分标准", 60), ("整改要求", 50)])
    for i in results.indicators:
        s.add([i.id, i.parent or "", ("　" * i.level) + i.title, _num(i.points),
               i.rule or ("加分" if i.id == bonus_id else ""), i.description, i.rectify],
              numeric={3}, wrap={5, 6})
    s.finish(landscape=True)


def _distribution_sheet(wb: Workbook, results: Results, title: str) -> None:
    """分数分布 + chart: units per grade band in each group (vetoed units count under the veto grade)."""
    groups = [g.name for g in results.groups]
    bands = [(g.name, f"{g.name}（{g.min.value:g}分及以上）" if g.min.fraction > 0 else g.name)
             for g in results.grades]
    if results.veto_grade not in [b[0] for b in bands]:
        bands.append((results.veto_grade, results.veto_grade))
    table = pd.crosstab(pd.Series([u.grade for u in results.units], dtype="object", name="grade"),
                        pd.Series([u.group for u in results.units], dtype="object", name="group"))
    table = table.reindex(index=[b[0] for b in bands], columns=groups, fill_value=0)
    s = _Sheet(wb, "分数分布", title, [("等次（分数段）", 22)] + [(g, 12) for g in groups])
    for name, label in bands:
        s.add([label] + [int(v) for v in table.loc[name]], numeric=set(range(1, len(groups) + 1)))
    chart = BarChart()
    chart.type = "col"
    chart.title = "各组得分分布（单位数）"
    chart.y_axis.title = "单位数"
    chart.x_axis.title = "分数段"
    data = Reference(s.ws, min_col=2, max_col=1 + len(groups), min_row=2, max_row=2 + len(bands))
    cats = Reference(s.ws, min_col=1, min_row=3, max_row=2 + len(bands))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.height, chart.width = 9, 18
    s.ws.add_chart(chart, f"A{4 + len(bands)}")
    s.finish()
