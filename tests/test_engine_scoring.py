"""The engine turns findings into points: floors, exact sums, vetoes, bonus, grades, ranks, n/a, 未提供底稿."""

import datetime as dt
from fractions import Fraction

from engine_helpers import engine_test_kind, batch_with, rubric_file, write

from scoring.engine import assess
from scoring.evidence.load import load_batch
from scoring.rubric.load import load_rubric
from scoring.workdays import WorkCalendar

AS_OF = dt.date(2026, 11, 20)
CAL = WorkCalendar.load()

assert engine_test_kind  # autouse fixture: registers the test-only rule kind


def run(batch_dir, rubric_path):
    return assess(load_batch(batch_dir), load_rubric(rubric_path), AS_OF, CAL)


def ind(unit, iid):
    return next(i for i in unit.indicators if i.id == iid)


BONUS = "bonus: {id: G, title: 加分, cap: 5, min_base: 80, min_base_inclusive: true}\n"


# --- deductions -----------------------------------------------------------


def test_deductions_never_take_an_indicator_below_zero(tmp_path):
    units = [("U1", "甲局", "市直部门")]
    r = run(batch_with(tmp_path, units, bad={"U1": 6}), rubric_file(tmp_path, points="4"))
    m1 = ind(r.unit("U1"), "M1")
    assert m1.score.fraction == 0 and m1.state == "scored"
    assert len(m1.findings) == 6 and all(f.deduction.exact == "1" for f in m1.findings)
    assert "超过本项分值" in m1.note
    assert r.unit("U1").total.fraction == 0


def test_tenths_of_a_point_add_up_exactly(tmp_path):
    units = [("U1", "甲局", "市直部门")]
    r = run(batch_with(tmp_path, units, bad={"U1": 3}), rubric_file(tmp_path, points="1", params="{per_item: 0.1}"))
    # 1 - 3 × 0.1 = 0.7 exactly, not 0.7000000000000001
    assert ind(r.unit("U1"), "M1").score.exact == "0.7"
    assert r.unit("U1").total.fraction == Fraction(7, 10)


def test_a_ratio_rule_awards_points_and_its_findings_only_explain(tmp_path):
    units = [("U1", "甲局", "市直部门")]
    rub = rubric_file(tmp_path, points="2", params="{per_item: 0, ratio: true}", other_points="98")
    r = run(batch_with(tmp_path, units, bad={"U1": 1}, good={"U1": 2}), rub)
    m1 = ind(r.unit("U1"), "M1")
    assert m1.score.fraction == Fraction(4, 3)
    assert m1.score.exact == "4/3" and m1.score.value == 1.33
    assert r.unit("U1").total.fraction == Fraction(4, 3) + 98


# --- ranking -----------------------------------------------------------------


def test_equal_totals_share_a_rank_and_the_next_rank_skips(tmp_path):
    units = [("U1", "甲局", "市直部门"), ("U2", "乙局", "市直部门"), ("U3", "丙局", "市直部门"),
             ("U4", "丁局", "市直部门")]
    r = run(batch_with(tmp_path, units, bad={"U1": 0, "U2": 1, "U3": 1, "U4": 2}), rubric_file(tmp_path))
    assert [(u.unit_id, u.rank) for u in r.units] == [("U1", 1), ("U2", 2), ("U3", 2), ("U4", 4)]
    assert all(u.group_size == 4 for u in r.units)


def test_units_rank_only_within_their_own_kind(tmp_path):
    units = [("Q1", "甲区", "县区政府"), ("S1", "甲局", "市直部门"), ("S2", "乙局", "市直部门")]
    r = run(batch_with(tmp_path, units, bad={"Q1": 5, "S1": 1, "S2": 0}), rubric_file(tmp_path))
    assert r.unit("Q1").rank == 1 and r.unit("Q1").group == "县区政府" and r.unit("Q1").group_size == 1
    assert r.unit("S2").rank == 1 and r.unit("S1").rank == 2
    assert [g.name for g in r.groups] == ["县区政府", "市直部门"]


