"""The 底稿 template an agency hands out: ``zwgk template --xlsx FILE`` / ``--csv DIR``.

The workbook has a 填写说明 sheet first, then one sheet per table named by its
Chinese name with Chinese headers; each header cell carries a note saying
what to write; yes/no and enumerated columns have drop-downs (lists on a
hidden 选项 sheet); date columns are formatted as dates; the header row is
frozen. Filled in, it is evidence as it is: the loader skips the 填写说明 and
选项 sheets, and in a workbook of one unit the other sheets' unit_id may be
left blank. With a unit row (``--unit``), the 单位 sheet is pre-filled.

The CSV variant is a folder of header-only CSV files (UTF-8 with BOM, Chinese
headers) plus 填写说明.txt; with a unit it is a unit folder (``unit.yaml``,
tables without unit_id).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from scoring.evidence.describe import (
    FILLING_RULES,
    INSTRUCTIONS_HEADER,
    header_note,
    instructions_rows,
    table_summary,
    values_text,
)
from scoring.evidence.schema import (
    INSTRUCTIONS_SHEET,
    OPTIONS_SHEET,
    TABLES,
    YES_NO,
    ColumnSpec,
    TableSpec,
)
from scoring.evidence.sheets import HEAD_FILL, HEAD_FONT, WRAP, display_width, print_wide, put_text, save_atomically
from scoring.safe_csv import table_bytes
from scoring.staging import publish

#: data rows that carry the drop-downs (a unit rarely has more; rows beyond still load)
DATA_ROWS = 5000
DATE_FORMAT = "yyyy-mm-dd"
UNIT_FILE = "unit.yaml"


def build_template(path: str | Path, unit: dict | None = None) -> Path:
    """Write the template workbook (atomically); ``unit`` is a units row to pre-fill."""
    wb = Workbook()
    _instructions(wb.active, unit)
    options = wb.create_sheet(OPTIONS_SHEET)
    lists = _option_lists(options)
    for t in TABLES.values():
        _table_sheet(wb.create_sheet(t.alias), t, lists, unit if t.name == "units" else None)
    wb.move_sheet(options, offset=len(wb.sheetnames))
    options.sheet_state = "hidden"
    return save_atomically(wb, path)


def _choices(c: ColumnSpec) -> tuple[str, ...]:
    return YES_NO if c.type == "bool" else c.values


def _option_lists(ws) -> dict[tuple[str, ...], str]:
    """Every drop-down list once, a column each on the hidden sheet; list -> range reference."""
    refs: dict[tuple[str, ...], str] = {}
    for t in TABLES.values():
        for c in t.columns:
            values = _choices(c)
            if not values or values in refs:
                continue
            col = get_column_letter(len(refs) + 1)
            put_text(ws[f"{col}1"], "是否" if c.type == "bool" else c.alias)
            for k, v in enumerate(values, start=2):
                put_text(ws[f"{col}{k}"], v)
            refs[values] = f"'{OPTIONS_SHEET}'!${col}$2:${col}${len(values) + 1}"
    return refs


def _table_sheet(ws, t: TableSpec, lists: dict[tuple[str, ...], str], unit: dict | None) -> None:
    for k, c in enumerate(t.columns, start=1):
        col = get_column_letter(k)
        cell = ws.cell(row=1, column=k)
        put_text(cell, c.alias)
        cell.font, cell.fill, cell.alignment = HEAD_FONT, HEAD_FILL, WRAP
        note = header_note(c, t)
        cell.comment = Comment(note, "zwgk", height=24 * (note.count("\n") + 2), width=320)
        ws.column_dimensions[col].width = min(40, max(10, display_width(c.alias) + 4, display_width(c.example) + 2))
        if c.type == "date":
            ws.column_dimensions[col].number_format = DATE_FORMAT
        values = _choices(c)
        if values:
            ws.add_data_validation(_drop_down(c, lists[values], f"{col}2:{col}{DATA_ROWS + 1}"))
        if unit is not None and unit.get(c.name) is not None:
            put_text(ws.cell(row=2, column=k), unit[c.name])
    ws.freeze_panes = "A2"


def _drop_down(c: ColumnSpec, ref: str, cells: str) -> DataValidation:
    """A list drop-down; an open list only warns, a closed one refuses other values."""
    closed = not c.open_values
    dv = DataValidation(type="list", formula1=ref, allow_blank=True, showDropDown=False,
                        showErrorMessage=True, errorStyle="stop" if closed else "warning",
                        errorTitle=c.alias, error=f"{c.alias}应为：{values_text(c)}" + ("" if closed else "；确定要填其他值吗？"))
    dv.add(cells)
    return dv


def _instructions(ws, unit: dict | None) -> None:
    ws.title = INSTRUCTIONS_SHEET
    rows: list[tuple[str, ...]] = []
    titles: list[int] = []

    def title(text: str) -> None:
        rows.append(())
        rows.append((text,))
        titles.append(len(rows))

    rows.append(("政务公开测评底稿 填写说明",))
    if unit is not None:
        rows.append((f"本工作簿供 {unit.get('name') or unit['unit_id']}（单位编码 {unit['unit_id']}）填写；"
                     "单位工作表已填好本单位信息，其他工作表的单位编码可以留空。",))
    title("填写要求")
    rows += [(f"{k}. {r}",) for k, r in enumerate(FILLING_RULES, start=1)]
    rows.append((f"{len(FILLING_RULES) + 1}. 各工作表表头的单元格带有批注，说明该列填什么；"
                 "有下拉箭头的列请从列表中选择。请勿修改工作表名称和表头。",))
    title("各工作表")
    rows += [(t.alias, table_summary(t)) for t in TABLES.values()]
    title("各列说明")
    rows.append(INSTRUCTIONS_HEADER)
    header_row = len(rows)
    rows += instructions_rows()
    for r, values in enumerate(rows, start=1):
        for k, v in enumerate(values, start=1):
            put_text(ws.cell(row=r, column=k), v)
    ws["A1"].font = Font(name="黑体", bold=True, size=14)
    for r in titles:
        ws.cell(row=r, column=1).font = HEAD_FONT
    for k in range(1, len(INSTRUCTIONS_HEADER) + 1):
        cell = ws.cell(row=header_row, column=k)
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
    for col, width in zip("ABCDEFGHI", (14, 16, 22, 8, 6, 36, 22, 28, 50)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = WRAP
    print_wide(ws)


# ---------------------------------------------------------------------------
# CSV folder


def write_csv_template(folder: str | Path, unit: dict | None = None) -> list[Path]:
    """Write the template as header-only CSV files (a unit folder when ``unit`` is given), atomically."""

    def fill(tmp: Path) -> None:
        for t in TABLES.values():
            if t.name == "units" and unit is not None:
                continue
            cols = [c for c in t.columns if not (unit is not None and c.name == "unit_id")]
            (tmp / f"{t.alias}.csv").write_bytes(table_bytes([c.alias for c in cols], [[] for _ in cols]))
        if unit is not None:
            row = {k: v for k, v in unit.items() if k in TABLES["units"].column_names and v is not None}
            (tmp / UNIT_FILE).write_text(yaml.safe_dump(row, allow_unicode=True, sort_keys=False), encoding="utf-8")
        (tmp / f"{INSTRUCTIONS_SHEET}.txt").write_text(_instructions_text(unit), encoding="utf-8-sig")

    return publish(folder, fill, option="--csv")


def _instructions_text(unit: dict | None) -> str:
    lines = ["政务公开测评底稿 填写说明", ""]
    if unit is not None:
        lines += [f"本文件夹供 {unit.get('name') or unit['unit_id']}（单位编码 {unit['unit_id']}）填写；"
                  "单位信息写在 unit.yaml 中，各表不需要单位编码列。", ""]
    lines += ["填写要求"] + [f"{k}. {r}" for k, r in enumerate(FILLING_RULES, start=1)]
    lines += [f"{len(FILLING_RULES) + 1}. CSV 文件请保存为 UTF-8 或 GBK 编码（Excel 另存为“CSV UTF-8”或“CSV”均可）。", ""]
    for t in TABLES.values():
        lines += [f"{t.alias}.csv：{table_summary(t)}"]
        lines += [f"  - {header_note(c, t).replace(chr(10), ' ')}" for c in t.columns]
        lines.append("")
    return "\r\n".join(lines)
