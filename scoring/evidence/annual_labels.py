"""Row and column labels of the annual report's tables (tables 2, 3 and 4 of the national template).

The canonical labels are the ones written in ``annual_report_cells`` (docs/EVIDENCE.md):
a sub-row is a ``/`` path from its parent, without enumerators. Labels as
printed in a report (with ``一、``, ``（三）``, ``1.``, full-width characters,
line breaks, quotes) are normalised before they are compared.
"""

from __future__ import annotations

import re
import unicodedata

T3_DISCLOSE = "本年度办理结果"

# Table 3 rows, canonical paths, in the template's order.
TABLE3_ROWS: tuple[str, ...] = (
    "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请数量",
    "本年度办理结果/予以公开",
    "本年度办理结果/部分公开",
    "本年度办理结果/不予公开/属于国家秘密",
    "本年度办理结果/不予公开/其他法律行政法规禁止公开",
    "本年度办理结果/不予公开/危及三安全一稳定",
    "本年度办理结果/不予公开/保护第三方合法权益",
    "本年度办理结果/不予公开/属于三类内部事务信息",
    "本年度办理结果/不予公开/属于四类过程性信息",
    "本年度办理结果/不予公开/属于行政执法案卷",
    "本年度办理结果/不予公开/属于行政查询事项",
    "本年度办理结果/无法提供/本机关不掌握相关政府信息",
    "本年度办理结果/无法提供/没有现成信息需要另行制作",
    "本年度办理结果/无法提供/补正后申请内容仍不明确",
    "本年度办理结果/不予处理/信访举报投诉类申请",
    "本年度办理结果/不予处理/重复申请",
    "本年度办理结果/不予处理/要求提供公开出版物",
    "本年度办理结果/不予处理/无正当理由大量反复申请",
    "本年度办理结果/不予处理/要求行政机关确认或重新出具已获取信息",
    "本年度办理结果/其他处理",
    "本年度办理结果/其他处理/申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "本年度办理结果/其他处理/申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "本年度办理结果/其他处理/其他",
    "本年度办理结果/总计",
    "结转下年度继续办理",
)

TABLE3_COLS: tuple[str, ...] = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
TABLE3_ORG_COLS: tuple[str, ...] = TABLE3_COLS[1:6]

TABLE4_ROWS: tuple[str, ...] = ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")
TABLE4_COLS: tuple[str, ...] = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

TABLE2_ROWS: tuple[str, ...] = (
    "规章", "行政规范性文件", "规范性文件", "行政许可", "行政处罚", "行政强制",
    "行政事业性收费", "政府集中采购", "对外管理服务事项",
)
TABLE2_COLS: tuple[str, ...] = (
    "本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额（万元）",
    # 2019 trial format
    "本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
    "处理决定数量", "本年增/减（万元）", "采购总金额",
)

ROWS: dict[str, tuple[str, ...]] = {"2": TABLE2_ROWS, "3": TABLE3_ROWS, "4": TABLE4_ROWS}
COLS: dict[str, tuple[str, ...]] = {"2": TABLE2_COLS, "3": TABLE3_COLS, "4": TABLE4_COLS}

# Printed variants that differ from the canonical label by more than
# enumerators, spacing or punctuation (normalised key -> canonical).
_ROW_SYNONYMS: dict[str, dict[str, str]] = {
    "3": {
        "本年度办理结果/部分公开区分处理的只计这一情形不计其他情形": "本年度办理结果/部分公开",
        "本年度办理结果/不予公开/危及三安全一稳定": "本年度办理结果/不予公开/危及三安全一稳定",
        "本年度办理结果/不予处理/要求行政机关确认或重新出具已获取信息": "本年度办理结果/不予处理/要求行政机关确认或重新出具已获取信息",
        "本年度办理结果/其他处理/申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请": "本年度办理结果/其他处理/申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "本年度办理结果/其他处理/申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请": "本年度办理结果/其他处理/申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "结转下年度继续办理": "结转下年度继续办理",
    },
    "2": {
        "第二十条第一项/规章": "规章",
        "第二十条第一项/行政规范性文件": "行政规范性文件",
        "第二十条第五项/行政许可": "行政许可",
        "第二十条第六项/行政处罚": "行政处罚",
        "第二十条第六项/行政强制": "行政强制",
        "第二十条第八项/行政事业性收费": "行政事业性收费",
        # 2019 trial format
        "其他对外管理服务事项": "对外管理服务事项",
    },
}
_COL_SYNONYMS: dict[str, dict[str, str]] = {
    "3": {"法人或其他组织/商业企业": "商业企业", "法人或其他组织/科研机构": "科研机构",
          "法人或其他组织/社会公益组织": "社会公益组织", "法人或其他组织/法律服务机构": "法律服务机构",
          "法人或其他组织/其他": "其他", "申请人情况/自然人": "自然人"},
    "4": {"行政复议/结果维持": "结果维持"},
    "2": {"本年收费金额（单位：万元）": "本年收费金额（万元）"},
}

_ENUM = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十]+[）)、.．]|[（(]\d+[）)]|\d+[.．、)）]|[①②③④⑤⑥⑦⑧⑨⑩])\s*"
)
_PUNCT = re.compile(r"[\s\"'“”‘’「」『』《》,，、;；:：。（）()\u3000]")


def _norm_segment(seg: str) -> str:
    seg = unicodedata.normalize("NFKC", seg).strip()
    prev = None
    while prev != seg:
        prev = seg
        seg = _ENUM.sub("", seg).strip()
    return _PUNCT.sub("", seg)


def normalize_label(label: str) -> str:
    """The comparison key of a printed label: NFKC, no enumerators, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", str(label)).replace("\n", "").replace("\r", "")
    return "/".join(s for s in (_norm_segment(p) for p in text.split("/")) if s)


def _index(labels: tuple[str, ...], synonyms: dict[str, str]) -> dict[str, str]:
    idx = {normalize_label(lab): lab for lab in labels}
    for k, v in synonyms.items():
        idx[normalize_label(k)] = v
    return idx


_ROW_INDEX = {t: _index(ROWS[t], _ROW_SYNONYMS.get(t, {})) for t in ROWS}
_COL_INDEX = {t: _index(COLS[t], _COL_SYNONYMS.get(t, {})) for t in COLS}


def normalize_table(value: object) -> str | None:
    """'3', '表3', '三', 3.0 -> '3'; anything else -> None."""
    s = unicodedata.normalize("NFKC", str(value)).strip()
    s = s.removeprefix("表").removesuffix(".0")
    s = {"二": "2", "三": "3", "四": "4"}.get(s, s)
    return s if s in ROWS else None


def canonical_row(table: str, label: str) -> str | None:
    return _ROW_INDEX[table].get(normalize_label(label))


def canonical_col(table: str, label: str) -> str | None:
    return _COL_INDEX[table].get(normalize_label(label))