def test_a_vetoed_unit_ranks_after_all_others_and_keeps_its_points(tmp_path):
    units = [("U1", "甲局", "市直部门"), ("U2", "乙局", "市直部门"), ("U3", "丙局", "市直部门")]
    # U1 loses nothing but forged a reply date: vetoed; U2 loses 1 point, U3 loses 2
    rub = rubric_file(tmp_path, points="10", params="{per_item: 1, veto_channel: 造假}")
    r = run(batch_with(tmp_path, units, bad={"U2": 1, "U3": 2}, forged=("U1",)), rub)
    u1 = r.unit("U1")
    assert u1.vetoed and u1.grade == "不合格"
    assert u1.veto_reasons[0].indicator_id == "M1" and u1.veto_reasons[0].reason == "留言答复造假"
    assert u1.total.fraction == 10  # it keeps its computed points, the highest of the group
    assert [(u.unit_id, u.rank) for u in r.units] == [("U2", 1), ("U3", 2), ("U1", 3)]
    assert any(f.kind == "veto" and f.message == "单项否决：留言答复造假" for f in ind(u1, "M1").findings)


def test_vetoed_units_with_equal_totals_share_a_rank_after_the_others(tmp_path):
    units = [("U1", "甲局", "市直部门"), ("U2", "乙局", "市直部门"), ("U3", "丙局", "市直部门")]
    rub = rubric_file(tmp_path, points="10", params="{per_item: 1, veto_at: 2}")
    r = run(batch_with(tmp_path, units, bad={"U1": 2, "U2": 2, "U3": 1}), rub)
    assert r.unit("U3").rank == 1
    assert r.unit("U1").rank == 2 and r.unit("U2").rank == 2


# --- grades and bonus ----------------------------------------------------------


def test_grade_bands_follow_the_total(tmp_path):
    units = [("U1", "甲局", "市直部门"), ("U2", "乙局", "市直部门"), ("U3", "丙局", "市直部门"),
             ("U4", "丁局", "市直部门")]
    rub = rubric_file(tmp_path, points="100", params="{per_item: 10}")
    r = run(batch_with(tmp_path, units, bad={"U1": 1, "U2": 2, "U3": 4, "U4": 5}), rub)
    assert [r.unit(u).grade for u in ("U1", "U2", "U3", "U4")] == ["优秀", "良好", "合格", "不合格"]


def test_bonus_is_capped_at_five(tmp_path):
    units = [("U1", "甲局", "市直部门")]
    bonus = [("U1", "经验做法获省政府推广", "4"), ("U1", "获国务院办公厅通报表扬", "3")]
    r = run(batch_with(tmp_path, units, bad={"U1": 1}, bonus=bonus), rubric_file(tmp_path, points="100", bonus=BONUS))
    u = r.unit("U1")
    assert u.base.fraction == 99 and u.bonus.fraction == 5 and u.total.fraction == 104
    assert "超过上限" in ind(u, "G").note
    assert [b.item for b in u.bonus_items] == ["经验做法获省政府推广", "获国务院办公厅通报表扬"]


def test_bonus_counts_at_a_base_of_exactly_80_but_not_below(tmp_path):
    units = [("U1", "甲局", "市直部门"), ("U2", "乙局", "市直部门")]
    bonus = [("U1", "创新做法", "2"), ("U2", "创新做法", "2")]
    rub = rubric_file(tmp_path, points="100", params="{per_item: 1}", bonus=BONUS)
    r = run(batch_with(tmp_path, units, bad={"U1": 20, "U2": 21}, bonus=bonus), rub)
    assert r.unit("U1").bonus.fraction == 2 and r.unit("U1").total.fraction == 82
    u2 = r.unit("U2")
    assert u2.bonus.fraction == 0 and u2.total.fraction == 79
    assert "未达到 80" in ind(u2, "G").note


def test_a_vetoed_unit_gets_no_bonus(tmp_path):
    units = [("U1", "甲局", "市直部门")]
    rub = rubric_file(tmp_path, points="100", params="{per_item: 1, veto_at: 1}", bonus=BONUS)
    r = run(batch_with(tmp_path, units, bad={"U1": 1}, bonus=[("U1", "创新做法", "3")]), rub)
    u = r.unit("U1")
    assert u.vetoed and u.bonus.fraction == 0 and u.total.fraction == 99
    assert "单项否决" in ind(u, "G").note


