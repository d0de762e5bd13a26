"""How the evidence declarations are told to users: shared by docs/EVIDENCE.md and the template workbook."""

from __future__ import annotations

from scoring.evidence.parse import BOOL_SPELLINGS, DATE_SPELLINGS
from scoring.evidence.schema import INSTRUCTIONS_SHEET, TABLES, YES_NO, ColumnSpec, TableSpec

#: the general rules of filling in evidence, one sentence each
FILLING_RULES: tuple[str, ...] = (
    "表头可用中文列名或英文列名，列的顺序不限；多余的列保留，不参与评分。表头占第 1 行，数据从第 2 行起。",
    f"日期可写作 {DATE_SPELLINGS}。",
    f"是否值可写作 {BOOL_SPELLINGS}；空白表示未知。",
    "空白单元格表示“未知”或“没有”，各列留空的含义见下表；必填列不能留空。",
    "一张表只有表头、没有数据行，表示该单位没有此类事项；缺少整张表，表示未提供该表（相关指标记为“未提供底稿”）。",
    "只有一个单位的工作簿（单位表只有一行）或单位文件夹中，其他各表的单位编码可以留空，即为该单位。",
    "同一单位内，编号（申请编号、文件编号等）不得重复。",
)


def values_text(c: ColumnSpec) -> str:
    """The allowed values of a column as users read them ('' when any text is allowed)."""
    if c.type == "bool":
        return "/".join(YES_NO) + f"（也可写 {BOOL_SPELLINGS.removeprefix('是/否、')}）"
    if not c.values:
        return "≥ 0" if c.min_value == 0 else ""
    listed = "、".join(c.values)
    return f"常用：{listed} 等" if c.open_values else listed


def header_note(c: ColumnSpec, table: TableSpec) -> str:
    """What to write in a column: the note on a template's header cell."""
    lines = [f"{c.alias}（{c.name}）：{c.type_name}，{'必填' if c.required else '选填'}。"]
    if c.note:
        lines.append(c.note + "。")
    if c.type == "date":
        lines.append(f"日期可写作 {DATE_SPELLINGS}。")
    values = values_text(c)
    if values and c.type != "bool":
        lines.append(("可填：" if not c.open_values else "") + values + "。")
    elif c.type == "bool":
        lines.append(f"填 {values}。")
    if c.example:
        lines.append(f"例：{c.example}")
    lines.append(f"留空表示：{c.blank_meaning}。")
    if table.unique_id and c.name == table.id_column:
        lines.append("同一单位内不得重复。")
    return "\n".join(lines)


def table_summary(t: TableSpec) -> str:
    """One line per table: purpose, required columns, key."""
    required = "、".join(c.alias for c in t.columns if c.required and c.name != "unit_id") or "无"
    return f"{t.purpose}。必填列：{required}。"


def instructions_rows() -> list[tuple[str, ...]]:
    """The column reference of the 填写说明 sheet: one row per table column."""
    rows = []
    for t in TABLES.values():
        for c in t.columns:
            rows.append((t.alias, c.alias, c.name, c.type_name, "是" if c.required else "",
                         values_text(c), c.example, c.blank_meaning, c.note))
    return rows


INSTRUCTIONS_HEADER = ("工作表", "列名", "英文列名", "类型", "必填", "可填的值", "示例", "留空表示", "说明")
INSTRUCTIONS_TITLE = f"测评底稿{INSTRUCTIONS_SHEET}"
