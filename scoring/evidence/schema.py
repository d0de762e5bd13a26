"""The evidence tables of CONTRACT.md §1, described once.

Each table and column has an English name and a Chinese alias; headers in a
user's file may be either. The loader turns every table into a pandas
DataFrame whose columns are the English names, typed as follows:

===========  =========================================================
type         pandas dtype in the loaded frame
===========  =========================================================
text, url    object (str), blank -> None
path         object (str) as written; the loader adds ``_text_path``
             (absolute path) for ``interpretations.text_file``
int          ``Int64`` (nullable)
number       ``float64`` (NaN = blank)
date         ``datetime64[ns]`` at midnight (NaT = blank)
bool         ``boolean`` (nullable; <NA> = blank = unknown)
===========  =========================================================

Every loaded frame also carries ``_file`` (the file as the user names it,
with ``[sheet]`` for workbooks) and ``_row`` (the row as the user sees it,
header = row 1), so a finding can point at the user's own evidence row.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

ColumnType = Literal["text", "url", "path", "int", "number", "date", "bool"]


class ColumnSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    alias: str
    type: ColumnType = "text"
    required: bool = False
    min_value: float | None = None
    note: str = ""


class TableSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    alias: str
    columns: tuple[ColumnSpec, ...]
    #: column whose value identifies a row for the user (a finding's ``ref``)
    id_column: str | None = None
    #: the id must be unique within a unit
    unique_id: bool = False

    def column(self, name: str) -> ColumnSpec:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, alias: str, type: ColumnType = "text", required: bool = False,
       min_value: float | None = None, note: str = "") -> ColumnSpec:
    return ColumnSpec(name=name, alias=alias, type=type, required=required,
                      min_value=min_value, note=note)


UNIT_ID = _c("unit_id", "单位编码", required=True)

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in [
        TableSpec(
            name="units", alias="单位", id_column="unit_id", unique_id=True,
            columns=(
                UNIT_ID,
                _c("name", "单位名称", required=True),
                _c("kind", "单位类型", required=True),
                _c("region", "所属地区"),
                _c("site_url", "网站地址", "url"),
            ),
        ),
        TableSpec(
            name="catalog", alias="目录栏目", id_column="column",
            columns=(
                UNIT_ID,
                _c("column", "栏目名称", required=True),
                _c("items", "信息条数", "int", min_value=0),
                _c("last_updated", "最近更新日期", "date"),
                _c("url", "栏目地址", "url"),
            ),
        ),
        TableSpec(
            name="documents", alias="政策文件", id_column="doc_id", unique_id=True,
            columns=(
                UNIT_ID,
                _c("doc_id", "文件编号", required=True),
                _c("title", "文件标题", required=True),
                _c("doc_number", "文号"),
                _c("written_on", "成文日期", "date"),
                _c("published_on", "发布日期", "date"),
                _c("effective_on", "生效日期", "date"),
                _c("validity", "有效性"),
                _c("normative", "规范性文件", "bool"),
                _c("needs_interpretation", "需解读", "bool"),
                _c("downloadable", "可下载", "bool"),
            ),
        ),
        TableSpec(
            name="interpretations", alias="政策解读", id_column="interp_id", unique_id=True,
            columns=(
                UNIT_ID,
                _c("interp_id", "解读编号", required=True),
                _c("doc_id", "关联文件编号"),
                _c("published_on", "发布日期", "date"),
                _c("forms", "解读形式"),
                _c("text", "解读正文"),
                _c("text_file", "正文文件", "path"),
                _c("linked", "相互关联", "bool"),
            ),
        ),
        TableSpec(
            name="requests", alias="依申请公开", id_column="request_id", unique_id=True,
            columns=(
                UNIT_ID,
                _c("request_id", "申请编号", required=True),
                _c("received_on", "收到日期", "date", required=True),
                _c("correction_notice_on", "补正告知日期", "date"),
                _c("corrected_on", "补正收到日期", "date"),
                _c("consultation_days", "征求意见工作日", "int", min_value=0),
                _c("extended", "延期", "bool"),
                _c("extension_notice_on", "延期告知日期", "date"),
                _c("replied_on", "答复日期", "date"),
                _c("outcome", "答复结果"),
                _c("states_reason", "说明理由", "bool"),
                _c("informs_remedy", "告知救济", "bool"),
            ),
        ),
        TableSpec(
            name="messages", alias="留言办理", id_column="message_id", unique_id=True,
            columns=(
                UNIT_ID,
                _c("message_id", "留言编号", required=True),
                _c("received_on", "留言日期", "date", required=True),
                _c("replied_on", "答复日期", "date"),
                _c("channel", "渠道"),
            ),
        ),
        TableSpec(
            name="annual_reports", alias="年度报告", id_column="year", unique_id=True,
            columns=(
                UNIT_ID,
                _c("year", "年度", "int", required=True),
                _c("published_on", "发布日期", "date"),
                _c("url", "地址", "url"),
                # the PDF / .doc the report page links to, when the tables were read from it
                _c("attachment_url", "附件地址", "url"),
            ),
        ),
        TableSpec(
            name="annual_report_cells", alias="年报数据", id_column=None,
            columns=(
                UNIT_ID,
                _c("year", "年度", "int", required=True),
                _c("table", "表", required=True),
                _c("row", "行", required=True),
                _c("col", "列", required=True),
                _c("value", "数值", "number", min_value=0),
            ),
        ),
        TableSpec(
            name="site_checks", alias="网站检查", id_column="url",
            columns=(
                UNIT_ID,
                _c("url", "地址", "url", required=True),
                _c("kind", "类型"),
                _c("status", "状态"),
                _c("checked_on", "检查日期", "date"),
                _c("last_updated", "最近更新日期", "date"),
                _c("found_on", "所在页面", "url"),
            ),
        ),
        TableSpec(
            name="bonus", alias="加分", id_column="item",
            columns=(
                UNIT_ID,
                _c("item", "加分事项", required=True),
                _c("points", "分值", "number", required=True),
                _c("basis", "依据"),
            ),
        ),
    ]
}

#: table name or alias -> English table name
TABLE_NAMES: dict[str, str] = {}
for _t in TABLES.values():
    TABLE_NAMES[_t.name] = _t.name
    TABLE_NAMES[_t.alias] = _t.name

#: allowed values of labelled columns; an unknown label is an error
OUTCOMES = ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")
VALIDITY = ("有效", "失效", "废止", "已修改")
SITE_CHECK_KINDS = ("home", "page", "link", "column")
SITE_CHECK_ERRORS = ("timeout", "dns", "refused", "tls", "too_many_redirects", "too_large")
