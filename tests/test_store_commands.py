"""assess --record / --compare, history and diff, as an office uses them."""

from __future__ import annotations

import datetime as dt

import openpyxl
import sqlalchemy as sa

import report_helpers as h
from store_helpers import db, synthetic_results  # noqa: F401 - the db fixture
from scoring.store import RecheckItem, UnitVerdict, open_store


def test_assess_record_keeps_scores_findings_and_notices_and_refuses_the_same_name(tmp_path, db):
    out = h.assess_batch(tmp_path, "--record", "2026年第一轮", "--db", db, *h.ISSUER_ARGS)
    with open_store(db) as store:
        info = store.round("2026年第一轮")
        assert (info.kind, info.n_units, info.as_of) == ("测评", 3, dt.date.fromisoformat(h.AS_OF))
        assert len(info.evidence_sha256) == 64 and info.rubric_sha256
        assert store.load_results("2026年第一轮").to_json() == (out / "results.json").read_text(encoding="utf-8")
        notices = {n.unit_id: n for n in store.notices("2026年第一轮")}
        assert set(notices) == {h.VETOED, h.HOSTILE}          # the clean unit gets no notice
        assert notices[h.VETOED].doc_number.startswith("青政务公开办〔2026〕")
        assert notices[h.VETOED].deadline > notices[h.VETOED].issue_date
        assert any(f.ref == h.FORMULA_DOC for f in store.findings("2026年第一轮", h.HOSTILE))
    again, _ = h.assess_run(tmp_path / "again", "--record", "2026年第一轮", "--db", db)
    assert again.exit_code == 2 and "已记录" in again.output and "--replace" in again.output
    replaced, _ = h.assess_run(tmp_path / "replaced", "--record", "2026年第一轮", "--db", db, "--replace")
    assert replaced.exit_code == 0, replaced.output
    with open_store(db) as store:
        assert [r.name for r in store.rounds()] == ["2026年第一轮"]


def test_a_round_name_already_recorded_stops_assess_before_anything_is_written(tmp_path):
    dbfile = tmp_path / "zwgk.db"
    with open_store(dbfile) as store:
        store.record_round("第一轮", "测评", synthetic_results(2))
    r, out = h.assess_run(tmp_path, "--record", "第一轮", "--db", dbfile)
    assert r.exit_code == 2 and not out.exists()


def test_the_store_defaults_to_zwgk_db_env_then_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZWGK_DB", raising=False)
    assert h.assess_run(tmp_path, "--record", "第一轮")[0].exit_code == 0
    assert (tmp_path / "zwgk.db").is_file()
    monkeypatch.setenv("ZWGK_DB", str(tmp_path / "office.db"))
    assert h.assess_run(tmp_path / "b", "--record", "第一轮")[0].exit_code == 0
    assert (tmp_path / "office.db").is_file()


def test_compare_adds_the_rank_change_to_the_workbook_and_the_bulletin(tmp_path):
    dbfile = tmp_path / "zwgk.db"
    previous = synthetic_results(0)
    # the earlier round ranked the vetoed unit first and did not have the clean unit
    with open_store(dbfile) as store:
        store.record_round("上一轮", "测评", previous)
        with store.engine.begin() as conn:
            rid = conn.execute(sa.text("select id from rounds")).scalar()
            conn.execute(sa.text("insert into unit_scores values (:r, :u, 'x', '市直部门', '90', 90, '良好', :k, 3, false)"),
                         [{"r": rid, "u": h.VETOED, "k": 1}, {"r": rid, "u": h.HOSTILE, "k": 3}])
    out = h.assess_batch(tmp_path, "--compare", "上一轮", "--db", dbfile)
    ws = openpyxl.load_workbook(out / "ranking.xlsx")["总体排名"]
    head = [c.value for c in ws[2]]
    col = head.index("较上轮（上一轮）")
    change = {row[2].value: row[col].value for row in ws.iter_rows(min_row=3)}
    ranks = {row[2].value: row[1].value for row in ws.iter_rows(min_row=3)}
    assert change[h.CLEAN] == "新增"
    assert change[h.HOSTILE] == ("持平" if ranks[h.HOSTILE] == 3 else f"↑{3 - ranks[h.HOSTILE]}")
    assert change[h.VETOED] == f"↓{ranks[h.VETOED] - 1}"
    md = (out / "bulletin.md").read_text(encoding="utf-8")
    assert "| 名次 | 单位名称 | 得分 | 等次 | 较上轮 | 备注 |" in md and "新增" in md
    assert "较上轮" in h.docx_text(out / "bulletin.docx") and "新增" in h.docx_text(out / "bulletin.docx")
    plain = h.assess_batch(tmp_path / "plain")
    assert "较上轮" not in h.docx_text(plain / "bulletin.docx")


def test_compare_with_an_unknown_round_is_exit_2_naming_it(tmp_path):
    r, out = h.assess_run(tmp_path, "--compare", "第九轮", "--db", tmp_path / "zwgk.db")
    assert r.exit_code == 2 and "「第九轮」不在" in r.output and not out.exists()