def test_no_bonus_table_means_no_bonus_and_no_finding(tmp_path):
    units = [("U1", "甲局", "市直部门")]
    r = run(batch_with(tmp_path, units, bad={}), rubric_file(tmp_path, points="100", bonus=BONUS))
    g = ind(r.unit("U1"), "G")
    assert g.score.fraction == 0 and g.findings == [] and g.note == "无加分事项"


# --- evidence not provided, n/a, cannot check -------------------------------------


def unit_folders(tmp_path, with_messages: dict[str, bool]):
    root = tmp_path / "units"
    for u, has in with_messages.items():
        write(root / u / "unit.yaml", f"unit_id: {u}\nname: {u}单位\nkind: 乡镇街道\n")
        if has:
            write(root / u / "messages.csv", "message_id,received_on,replied_on,channel\n"
                  f"{u}-1,2026-03-02,2026-03-03,差评\n")
    return root


def test_an_indicator_whose_table_was_not_provided_scores_nothing_and_says_so(tmp_path):
    root = unit_folders(tmp_path, {"Z1": True, "Z2": False})
    r = run(root, rubric_file(tmp_path, points="10", other_points="90"))
    m1 = ind(r.unit("Z2"), "M1")
    assert m1.state == "not_provided" and m1.score.fraction == 0 and m1.max.fraction == 10
    [f] = m1.findings
    assert f.kind == "not_provided" and "未提供留言办理底稿" in f.message and f.deduction.exact == "10"
    assert r.unit("Z2").max.fraction == 100
    assert ind(r.unit("Z1"), "M1").score.fraction == 9


def test_na_allowed_drops_the_indicator_and_rescales_to_100(tmp_path):
    root = unit_folders(tmp_path, {"Z1": True, "Z2": False})
    rub = rubric_file(tmp_path, points="6", na_allowed=True, other_points="94")
    r = run(root, rub)
    z2 = r.unit("Z2")
    m1 = ind(z2, "M1")
    assert m1.state == "not_applicable" and m1.score is None and m1.max.fraction == 0
    assert m1.findings == []
    # N1 was not provided either (not n/a allowed): 0 of 94 -> base 0 of 100
    assert z2.max.fraction == 94 and z2.base.fraction == 0


def test_na_rescaling_uses_the_wuoyang_formula(tmp_path):
    root = tmp_path / "units"
    write(root / "Z1" / "unit.yaml", "unit_id: Z1\nname: 甲镇\nkind: 乡镇街道\n")
    write(root / "Z1" / "bonus.csv", "item,points\n无,0\n")
    body = (tmp_path / "r.yaml")
    write(body, """\
id: wy
version: "1"
title: 折算测试
grades: [{name: 合格, min: 60}, {name: 不合格, min: 0}]
indicators:
  - {id: M, title: 留言, points: 6, children: [{id: M1, title: 留言, points: 6, rule: engine_test_messages, na_allowed: true}]}
  - {id: S, title: 网站, points: 94, children: [{id: S1, title: 网站, points: 94, rule: site_availability, na_allowed: false}]}
""")
    write(root / "Z1" / "site_checks.csv", "url,kind,status\nhttp://a.example/,home,200\nhttp://a.example/x,link,404\n")
    r = assess(load_batch(root), load_rubric(body), AS_OF, CAL)
    z1 = r.unit("Z1")
    # S1: 94 - 0.5 = 93.5 of a maximum of 94, rescaled to 100: 93.5 × 100 / 94 = 4675/47
    assert z1.raw.exact == "93.5" and z1.max.fraction == 94
    assert z1.base.fraction == Fraction(935, 10) * 100 / 94
    assert z1.base.exact == "4675/47" and z1.base.value == 99.47


def test_a_rule_that_cannot_check_a_unit_gives_no_score_rather_than_zero(tmp_path):
    units = [("U1", "甲局", "市直部门")]
    rub = rubric_file(tmp_path, points="10", params="{per_item: 1, cannot_check: [U1]}", other_points="90")
    r = run(batch_with(tmp_path, units, bad={"U1": 2}), rub)
    m1 = ind(r.unit("U1"), "M1")
    assert m1.state == "cannot_check" and m1.score is None and m1.note == "测试：无法核验"
    assert r.unit("U1").max.fraction == 90 and r.unit("U1").total.fraction == 100
    parent = ind(r.unit("U1"), "M")
    assert parent.state == "cannot_check" and parent.score is None
