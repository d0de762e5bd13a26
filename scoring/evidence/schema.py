"""The evidence tables (测评底稿), declared once: docs/EVIDENCE.md, the template and the loader read them.

A table is one :class:`TableSpec`; the loader has no table-specific code. Adding
a table means adding its declaration to ``TABLES`` (and, when it needs one, a
named function in scoring/evidence/checks.py).

Column (:class:`ColumnSpec`):

==============  ==============================================================
``name``        English name (headers may be written in any case)
``alias``       Chinese name; a header may be either name
``type``        how cells are parsed (table below); a cell that does not parse is an error
``required``    the column must be in the file and no cell may be blank
``min_value``   cells below it are errors ("不能为负数")
``values``      allowed values; an unknown value is an error ("未知的{value_name}")
``open_values`` ``values`` are only the usual ones (docs, template lists); others pass
``value_name``  what a value is called in that error; default ``alias``
``normaliser``  ``(values, frame, column) -> (values, problems)``: rewrites the typed
                column (canonical spellings) and reports cells it cannot place, in
                place of the check against ``values``
``note``, ``example``, ``blank``  for users: docs/EVIDENCE.md and the template
==============  ==============================================================

Table (:class:`TableSpec`):

==============  ==============================================================
``name``        English name; ``alias`` Chinese name (file or sheet name)
``purpose``     one line for users
``columns``     the columns, in the order docs and templates show them
``keys``        the columns that identify a row
``id_column``   the column a finding's ``ref`` shows; ``unique_id``: unique within a unit
``derived``     ``(name, (frame, base_dir) -> Series)`` pairs: columns the loader adds
``row_checks``  ``(frame, base_dir) -> problems``: rules across a row's columns
==============  ==============================================================

The loader (``load._check_table``) runs every table through the same stage:
each column parsed by type (with ``min_value`` and ``required``), then each
column's ``normaliser`` or ``values`` check, the ``derived`` columns, the
``row_checks``; ids are checked once all files of a table are together. A
problem is a :class:`checks.Problem`, a boolean mask of rows on one column
and a message; the loader names file, row, header and value.

The loader turns every table into a pandas DataFrame whose columns are the
English names, typed as follows:

===========  =========================================================
type         pandas dtype in the loaded frame
===========  =========================================================
text, url    object (str), blank -> None
path         object (str) as written; ``interpretations`` derives
             ``_text_path`` (absolute path of ``text_file``)
int          ``Int64`` (nullable)
number       ``float64`` (NaN = blank)
date         ``datetime64[ns]`` at midnight (NaT = blank)
bool         ``boolean`` (nullable; <NA> = blank = unknown)
===========  =========================================================

Every loaded frame also carries ``_file`` (the file as the user names it,
with ``[sheet]`` for workbooks) and ``_row`` (the row as the user sees it,
header = row 1), so a finding can point at the user's own evidence row.

``python -m scoring.evidence.docs`` renders docs/EVIDENCE.md from these
declarations; a test fails when that file is stale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from scoring.evidence import annual_labels as al
from scoring.evidence import checks

ColumnType = Literal["text", "url", "path", "int", "number", "date", "bool"]

#: how each type is named for users (docs, template notes)
TYPE_NAMES: dict[str, str] = {
    "text": "文字", "url": "网址", "path": "文件路径", "int": "整数", "number": "数字",
    "date": "日期", "bool": "是/否",
}

#: what a blank cell means when a column does not say otherwise
_BLANK_BY_TYPE: dict[str, str] = {
    "text": "未填写", "url": "未填写", "path": "没有正文文件", "int": "未知", "number": "未知",
    "date": "未知", "bool": "未知",
}

#: sheets of a template workbook that are not tables: the loader skips them without a warning
INSTRUCTIONS_SHEET = "填写说明"
OPTIONS_SHEET = "选项"
IGNORED_SHEETS = (INSTRUCTIONS_SHEET, OPTIONS_SHEET)


class ColumnSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    alias: str
    type: ColumnType = "text"
    required: bool = False
    min_value: float | None = None
    #: what the column holds (Chinese, for users)
    note: str = ""
    #: allowed values; an unknown value is an error unless ``open_values``
    values: tuple[str, ...] = ()
    #: ``values`` are the usual ones only; others are accepted
    open_values: bool = False
    example: str = ""
    #: what a blank cell means (Chinese); default "不能留空" when required, else by type
    blank: str = ""
    #: what one allowed value is called in the error for an unknown one; default the alias
    value_name: str = ""
    #: ``(values, frame, column) -> (values, problems)``, run after typing (scoring/evidence/checks.py);
    #: it maps each cell to an allowed value or reports it, in place of the check against ``values``
    normaliser: Callable | None = None

    @property
    def blank_meaning(self) -> str:
        if self.blank:
            return self.blank
        return "不能留空" if self.required else _BLANK_BY_TYPE[self.type]

    @property
    def type_name(self) -> str:
        return TYPE_NAMES[self.type]


class TableSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    alias: str
    columns: tuple[ColumnSpec, ...]
    #: what the table records (Chinese, one line)
    purpose: str = ""
    #: the columns that identify one row of the table
    keys: tuple[str, ...] = ()
    #: column whose value identifies a row for the user (a finding's ``ref``)
    id_column: str | None = None
    #: the id must be unique within a unit
    unique_id: bool = False
    #: columns the loader adds: name -> ``(frame, base_dir) -> Series`` (scoring/evidence/checks.py)
    derived: tuple[tuple[str, Callable], ...] = ()
    #: rules across a row's columns: ``(frame, base_dir) -> problems``, run after the derived columns
    row_checks: tuple[Callable, ...] = ()

    def column(self, name: str) -> ColumnSpec:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, alias: str, type: ColumnType = "text", required: bool = False,
       min_value: float | None = None, note: str = "", values: tuple[str, ...] = (),
       open_values: bool = False, example: str = "", blank: str = "", value_name: str = "",
       normaliser: Callable | None = None) -> ColumnSpec:
    return ColumnSpec(name=name, alias=alias, type=type, required=required, min_value=min_value, note=note,
                      values=values, open_values=open_values, example=example, blank=blank,
                      value_name=value_name, normaliser=normaliser)


#: allowed values of labelled columns; an unknown label is an error
OUTCOMES = ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")
VALIDITY = ("有效", "失效", "废止", "已修改")
SITE_CHECK_KINDS = ("home", "page", "link", "column")
PAGE_CHECKS = ("site_code", "icp", "police_record", "conac", "search", "home_updated", "text_error")
PAGE_CHECK_RESULTS = ("ok", "missing", "found", "error")
SITE_CHECK_ERRORS = ("timeout", "dns", "refused", "tls", "too_many_redirects", "too_large")
#: the unit kinds the shipped rubrics group and rank by (a rubric may name others)
UNIT_KINDS = ("县区政府", "市直部门", "乡镇街道")
#: the canonical spelling of yes/no offered in templates (the loader accepts more, parse.BOOL_SPELLINGS)
YES_NO = ("是", "否")
ANNUAL_TABLES = ("2", "3", "4")
MEDIA_PLATFORMS = ("微信公众号", "微博", "抖音", "今日头条", "其他")
PROPOSAL_KINDS = ("人大代表建议", "政协委员提案")


def _unique(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for g in groups for v in g))


#: the unit_id column of every table but units
UNIT_ID = _c("unit_id", "单位编码", required=True, example="QC-XQ-01", note="该行所属单位，须已在单位表中登记",
             blank="只有一个单位的工作簿或单位文件夹中表示该单位；其他情况不能留空")

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in [
        TableSpec(
            name="units", alias="单位", id_column="unit_id", unique_id=True, keys=("unit_id",),
            purpose="被测评单位：每个单位一行（单位文件夹中写在 unit.yaml 里）",
            columns=(
                _c("unit_id", "单位编码", required=True, example="QC-XQ-01",
                   note="单位的唯一编码，其他各表用它指明所属单位"),
                _c("name", "单位名称", required=True, example="青川市青山区人民政府"),
                _c("kind", "单位类型", required=True, values=UNIT_KINDS, open_values=True, example="县区政府",
                   note="评分细则按单位类型分组排名、确定应设栏目；须是所用评分细则中写明的类型"),
                _c("region", "所属地区", example="青川市"),
                _c("site_url", "网站地址", "url", example="http://www.example.gov.cn/zwgk/",
                   note="单位的政府信息公开专栏地址，zwgk collect 从这里开始检查",
                   blank="未填写（zwgk collect 不检查该单位网站）"),
                _c("site_code", "网站标识码", example="3401000001",
                   note="政府网站标识码；填写时 zwgk collect 核对网站页面上的标识码与之一致",
                   blank="未填写（只检查网站是否标注了标识码）"),
            ),
        ),
        TableSpec(
            name="catalog", alias="目录栏目", id_column="column", keys=("unit_id", "column"),
            purpose="政府信息公开目录（主动公开目录）的栏目：每个栏目一行",
            columns=(
                UNIT_ID,
                _c("column", "栏目名称", required=True, example="法定主动公开内容/政策文件",
                   note="栏目名称，多级栏目用 / 分隔上下级"),
                _c("items", "信息条数", "int", min_value=0, example="12", note="栏目中的信息条数，0 表示空白栏目"),
                _c("last_updated", "最近更新日期", "date", example="2026-10-15", note="栏目中最新一条信息的日期",
                   blank="未知（无法判断是否长期未更新）"),
                _c("url", "栏目地址", "url", example="http://www.example.gov.cn/zwgk/col/001/"),
            ),
        ),
        TableSpec(
            name="documents", alias="政策文件", id_column="doc_id", unique_id=True, keys=("unit_id", "doc_id"),
            purpose="本单位制发的政策文件：每份文件一行",
            columns=(
                UNIT_ID,
                _c("doc_id", "文件编号", required=True, example="QS-WJ-2026-01",
                   note="文件在底稿中的编号，同一单位内不得重复；政策解读表用它关联文件"),
                _c("title", "文件标题", required=True, example="青山区人民政府关于印发……的通知"),
                _c("doc_number", "文号", example="青山政〔2026〕3号"),
                _c("written_on", "成文日期", "date", example="2026-02-26"),
                _c("published_on", "发布日期", "date", example="2026-03-04", blank="未知（未发布或日期不详）"),
                _c("effective_on", "生效日期", "date", example="2026-04-01"),
                _c("validity", "有效性", values=VALIDITY, example="有效", blank="未标注有效性", value_name="有效性标注"),
                _c("normative", "规范性文件", "bool", example="是", note="是否属于行政规范性文件"),
                _c("needs_interpretation", "需解读", "bool", example="是", note="按规定是否需要发布政策解读"),
                _c("downloadable", "可下载", "bool", example="是", note="原文（PDF 等）是否可下载"),
            ),
        ),
        TableSpec(
            name="interpretations", alias="政策解读", id_column="interp_id", unique_id=True,
            keys=("unit_id", "interp_id"),
            derived=(("_text_path", checks.text_path),), row_checks=(checks.text_file_exists,),
            purpose="政策解读：每篇解读一行，用关联文件编号指向所解读的政策文件",
            columns=(
                UNIT_ID,
                _c("interp_id", "解读编号", required=True, example="QS-JD-2026-01", note="同一单位内不得重复"),
                _c("doc_id", "关联文件编号", example="QS-WJ-2026-01", note="所解读文件在政策文件表中的文件编号",
                   blank="未关联文件"),
                _c("published_on", "发布日期", "date", example="2026-03-04"),
                _c("forms", "解读形式", values=("文字", "图解", "视频", "音频", "动漫", "负责人解读", "专家解读"),
                   open_values=True, example="文字、图解", note="多种形式用 、 , ; 分隔"),
                _c("text", "解读正文", example="一、出台背景……", note="解读的正文，用于检查解读要素",
                   blank="未提供正文（可改用正文文件）"),
                _c("text_file", "正文文件", "path", example="QS-JD-2026-01.docx",
                   note="正文所在文件（.txt、.html 或 .docx），路径相对于底稿所在文件夹"),
                _c("linked", "相互关联", "bool", example="是", note="文件与解读是否相互链接"),
            ),
        ),
        TableSpec(
            name="requests", alias="依申请公开", id_column="request_id", unique_id=True,
            keys=("unit_id", "request_id"),
            row_checks=(checks.replied_after_received, checks.request_steps_after_received),
            purpose="政府信息公开申请的办理：每件申请一行",
            columns=(
                UNIT_ID,
                _c("request_id", "申请编号", required=True, example="QS-YSQ-2026-001", note="同一单位内不得重复"),
                _c("received_on", "收到日期", "date", required=True, example="2026-03-16",
                   note="依《政府信息公开条例》第三十一条确定的收到申请之日"),
                _c("correction_notice_on", "补正告知日期", "date", example="2026-03-20", blank="未告知补正"),
                _c("corrected_on", "补正收到日期", "date", example="2026-03-25",
                   note="填写后答复期限自该日起算（条例第三十条）", blank="未补正（期限自收到日期起算）"),
                _c("consultation_days", "征求意见工作日", "int", min_value=0, example="5",
                   note="征求第三方意见所用工作日，不计入答复期限（条例第三十三条）", blank="0（未征求意见）"),
                _c("extended", "延期", "bool", example="否", note="是否延长答复期限", blank="未延期"),
                _c("extension_notice_on", "延期告知日期", "date", example="2026-04-10", blank="未告知延期"),
                _c("replied_on", "答复日期", "date", example="2026-04-02", blank="尚未答复"),
                _c("outcome", "答复结果", values=OUTCOMES, example="予以公开", blank="未填写答复结果"),
                _c("states_reason", "说明理由", "bool", example="是", note="答复是否说明理由和法律依据"),
                _c("informs_remedy", "告知救济", "bool", example="是", note="答复是否告知行政复议、行政诉讼的权利"),
            ),
        ),
        TableSpec(
            name="messages", alias="留言办理", id_column="message_id", unique_id=True,
            keys=("unit_id", "message_id"), row_checks=(checks.replied_after_received,),
            purpose="公众留言（咨询、建议、投诉）的办理：每条留言一行",
            columns=(
                UNIT_ID,
                _c("message_id", "留言编号", required=True, example="QS-LY-0112", note="同一单位内不得重复"),
                _c("received_on", "留言日期", "date", required=True, example="2026-01-12"),
                _c("replied_on", "答复日期", "date", example="2026-01-15", blank="尚未答复"),
                _c("channel", "渠道", values=("网站", "12345", "政务新媒体"), open_values=True, example="网站"),
            ),
        ),
        TableSpec(
            name="annual_reports", alias="年度报告", id_column="year", unique_id=True, keys=("unit_id", "year"),
            purpose="政府信息公开工作年度报告的发布：每个年度一行",
            columns=(
                UNIT_ID,
                _c("year", "年度", "int", required=True, example="2025", note="报告所述的年度（不是发布的年份）"),
                _c("published_on", "发布日期", "date", example="2026-03-27", blank="未发布或日期不详"),
                _c("url", "地址", "url", example="http://www.example.gov.cn/zwgk/ndbg/2025/"),
                _c("attachment_url", "附件地址", "url", example="http://www.example.gov.cn/zwgk/ndbg/2025/report.pdf",
                   blank="年报表格直接取自报告页面", note="报告页面只链接附件时，表格数据取自的附件地址"),
            ),
        ),
        TableSpec(
            name="annual_report_cells", alias="年报数据", id_column=None,
            keys=("unit_id", "year", "table", "row", "col"),
            purpose="年度报告第二、三、四部分表格中的数据：每个单元格一行",
            columns=(
                UNIT_ID,
                _c("year", "年度", "int", required=True, example="2025"),
                _c("table", "表", required=True, values=ANNUAL_TABLES, example="3", normaliser=checks.annual_table,
                   note="年报模板的表号：2、3、4（第二、三、四部分；也可写 表3、三）"),
                _c("row", "行", required=True, values=_unique(*al.ROWS.values()), open_values=True,
                   normaliser=checks.annual_row,
                   example="本年度办理结果/予以公开",
                   note="年报模板的行名，下级行用 / 接在上级行后；可带年报原样的“一、”“（三）”等序号"),
                _c("col", "列", required=True, values=_unique(*al.COLS.values()), open_values=True,
                   normaliser=checks.annual_col,
                   example="自然人", note="年报模板的列名，按年报原样书写"),
                _c("value", "数值", "number", min_value=0, example="21", blank="未填（空白单元格）"),
            ),
        ),
        TableSpec(
            name="site_checks", alias="网站检查", id_column="url", keys=("unit_id", "url"),
            purpose="网站检查结果（可用性、死链、栏目更新）：每个被检查的地址一行；可由 zwgk collect 生成",
            columns=(
                UNIT_ID,
                _c("url", "地址", "url", required=True, example="http://www.example.gov.cn/zwgk/"),
                _c("kind", "类型", values=SITE_CHECK_KINDS, example="home", value_name="检查类型",
                   note="home 首页、page 页面、link 链接、column 栏目页"),
                _c("status", "状态", values=SITE_CHECK_ERRORS, open_values=True, example="200",
                   normaliser=checks.http_status,
                   note="三位 HTTP 状态码，或错误：" + "、".join(SITE_CHECK_ERRORS), blank="未检查"),
                _c("checked_on", "检查日期", "date", example="2026-11-18"),
                _c("last_updated", "最近更新日期", "date", example="2026-10-30", note="栏目页最新一条信息的日期"),
                _c("found_on", "所在页面", "url", example="http://www.example.gov.cn/zwgk/",
                   note="该链接所在的页面"),
            ),
        ),
        TableSpec(
            name="media_accounts", alias="政务新媒体", id_column="account_id", unique_id=True,
            keys=("unit_id", "account_id"),
            purpose="本单位开设的政务新媒体账号（微信公众号、微博、抖音等）：每个账号一行",
            columns=(
                UNIT_ID,
                _c("account_id", "账号编号", required=True, example="QS-XMT-01", note="同一单位内不得重复"),
                _c("platform", "平台", values=MEDIA_PLATFORMS, example="微信公众号", blank="未填写平台"),
                _c("name", "账号名称", example="青山发布"),
                _c("filed", "已备案", "bool", example="是", note="是否已按规定报送备案（政务新媒体备案）"),
                _c("last_post_on", "最近发布日期", "date", example="2026-11-18",
                   note="账号最新一条信息的发布日期", blank="未知（无法判断是否长期未更新）"),
                _c("posts", "测评期发布条数", "int", min_value=0, example="126", note="测评期内发布的信息条数",
                   blank="未知"),
                _c("has_comments", "开通留言", "bool", example="是", note="是否开通留言、评论等互动功能"),
                _c("oldest_unanswered_on", "最早未回复留言日期", "date", example="2026-10-30",
                   note="至检查时仍未回复的留言中最早一条的日期", blank="没有未回复的留言"),
            ),
        ),
        TableSpec(
            name="consultations", alias="决策预公开", id_column="consult_id", unique_id=True,
            keys=("unit_id", "consult_id"), row_checks=(checks.consultation_dates_after_opening,),
            purpose="重大行政决策草案公开征求意见（决策预公开）：每次征求意见一行",
            columns=(
                UNIT_ID,
                _c("consult_id", "征求意见编号", required=True, example="QS-ZQYJ-2026-01",
                   note="同一单位内不得重复"),
                _c("title", "标题", example="关于《青山区老旧小区改造实施方案（征求意见稿）》公开征求意见的公告"),
                _c("opened_on", "发布日期", "date", example="2026-03-02", note="征求意见公告的发布日期"),
                _c("closes_on", "截止日期", "date", example="2026-04-01", note="公众提交意见的截止日期"),
                _c("feedback_on", "意见采纳情况反馈日期", "date", example="2026-04-20",
                   note="公布意见收集和采纳情况（征集反馈）的日期", blank="尚未公布反馈"),
                _c("decided_on", "决策日期", "date", example="2026-05-15", blank="尚未作出决策"),
            ),
        ),
        TableSpec(
            name="proposals", alias="建议提案", id_column="proposal_id", unique_id=True,
            keys=("unit_id", "proposal_id"),
            purpose="人大代表建议和政协委员提案的办理复文：每件建议或提案一行",
            columns=(
                UNIT_ID,
                _c("proposal_id", "建议提案编号", required=True, example="人大建议第 2026-031 号",
                   note="同一单位内不得重复"),
                _c("kind", "类别", values=PROPOSAL_KINDS, example="人大代表建议", blank="未填写类别",
                   value_name="建议提案类别"),
                _c("replied_on", "答复日期", "date", example="2026-06-28", blank="尚未答复（办理中）"),
                _c("published", "答复全文公开", "bool", example="是", note="答复（复文）全文是否已公开"),
            ),
        ),
        TableSpec(
            name="bonus", alias="加分", id_column="item", keys=("unit_id", "item"),
            purpose="加分事项：每项一行",
            columns=(
                UNIT_ID,
                _c("item", "加分事项", required=True, example="政务公开经验被省级推广"),
                _c("points", "分值", "number", required=True, min_value=0, example="2"),
                _c("basis", "依据", example="省政务公开办简报 2026 年第 5 期"),
            ),
        ),
        TableSpec(
            name="page_checks", alias="网站内容检查", id_column="url", keys=("unit_id", "url", "check", "detail"),
            purpose="网站内容检查（标识、检索、首页更新、表述错误）：每项检查在每个页面上一行；由 zwgk collect 生成",
            columns=(
                UNIT_ID,
                _c("url", "页面", "url", required=True, example="http://www.example.gov.cn/",
                   note="检查所在的页面"),
                _c("check", "检查项", required=True, values=PAGE_CHECKS, example="icp",
                   note="site_code 网站标识码、icp ICP备案编号、police_record 公安机关备案号、conac 党政机关网站标识、"
                        "search 站内检索、home_updated 首页更新、text_error 表述错误"),
                _c("result", "结果", required=True, values=PAGE_CHECK_RESULTS, example="ok",
                   note="ok 符合、missing 缺少、found 发现问题（表述错误）、error 不符或无法使用"),
                _c("detail", "详情", example="皖ICP备12345678号",
                   note="找到的内容：标识码、备案号、首页最新日期；表述错误为“错误→正确（严重程度）”"),
                _c("context", "上下文", example="认真贯彻落实党的二十届三中全会精神。", note="表述错误所在的句子"),
                _c("checked_on", "检查日期", "date", example="2026-11-18"),
            ),
        ),
    ]
}

#: table name or alias -> English table name
TABLE_NAMES: dict[str, str] = {}
for _t in TABLES.values():
    TABLE_NAMES[_t.name] = _t.name
    TABLE_NAMES[_t.alias] = _t.name