def test_diff_gives_each_units_total_grade_and_rank_before_after_and_changed_indicators(tmp_path):
    dbfile = tmp_path / "zwgk.db"
    a, b = synthetic_results(6), synthetic_results(6, shift=2)
    renamed = a.units[0].model_copy(update={"name": '=HYPERLINK("http://x","y")'})
    a.units[0] = renamed
    with open_store(dbfile) as store:
        store.record_round("第一轮", "测评", a)
        store.record_round("第二轮", "测评", b)
    r = h.run("diff", "第一轮", "第二轮", "--out", tmp_path / "d", "--db", dbfile)
    assert r.exit_code == 0, r.output
    raw = (tmp_path / "d" / "diff.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("单位编码,单位名称,分组,总分（前）,总分（后）,总分变化,等次（前）,等次（后）,名次（前）,名次（后）,名次变化")
    ua, ub = a.unit("DW00002"), b.unit("DW00002")
    row = next(line for line in lines if line.startswith("DW00002,")).split(",")
    assert row[3:5] == [str(ua.total.value).removesuffix(".0"), str(ub.total.value).removesuffix(".0")]
    changed = [i.id for i, j in zip(ua.indicators, ub.indicators) if i.score != j.score]
    assert all(f"{iid} " in row[11] for iid in changed) and changed
    assert not any(line.split(",")[1].startswith("=") for line in lines[1:])   # the formula name stays text
    ws = openpyxl.load_workbook(tmp_path / "d" / "diff.xlsx").active
    assert ws.cell(3, 1).value and ws.cell(2, 11).value == "名次变化"


def test_diff_of_rounds_scored_with_different_rubrics_flags_indicators_in_one_only(tmp_path):
    dbfile = tmp_path / "zwgk.db"
    other = [("A1", "主动公开目录", 30), ("A2", "政策文件", 30), ("B9", "新指标", 40)]
    with open_store(dbfile) as store:
        store.record_round("旧细则", "测评", synthetic_results(4))
        store.record_round("新细则", "测评", synthetic_results(4, rubric_version="2027.1", indicators=other))
    r = h.run("diff", "旧细则", "新细则", "--out", tmp_path / "d", "--db", dbfile)
    assert r.exit_code == 0, r.output
    assert "评分细则不同" in r.output and "仅旧细则 A3、A4" in r.output and "仅新细则 B9" in r.output
    wb = openpyxl.load_workbook(tmp_path / "d" / "diff.xlsx")
    assert [row[0].value for row in wb["指标差异"].iter_rows(min_row=3)] == ["A3", "A4", "B9"]
    text = (tmp_path / "d" / "diff.csv").read_text(encoding="utf-8-sig")
    assert "仅前一轮 A3" in text and "仅后一轮 B9" in text


def test_history_shows_each_round_and_each_findings_status(tmp_path):
    dbfile = tmp_path / "zwgk.db"
    first = synthetic_results(4)
    unit = first.unit("DW00002")
    f = next(f for i in unit.indicators for f in i.findings)
    iid = next(i.id for i in unit.indicators if f in i.findings)
    with open_store(dbfile) as store:
        store.record_round("第一轮", "测评", first)
        store.record_round("第一轮复核", "复核", baseline="第一轮",
                           rechecks=[RecheckItem("DW00002", iid, f.ref, "已整改", "扣1分", "不扣分")],
                           verdicts=[UnitVerdict("DW00002", "整改到位")])
    r = h.run("history", "DW00002", "--db", dbfile, "--xlsx", tmp_path / "h.xlsx")
    assert r.exit_code == 0, r.output
    assert f"总分：{unit.total.value:g}" in r.output and f"名次：{unit.rank}/{unit.group_size}" in r.output
    assert "复核结论：整改到位" in r.output
    assert f"{iid} {f.ref} {f.message} —— 第一轮 存在；第一轮复核 已整改" in r.output
    ws = openpyxl.load_workbook(tmp_path / "h.xlsx")["问题跟踪"]
    assert [c.value for c in ws[2]] == ["指标", "底稿编号", "问题", "第一轮", "第一轮复核"]


def test_history_of_a_unit_in_no_round_and_diff_of_an_unknown_round_are_exit_2(tmp_path):
    dbfile = tmp_path / "zwgk.db"
    with open_store(dbfile) as store:
        store.record_round("第一轮", "测评", synthetic_results(2))
    r = h.run("history", "XX", "--db", dbfile)
    assert r.exit_code == 2 and "「XX」不在" in r.output
    r = h.run("diff", "第一轮", "第二轮", "--db", dbfile, "--out", tmp_path / "d")
    assert r.exit_code == 2 and "「第二轮」不在" in r.output and "已有的轮次：第一轮" in r.output
    assert not (tmp_path / "d").exists()


def test_an_unreachable_database_url_is_exit_2_with_the_password_masked(tmp_path):
    r = h.run("history", "DW00001", "--db", "postgresql://office:Secret99@127.0.0.1:1/zwgk")
    assert r.exit_code == 2
    assert "无法连接测评轮次库 postgresql+psycopg://office:***@127.0.0.1:1/zwgk" in r.output
    assert "Secret99" not in r.output


