"""Rule kinds on the annual report (政府信息公开工作年度报告): F1 on time, F2 data identities."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator

from scoring.evidence import annual_labels as al
from scoring.rules.base import RuleContext, RuleKind, RuleOutput, RuleParams, register
from scoring.rules.common import Points, concat_findings, fmt_date, make_findings, units_frame

# ---------------------------------------------------------------------------
# F1

_MD = re.compile(r"^(\d{1,2})-(\d{1,2})$")


class AnnualReportOnTimeParams(RuleParams):
    #: unit kind -> last day (MM-DD, in the year after the report year) to publish (条例 art. 49)
    deadlines: dict[str, str] = Field(default_factory=lambda: {"市直部门": "01-31", "乡镇街道": "01-31",
                                                               "县区政府": "03-31"})
    #: the report checked is for as_of's year minus this
    report_year_offset: int = Field(1, ge=0, le=100)
    #: deduction when the report is late or missing
    per_item: Points = Decimal(3)

    @field_validator("deadlines")
    @classmethod
    def _month_day(cls, v: dict[str, str]) -> dict[str, str]:
        for kind, md in v.items():
            m = _MD.match(str(md).strip())
            ok = False
            if m:
                try:
                    pd.Timestamp(year=2001, month=int(m.group(1)), day=int(m.group(2)))  # not a leap year
                    ok = True
                except ValueError:
                    ok = False
            if not ok:
                raise ValueError(f"单位类型「{kind}」的发布期限 {md!r} 应为 月-日，如 01-31")
        return v


@register
class AnnualReportOnTime(RuleKind):
    """年报按时发布（F1）

    什么：as_of 所在年份减 `report_year_offset`（默认 1）年度的年报，发布日期晚于该单位类型的期限
    （`deadlines`，次年的 月-日：市直部门、乡镇街道 01-31，县区政府 03-31）的，扣 `per_item` 分（默认 3 分）；
    年度报告表中没有该年度的报告、且期限已过的，同样扣分。发布日期未填的记“无法核验”；单位类型不在
    `deadlines` 中的单位整条记“无法核验”，不猜测。
    为什么：条例第 49 条：县级以上人民政府部门于每年 1 月 31 日前、人民政府于 3 月 31 日前公布上一年度年报。
    """

    name = "annual_report_on_time"
    params = AnnualReportOnTimeParams
    needs = ("annual_reports",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: AnnualReportOnTimeParams = ctx.params
        out = RuleOutput()
        year = ctx.as_of.year - p.report_year_offset
        units = units_frame(ctx, "annual_reports")
        known = units["kind"].isin(list(p.deadlines))
        kinds = "、".join(p.deadlines)
        out.states.update({u: ("cannot_check", f"单位类型「{k}」在评分细则中没有年报发布期限（已有：{kinds}）")
                           for u, k in zip(units.loc[~known, "unit_id"], units.loc[~known, "kind"])})
        units = units[known]
        due_of = {k: pd.Timestamp(f"{year + 1}-{md.strip()}") for k, md in p.deadlines.items()}
        rep = ctx.table("annual_reports")
        rep = rep[rep["year"].eq(year).fillna(False).astype(bool)].drop_duplicates("unit_id")
        j = units.merge(rep, on="unit_id", how="left", indicator=True)
        due = pd.to_datetime(j["kind"].map(due_of))
        absent = (j["_merge"] == "left_only") & (due < ctx.as_of)
        nodate = (j["_merge"] == "both") & j["published_on"].isna()
        late = (j["published_on"] > due).fillna(False).astype(bool)
        a, n, lt = j[absent], j[nodate], j[late]
        out.findings = concat_findings([
            make_findings(a, table="annual_reports", ref=str(year), deduction=p.per_item, pending=True,
                          message=f"年度报告表中没有{year}年度报告（" + a["kind"] + "应于" + fmt_date(due[absent])
                          + "前发布）"),
            make_findings(lt, table="annual_reports", ref=str(year), deduction=p.per_item,
                          message=f"{year}年度报告于" + fmt_date(lt["published_on"]) + "发布，晚于" + lt["kind"]
                          + "的发布期限" + fmt_date(due[late]) + "（晚"
                          + (lt["published_on"] - due[late]).dt.days.astype(str) + "天）"),
            make_findings(n, table="annual_reports", ref=str(year), deduction=0, kind="cannot_check",
                          message=f"{year}年度报告未填写发布日期，无法核验是否按时发布"),
        ])
        return out


# ---------------------------------------------------------------------------
# F2

NEW, CARRIED_IN, CARRIED_OUT = al.TABLE3_ROWS[0], al.TABLE3_ROWS[1], al.TABLE3_ROWS[-1]
TOTAL = f"{al.T3_DISCLOSE}/总计"
OTHER = f"{al.T3_DISCLOSE}/其他处理"
DISCLOSED = f"{al.T3_DISCLOSE}/予以公开"
PARTIAL = f"{al.T3_DISCLOSE}/部分公开"


def _subrows(group: str) -> list[str]:
    prefix = f"{al.T3_DISCLOSE}/{group}/"
    return [r for r in al.TABLE3_ROWS if r.startswith(prefix)]


#: short names of Table 3 rows for messages
SHORT = {NEW: "本年新收", CARRIED_IN: "上年结转", CARRIED_OUT: "结转下年度继续办理", TOTAL: "办理结果总计",
         DISCLOSED: "予以公开", PARTIAL: "部分公开", OTHER: "其他处理"}


def _short(label: str) -> str:
    return SHORT.get(label, label.removeprefix(al.T3_DISCLOSE + "/"))


def _num(s: pd.Series) -> pd.Series:
    """12, 12.5 — a value as shown in a message; 空 for blank."""
    t = s.round(6).astype("string").str.replace(r"\.0+$", "", regex=True)
    return t.fillna("空").astype(object)


@dataclass
class _Instance:
    """One identity evaluated over many (unit, year, col|row) keys at once."""

    keys: pd.DataFrame        # unit_id, year, and the key column(s); index aligned with the rest
    lhs: dict[str, pd.Series]  # display name -> value (NaN when any underlying cell is blank)
    rhs: dict[str, pd.Series]
    has_blank: pd.Series      # bool: at least one underlying cell is blank
    blank: Callable[[pd.Series], pd.Series]  # rows (bool mask) -> text listing their blank cells
    any_value: pd.Series      # bool: at least one underlying cell has a value
    where: pd.Series          # Chinese: 表3「自然人」列
    name: str                 # Chinese: which identity
    anchor: pd.DataFrame      # table, row, col of the cell a finding points at


def _any_blank(frame: pd.DataFrame, cols: list[str]) -> pd.Series:
    return pd.Series(np.isnan(frame[cols].to_numpy(dtype=float)).any(axis=1), index=frame.index)


def _blank_list(frame: pd.DataFrame, labels: dict[str, str]) -> pd.Series:
    out = pd.Series("", index=frame.index, dtype=object)
    for col, lab in labels.items():  # a loop over the identity's cells, not over rows
        out = out + np.where(frame[col].isna(), lab + "、", "")
    return out.str.rstrip("、")


def _blanks(frame: pd.DataFrame, labels: dict[str, str]) -> Callable[[pd.Series], pd.Series]:
    """The blank-cell text, built only for the rows that need it (those with findings)."""
    return lambda rows: _blank_list(frame[rows], labels)


def _wide(cells: pd.DataFrame, key: str, across: str, labels: tuple[str, ...]) -> pd.DataFrame:
    """One row per (unit_id, year, key), in order of first appearance, with a column per ``across`` label.

    The cells are unique per (unit_id, year, key, across), so this is a plain scatter into a numpy array.
    """
    by = ["unit_id", "year", key]
    if not len(cells):
        return pd.DataFrame(columns=[*by, *labels])
    gid = cells.groupby(by, sort=False, dropna=False).ngroup().to_numpy()  # numbered in order of appearance
    _, first = np.unique(gid, return_index=True)
    keys = cells[by].iloc[first].reset_index(drop=True)
    lab = pd.Index(list(labels)).get_indexer(cells[across])
    arr = np.full((len(keys), len(labels)), np.nan)
    ok = lab >= 0
    arr[gid[ok], lab[ok]] = cells["value"].to_numpy(dtype=float)[ok]
    return pd.concat([keys, pd.DataFrame(arr, columns=list(labels))], axis=1)


def _sum(frame: pd.DataFrame, cols: list[str]) -> pd.Series:
    return frame[cols].sum(axis=1, skipna=False, min_count=len(cols))


def _anchor(frame: pd.DataFrame, table: str, row, col) -> pd.DataFrame:
    """The cell each finding points at: table, row, col (a value, or a Series per row)."""
    n = len(frame)
    return pd.DataFrame({"table": [table] * n,
                         "row": row if isinstance(row, pd.Series) else [row] * n,
                         "col": col if isinstance(col, pd.Series) else [col] * n}, index=frame.index)


def _col_where(cur: pd.DataFrame) -> pd.Series:
    return "表3「" + cur["col"].astype(str) + "」列"


def _identity_1(cur: pd.DataFrame) -> _Instance:
    """Table 3, per column: 本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理."""
    cols = [NEW, CARRIED_IN, TOTAL, CARRIED_OUT]
    return _Instance(
        keys=cur[["unit_id", "year", "col"]], name="第一项加第二项之和等于第三项加第四项之和",
        lhs={_short(NEW): cur[NEW], _short(CARRIED_IN): cur[CARRIED_IN]},
        rhs={_short(TOTAL): cur[TOTAL], _short(CARRIED_OUT): cur[CARRIED_OUT]},
        has_blank=_any_blank(cur, cols), blank=_blanks(cur, {c: _short(c) for c in cols}),
        any_value=cur[cols].notna().any(axis=1),
        where=_col_where(cur), anchor=_anchor(cur, "3", TOTAL, cur["col"]),
    )


def _identity_2(cur: pd.DataFrame) -> _Instance:
    """Table 3, per column: the outcome rows add up to 办理结果总计 (其他处理 per the 2019 or 2021 format)."""
    groups = {g: _subrows(g) for g in ("不予公开", "无法提供", "不予处理")}
    other_subs = _subrows("其他处理")
    sub_given = cur[other_subs].notna().any(axis=1)
    # 2021 format: sub-rows given -> their sum; 2019 format: the single 其他处理 row
    other = _sum(cur, other_subs).where(sub_given, cur[OTHER])
    involved = [DISCLOSED, PARTIAL, *[r for g in groups.values() for r in g], TOTAL]
    has_blank = _any_blank(cur, involved) | pd.Series(
        np.where(sub_given, _any_blank(cur, other_subs), cur[OTHER].isna()), index=cur.index)

    def blank(rows: pd.Series) -> pd.Series:
        c = cur[rows]
        text = _blank_list(c, {r: _short(r) for r in involved})
        other_blank = pd.Series(np.where(sub_given[rows], _blank_list(c, {r: _short(r) for r in other_subs}),
                                         np.where(c[OTHER].isna(), "其他处理", "")), index=c.index)
        return (text + "、" + other_blank).str.strip("、")

    lhs = {"予以公开": cur[DISCLOSED], "部分公开": cur[PARTIAL]}
    lhs.update({f"{g}各项": _sum(cur, rows) for g, rows in groups.items()})
    lhs["其他处理"] = other
    return _Instance(
        keys=cur[["unit_id", "year", "col"]], name="办理结果各项之和等于办理结果总计",
        lhs=lhs, rhs={_short(TOTAL): cur[TOTAL]}, has_blank=has_blank, blank=blank,
        any_value=cur[involved + other_subs + [OTHER]].notna().any(axis=1),
        where=_col_where(cur), anchor=_anchor(cur, "3", TOTAL, cur["col"]),
    )


def _identity_3(t3: pd.DataFrame, year: int) -> _Instance:
    """Table 3, per row: 自然人 + the legal-person columns = 总计."""
    by_row = _wide(t3, "row", "col", al.TABLE3_COLS)
    br = by_row[by_row["year"] == year].reset_index(drop=True)
    parts = ["自然人", *al.TABLE3_ORG_COLS]
    return _Instance(
        keys=br[["unit_id", "year", "row"]], name="自然人与各类法人或其他组织之和等于总计",
        lhs={c: br[c] for c in parts}, rhs={"总计": br["总计"]},
        has_blank=_any_blank(br, list(al.TABLE3_COLS)), blank=_blanks(br, {c: c for c in al.TABLE3_COLS}),
        any_value=br[list(al.TABLE3_COLS)].notna().any(axis=1),
        where="表3「" + br["row"].map(_short) + "」行", anchor=_anchor(br, "3", br["row"], "总计"),
    )


def _identity_4(by_col: pd.DataFrame, cur: pd.DataFrame, year: int) -> _Instance:
    """Table 3, per column: last year's 结转下年度继续办理 = this year's 上年结转 (when both years are given)."""
    prev = by_col[by_col["year"] == year - 1][["unit_id", "col", CARRIED_OUT]]
    pair = cur[["unit_id", "year", "col", CARRIED_IN]].merge(prev, on=["unit_id", "col"])
    pair = pair.rename(columns={CARRIED_OUT: "prev_out"})
    return _Instance(
        keys=pair[["unit_id", "year", "col"]], name="上一年度结转下年度等于本年度上年结转",
        lhs={f"{year - 1}年度结转下年度继续办理": pair["prev_out"]},
        rhs={f"{year}年度上年结转": pair[CARRIED_IN]},
        has_blank=_any_blank(pair, ["prev_out", CARRIED_IN]),
        blank=_blanks(pair, {"prev_out": f"{year - 1}年度结转下年度继续办理",
                             CARRIED_IN: f"{year}年度上年结转"}),
        any_value=pair[["prev_out", CARRIED_IN]].notna().any(axis=1),
        where=_col_where(pair), anchor=_anchor(pair, "3", CARRIED_IN, pair["col"]),
    )


def _identity_t4(t4: pd.DataFrame, year: int) -> _Instance:
    """Table 4, per block: 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计."""
    w4 = _wide(t4, "row", "col", al.TABLE4_COLS)
    w4 = w4[w4["year"] == year].reset_index(drop=True)
    parts = ["结果维持", "结果纠正", "其他结果", "尚未审结"]
    return _Instance(
        keys=w4[["unit_id", "year", "row"]], name="结果维持、结果纠正、其他结果、尚未审结之和等于总计",
        lhs={c: w4[c] for c in parts}, rhs={"总计": w4["总计"]},
        has_blank=_any_blank(w4, list(al.TABLE4_COLS)), blank=_blanks(w4, {c: c for c in al.TABLE4_COLS}),
        any_value=w4[list(al.TABLE4_COLS)].notna().any(axis=1),
        where="表4「" + w4["row"].astype(str) + "」板块", anchor=_anchor(w4, "4", w4["row"], "总计"),
    )


class AnnualReportIdentitiesParams(RuleParams):
    #: deduction per broken identity (per column or block)
    per_item: Points = Decimal(1)
    #: the report checked is for as_of's year minus this
    report_year_offset: int = Field(1, ge=0, le=100)
    #: which identities to check: the annual report's table 3 identities 1–4 and table 4 ("t4")
    identities: tuple[str, ...] = ("1", "2", "3", "4", "t4")

    @field_validator("identities")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [i for i in v if i not in ("1", "2", "3", "4", "t4")]
        if bad:
            raise ValueError(f"未知的勾稽关系 {'、'.join(bad)}，应为 1、2、3、4（表3）或 t4（表4）")
        return v


@register
class AnnualReportIdentities(RuleKind):
    """年报数据勾稽（F2）

    什么：按年报勾稽关系核对年报数据（annual_report_cells）中报告年度（as_of 年份减 1）的勾稽关系，
    每个不成立的关系扣 `per_item` 分（默认 1 分）：
    表3 每列 ①本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理；②予以公开 + 部分公开 + 不予公开各项
    + 无法提供各项 + 不予处理各项 + 其他处理 = 办理结果总计（其他处理：2021 版有 3 个子项时用子项之和，
    2019 版只有一行时用该行，父行和子项不重复计算）；表3 每行 ③自然人 + 五类法人或其他组织 = 总计；
    ④上一年度年报的结转下年度继续办理 = 本年度的上年结转（两年数据都有时）；表4 每个板块
    结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计。
    涉及的单元格有空白时，该关系记“无法核验”（列出空白单元格，不扣分）——空白不等于 0；
    涉及的单元格全部空白（该行或该列未填报）时不核验。问题说明写明表、行、列和等式两边的数值。
    为什么：年报格式（国办公开办函〔2021〕30号）表头即写明“第一项加第二项之和，等于第三项加第四项之和”；
    数据对不上说明统计或填报有误。
    """

    name = "annual_report_identities"
    params = AnnualReportIdentitiesParams
    needs = ("annual_report_cells",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: AnnualReportIdentitiesParams = ctx.params
        out = RuleOutput()
        year = ctx.as_of.year - p.report_year_offset
        cells = ctx.table("annual_report_cells")
        cells = cells[cells["year"].isin([year, year - 1]).fillna(False).astype(bool)]
        cells = cells.assign(year=cells["year"].astype("int64"), unit_id=cells["unit_id"].astype(str))
        cells = cells.drop_duplicates(["unit_id", "year", "table", "row", "col"])
        pos = cells.set_index(["unit_id", "year", "table", "row", "col"])[["_file", "_row"]]
        t3 = cells[cells["table"] == "3"]
        t4 = cells[cells["table"] == "4"]
        by_col = _wide(t3, "col", "row", al.TABLE3_ROWS)
        cur = by_col[by_col["year"] == year].reset_index(drop=True)
        build = {"1": lambda: _identity_1(cur), "2": lambda: _identity_2(cur),
                 "3": lambda: _identity_3(t3, year), "4": lambda: _identity_4(by_col, cur, year),
                 "t4": lambda: _identity_t4(t4, year)}
        insts = [make() for key, make in build.items() if key in p.identities]  # in DOMAIN.md order
        findings = [self._evaluate(i, p, pos) for i in insts]
        findings.append(self._missing_tables(ctx, t3, t4, year, p))
        out.findings = concat_findings(findings)
        return out

    @staticmethod
    def _evaluate(inst: _Instance, p: AnnualReportIdentitiesParams, pos: pd.DataFrame) -> pd.DataFrame:
        if len(inst.keys) == 0:
            return concat_findings([])
        L = pd.concat(inst.lhs.values(), axis=1).sum(axis=1, skipna=False, min_count=len(inst.lhs))
        Rt = pd.concat(inst.rhs.values(), axis=1).sum(axis=1, skipna=False, min_count=len(inst.rhs))
        checkable = inst.any_value & ~inst.has_blank
        broken = checkable & ~np.isclose(L.fillna(0), Rt.fillna(0), rtol=0, atol=1e-9)
        cannot = inst.any_value & inst.has_blank
        hit = broken | cannot
        if not hit.any():
            return concat_findings([])
        # the texts and the cell positions only for the rows with a finding
        broken, cannot = broken[hit], cannot[hit]
        keys = inst.keys[hit]
        lhs = {k: v[hit] for k, v in inst.lhs.items()}
        rhs = {k: v[hit] for k, v in inst.rhs.items()}
        L, Rt, where = L[hit], Rt[hit], inst.where[hit]

        def side(terms: dict[str, pd.Series], total: pd.Series) -> pd.Series:
            text = pd.Series("", index=total.index, dtype=object)
            for i, (name, v) in enumerate(terms.items()):  # a loop over the terms, not over rows
                text = text + (" + " if i else "") + name + "(" + _num(v) + ")"
            return text + (" = " + _num(total) if len(terms) > 1 else "")

        year = keys["year"].astype(str)
        ref = year + "年报" + where
        a = inst.anchor[hit]
        at = pos.index.get_indexer(pd.MultiIndex.from_arrays(
            [keys["unit_id"], keys["year"], a["table"], a["row"], a["col"]]))
        loc = pos.reset_index(drop=True).reindex(at)
        frame = pd.DataFrame({"unit_id": keys["unit_id"], "_file": loc["_file"].to_numpy(),
                              "_row": loc["_row"].astype("Int64").to_numpy()}, index=keys.index)
        b, c = broken.to_numpy(), cannot.to_numpy()
        msg_b = (year[b] + "年度报告" + where[b] + "：" + side({k: v[b] for k, v in lhs.items()}, L[b]) + "，但 "
                 + side({k: v[b] for k, v in rhs.items()}, Rt[b]) + f"，不符合“{inst.name}”")
        blank = inst.blank(hit).reindex(keys.index)
        msg_c = (year[c] + "年度报告" + where[c] + f"“{inst.name}”无法核验：" + blank[c] + " 为空（空白不按 0 计）")
        return concat_findings([
            make_findings(frame[b], table="annual_report_cells", ref=ref[b], message=msg_b, deduction=p.per_item),
            make_findings(frame[c], table="annual_report_cells", ref=ref[c], message=msg_c,
                          deduction=0, kind="cannot_check"),
        ])

    @staticmethod
    def _missing_tables(ctx: RuleContext, t3: pd.DataFrame, t4: pd.DataFrame, year: int,
                        p: AnnualReportIdentitiesParams) -> pd.DataFrame:
        units = units_frame(ctx, "annual_report_cells")
        parts = []
        for label, t, wanted in (("表3", t3, {"1", "2", "3", "4"}), ("表4", t4, {"t4"})):
            if not wanted & set(p.identities):
                continue
            have = t.loc[t["year"] == year, "unit_id"].unique()
            miss = units[~units["unit_id"].isin(have)]
            parts.append(make_findings(miss, table="annual_report_cells", ref=f"{year}年报{label}", deduction=0,
                                       kind="cannot_check",
                                       message=f"年报数据中没有{year}年度报告{label}的数据，{label}勾稽关系无法核验"))
        return concat_findings(parts)
