"""docs/EVIDENCE.md, rendered from the evidence declarations (scoring/evidence/schema.py).

    python -m scoring.evidence.docs > docs/EVIDENCE.md      (or: make docs)

tests/test_evidence_docs.py fails when the file in the repository differs
from what this renders, so the format's reference cannot go stale.
"""

from __future__ import annotations

import sys

from scoring.evidence import annual_labels as al
from scoring.evidence.describe import FILLING_RULES, values_text
from scoring.evidence.schema import IGNORED_SHEETS, TABLES, TableSpec

HEADER = "<!-- 本文件由 `python -m scoring.evidence.docs > docs/EVIDENCE.md`（或 `make docs`）生成，请勿手工修改 -->"

LAYOUTS = (
    "**表文件夹**：一个文件夹，每张表一个文件（`.csv`，或只有一个工作表的 `.xlsx`），文件名为表的英文名或中文名"
    "（`requests.csv` 或 `依申请公开.csv`）；单位表（`units.csv` 或 `单位.csv`）必需，其他表可选。",
    "**一个工作簿**：一个 `.xlsx`，每张表一个工作表，工作表名为表的英文名或中文名；"
    f"名为 {'、'.join(IGNORED_SHEETS)} 的工作表（模板自带）不读取。",
    "**单位文件夹**：`unit.yaml`（单位表的一行，写作映射：`unit_id: QC-XQ-01`、`name: …`、`kind: 县区政府`，"
    "键可用中文列名）加上该单位的各表文件；各表可以不写单位编码列。",
    "**由单位文件夹组成的文件夹**：每个子文件夹是一个单位文件夹（`sample_units/` 即是）；没有 `unit.yaml` 的子文件夹被忽略。",
    "**由工作簿组成的文件夹**：每个 `.xlsx` 是一个单位（或几个单位）的工作簿，例如各单位填好的 `zwgk template` 模板；"
    "工作簿中有某张表的工作表，即视为其中的单位提供了该表。文件夹中不能同时有以表名命名的文件。",
)

ENCODINGS = ("CSV 文件可以是 UTF-8（有无 BOM 均可）或 GBK/GB18030（中文 Windows 上 Excel 另存的 CSV）；"
             "`.xlsx` 工作簿中的日期单元格、数字单元格按单元格的值读取，公式单元格取其计算结果。")


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ") if text not in (None, "") else ""


def _overview() -> list[str]:
    lines = ["| 表 | 中文名 | 用途 | 一行的标识 |", "|---|---|---|---|"]
    for t in TABLES.values():
        keys = " + ".join(f"{t.column(k).alias}（`{k}`）" for k in t.keys)
        lines.append(f"| `{t.name}` | {t.alias} | {_cell(t.purpose)} | {keys} |")
    return lines


def _table(t: TableSpec) -> list[str]:
    keys = " + ".join(t.column(k).alias for k in t.keys)
    unique = "" if not t.unique_id else ("，不得重复" if t.name == "units" else "，同一单位内不得重复")
    lines = [f"### {t.alias}（`{t.name}`）", "", f"{t.purpose}。文件名或工作表名：`{t.name}` 或 `{t.alias}`。"
             f"一行的标识：{keys}{unique}。", "",
             "| 列 | 中文名 | 类型 | 必填 | 可填的值 | 示例 | 留空表示 | 说明 |",
             "|---|---|---|---|---|---|---|---|"]
    for c in t.columns:
        lines.append(f"| `{c.name}` | {c.alias} | {c.type_name} | {'是' if c.required else ''} | "
                     f"{_cell(_values(t, c))} | "
                     f"{_cell(c.example)} | {_cell(c.blank_meaning)} | {_cell(c.note)} |")
    return lines + [""]


def _values(t: TableSpec, c) -> str:
    if t.name == "annual_report_cells" and c.name in ("row", "col"):
        return "见下文「年报数据的行和列」"
    return values_text(c)


def _annual_labels() -> list[str]:
    lines = ["## 年报数据的行和列", "",
             "「表」为年报模板的表号：2、3、4，即年度报告第二、三、四部分的表格。「行」为模板的行名，下级行写作从上级行起的"
             "路径，用 `/` 分隔，不带序号；年报上印的“一、”“（三）”“1.”等序号、全角字符、空格和标点可以照写，比较时忽略。"
             "「列」为模板的列名。写了未知的行或列名是错误，错误信息列出该表所有可用的名称。", ""]
    names = {"2": "表 2（第二部分 主动公开政府信息情况）", "3": "表 3（第三部分 收到和处理政府信息公开申请情况）",
             "4": "表 4（第四部分 政府信息公开行政复议、行政诉讼情况）"}
    for t in al.ROWS:
        lines += [f"**{names[t]}**", "", "- 行：" + "、".join(f"`{r}`" for r in al.ROWS[t]),
                  "- 列：" + "、".join(f"`{c}`" for c in al.COLS[t]), ""]
    return lines


