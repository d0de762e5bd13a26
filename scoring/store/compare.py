"""Comparing rounds: the 较上轮 label of a ranking, and the per-unit diff of two recorded rounds.

Rank changes read like the 通报: 「↑3」 (three places up), 「↓2」, 「持平」, and
「新增」 for a unit the earlier round did not rank. Rounds scored with
different rubrics are compared by indicator id; ids present in only one round
are listed, never silently matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from scoring.results import Results, display_text
from scoring.store.model import UnitScore

NEW = "新增"
SAME = "持平"


def rank_label(before: int | None, after: int) -> str:
    if before is None:
        return NEW
    if before == after:
        return SAME
    return f"↑{before - after}" if after < before else f"↓{after - before}"


def rank_changes(previous: list[UnitScore], results: Results) -> dict[str, str]:
    """unit_id -> 较上轮 label of every unit in ``results``, against the ranks of a recorded round."""
    ranks = {s.unit_id: s.rank for s in previous}
    return {u.unit_id: rank_label(ranks.get(u.unit_id), u.rank) for u in results.units}


@dataclass
class RoundDiff:
    #: one row per unit in either round (columns: DIFF_COLUMNS)
    table: pd.DataFrame
    only_in_a: list[str]
    only_in_b: list[str]


DIFF_COLUMNS = ["单位编码", "单位名称", "分组", "总分（前）", "总分（后）", "总分变化", "等次（前）", "等次（后）",
                "名次（前）", "名次（后）", "名次变化", "变化的指标", "仅一轮有的指标"]


def _points(exact) -> str:
    return "" if exact is None or pd.isna(exact) else display_text(Fraction(exact))


def _delta(a, b) -> str:
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return ""
    d = Fraction(b) - Fraction(a)
    return ("+" if d > 0 else "") + display_text(d)


def indicator_changes(ind_a: pd.DataFrame, ind_b: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per unit: the indicators whose score changed ("A1 18→20"), and those the unit has in one round only."""
    m = ind_a.merge(ind_b, on=["unit_id", "indicator_id"], how="outer", suffixes=("_a", "_b"), indicator=True)
    both = m[m["_merge"] == "both"]
    changed = both[(both["score_exact_a"].fillna("") != both["score_exact_b"].fillna(""))
                   | (both["state_a"] != both["state_b"])]
    shown = {v: _points(v) if v is not None and not pd.isna(v) else "—"
             for v in pd.unique(pd.concat([changed["score_exact_a"], changed["score_exact_b"]]))}
    text = (changed["indicator_id"] + " " + changed["score_exact_a"].map(lambda v: shown.get(v, "—"))
            + "→" + changed["score_exact_b"].map(lambda v: shown.get(v, "—")))
    changes = text.groupby(changed["unit_id"]).agg("；".join)
    lone = m[m["_merge"] != "both"]
    side = lone["_merge"].map({"left_only": "仅前一轮", "right_only": "仅后一轮"})
    only = (side + " " + lone["indicator_id"]).groupby(lone["unit_id"]).agg("；".join)
    return changes, only


def diff_frames(scores_a: pd.DataFrame, scores_b: pd.DataFrame, ind_a: pd.DataFrame,
                ind_b: pd.DataFrame) -> RoundDiff:
    """The diff of two rounds from their scores_frame and indicators_frame (Store methods)."""
    m = scores_a.merge(scores_b, on="unit_id", how="outer", suffixes=("_a", "_b"))
    changes, only = indicator_changes(ind_a, ind_b)
    rank_a = m["rank_a"].astype("Int64")
    rank_b = m["rank_b"].astype("Int64")
    rank_change = [("未参评" if pd.isna(b) else rank_label(None if pd.isna(a) else int(a), int(b)))
                   for a, b in zip(rank_a, rank_b)]
    table = pd.DataFrame({
        "单位编码": m["unit_id"],
        "单位名称": m["name_b"].fillna(m["name_a"]),
        "分组": m["group_b"].fillna(m["group_a"]),
        "总分（前）": m["total_exact_a"].map(_points),
        "总分（后）": m["total_exact_b"].map(_points),
        "总分变化": [_delta(a, b) for a, b in zip(m["total_exact_a"], m["total_exact_b"])],
        "等次（前）": m["grade_a"].fillna(""),
        "等次（后）": m["grade_b"].fillna(""),
        "名次（前）": rank_a.astype("object").where(rank_a.notna(), ""),
        "名次（后）": rank_b.astype("object").where(rank_b.notna(), ""),
        "名次变化": rank_change,
        "变化的指标": m["unit_id"].map(changes).fillna(""),
        "仅一轮有的指标": m["unit_id"].map(only).fillna(""),
    })
    table = table.sort_values(["分组", "名次（后）", "单位编码"], key=_sort_key).reset_index(drop=True)
    ids_a, ids_b = set(ind_a["indicator_id"]), set(ind_b["indicator_id"])
    return RoundDiff(table, sorted(ids_a - ids_b), sorted(ids_b - ids_a))


def _sort_key(col: pd.Series) -> pd.Series:
    if col.name == "名次（后）":
        return col.map(lambda v: 10**9 if v == "" else int(v))
    return col.astype(str)
