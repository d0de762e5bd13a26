"""通报: the ranking by group, the vetoed units and why, the most common problems."""

from __future__ import annotations

import docx
import pytest

import report_helpers as h
from scoring.results import read_results


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = h.assess_batch(tmp_path_factory.mktemp("bulletin"))
    h.report(out)
    return out


def test_bulletin_ranks_each_group_in_a_table(out):
    results = read_results(out / "results.json")
    table = docx.Document(str(out / "bulletin.docx")).tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["名次", "单位名称", "得分", "等次", "备注"]
    expected = [[str(u.rank), u.name, f"{u.total.value:g}", u.grade] for u in results.units]
    assert [r[:4] for r in rows[1:]] == expected
    assert [r[4] for r in rows[1:]] == ["单项否决" if u.vetoed else "" for u in results.units]


def test_bulletin_names_the_vetoed_unit_and_why(out):
    text = h.docx_text(out / "bulletin.docx")
    veto_part = text.split("三、单项否决情况")[1].split("四、共性问题")[0]
    assert h.VETOED_NAME in veto_part and "空白栏目" in veto_part
    assert h.CLEAN_NAME not in veto_part


def test_most_common_problems_are_counted_by_units_affected(out):
    text = h.docx_text(out / "bulletin.docx")
    part = text.split("四、共性问题")[1]
    items = [line for line in part.splitlines() if line.startswith("（")]
    # A2 and B1 hit both units with problems; A2 has more problems (5 + 1 blank columns and the veto)
    assert items[0].startswith("（一）A2 空白栏目：涉及2个单位，共7个问题")
    assert items[1].startswith("（二）B1 文号：涉及2个单位，共2个问题")
    assert all("涉及1个单位" in line for line in items[2:])   # D1, E1: the vetoed unit only


def test_bulletin_markdown_has_the_same_ranking(out):
    md = (out / "bulletin.md").read_text(encoding="utf-8")
    results = read_results(out / "results.json")
    for u in results.units:
        assert f"| {u.rank} | {u.name} | {u.total.value:g} |" in md