def render() -> str:
    lines = [HEADER, "", "# 测评底稿格式", "",
             "测评底稿是 zwgk 评分的输入：每个单位的目录栏目、政策文件、政策解读、依申请公开、留言办理、年度报告、"
             "网站检查和加分事项，每类一张表。本文说明底稿的组织方式、每张表每一列的写法，以及模板和检查命令。", "",
             "**新增一张底稿表**：每张表在 `scoring/evidence/schema.py` 中是一份声明——表名、中文名、用途、一行的标识，"
             "每列的类型、中文名、是否必填、可填的值和规范化函数，以及表的跨列检查和派生列。读取底稿、`zwgk template`、"
             "`zwgk validate` 和本文都按声明工作：新增一张表即新增一份声明（需要时在 `scoring/evidence/checks.py` "
             "写一个具名的检查函数），再用 `make docs` 重新生成本文。", "",
             "## 组织方式", ""]
    lines += [f"- {x}" for x in LAYOUTS]
    lines += ["", "除单位表外，每张表都有单位编码列（`unit_id`），指明该行属于哪个单位。", "",
              "## 模板与检查", "",
              "- `zwgk template --xlsx 模板.xlsx [--unit 单位编码 [--units 底稿]]`：生成下发给各单位的工作簿——第一个工作表为"
              "填写说明，其后每张表一个工作表（中文表头，表头批注说明每列填什么，是否列和有固定选项的列带下拉列表，日期列按日期格式，"
              "表头冻结）。`--unit` 预填该单位的单位表（`--units` 从已有底稿的单位表取名称、类型等）。各单位填好的工作簿即可直接"
              "作为底稿：一个工作簿，或由这些工作簿组成的文件夹。`--csv 文件夹` 生成只有表头的 CSV 文件（另附 `填写说明.txt`；"
              "有 `--unit` 时为单位文件夹）。",
              "- `zwgk validate 底稿 [--xlsx 问题工作簿.xlsx]`：只读取、检查底稿，不评分，一次列出全部问题；没有错误时退出码 0，"
              "有错误时退出码 2。问题工作簿含「问题清单」工作表（文件、工作表、行、列、值、应当怎样写，可点击跳转），以及每个"
              "有问题的表的副本：出错的单元格标红并以批注写明问题（CSV 文件转为工作表；超过 1 万行的表只复制有问题的行，"
              "首列为原行号）。", "",
              "## 通用规则", ""]
    lines += [f"{k}. {r}" for k, r in enumerate(FILLING_RULES, start=1)]
    lines += ["", f"- **编码**：{ENCODINGS}",
              "- **日期与是否值**：日期中的数字可以是全角数字，日期后的时刻忽略；是否值不区分大小写。",
              "- **数字**：可带千位分隔符（`1,234`）；整数列不能有小数；标明 ≥ 0 的列不能为负数。",
              "- **出错时**：一次列出所有问题（文件、行号（表头为第 1 行）、列名、错误的值和应当怎样写），退出码 2，不写出任何结果。",
              "", "## 各表一览", ""]
    lines += _overview()
    lines += ["", "## 各表的列", ""]
    for t in TABLES.values():
        lines += _table(t)
    lines += _annual_labels()
    lines += ["## English summary", "",
              "The evidence is a folder of table files (CSV or one-sheet XLSX, `units` required), one workbook with a sheet "
              "per table, a unit folder (`unit.yaml` plus that unit's tables), a folder of unit folders, or a folder of "
              "workbooks (one per unit, e.g. filled `zwgk template` workbooks). Table and column names may be English or "
              "Chinese as listed above; CSV files may be UTF-8 (with or without BOM) or GBK/GB18030; dates and yes/no "
              "values may be spelled as listed under 通用规则; a blank cell means unknown (see each column's 留空表示). "
              "`zwgk template` writes the workbook an agency hands out; `zwgk validate` lists every problem without "
              "scoring (exit 0 clean, 2 otherwise) and can write a workbook with every wrong cell marked red and "
              "commented. This file is generated from scoring/evidence/schema.py (`make docs`).", ""]
    return "\n".join(lines)


def main() -> None:
    sys.stdout.buffer.write(render().encode("utf-8"))


if __name__ == "__main__":
    main()
