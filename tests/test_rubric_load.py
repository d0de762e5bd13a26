"""Rubric files: the shipped ones encode RUBRIC.md; mistakes are named by file, line and key; extends."""

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from scoring.cli import main
from scoring.rubric.load import RubricError, load_rubric

ROOT = Path(__file__).resolve().parents[1]
PROVINCIAL = ROOT / "rubrics" / "provincial-2026.yaml"

#: RUBRIC.md, the points of every indicator
RUBRIC_MD_POINTS = {
    "A": 20, "A1": 8, "A2": 4, "A3": 4, "A4": 4,
    "B": 20, "B1": 5, "B2": 4, "B3": 4, "B4": 4, "B5": 3,
    "C": 20, "C1": 6, "C2": 6, "C3": 4, "C4": 2, "C5": 2,
    "D": 20, "D1": 12, "D2": 2, "D3": 6,
    "E": 10, "E1": 6, "E2": 4,
    "F": 10, "F1": 3, "F2": 7,
}


def errors(path) -> list[str]:
    with pytest.raises(RubricError) as exc:
        load_rubric(path)
    return [i.render() for i in exc.value.issues]


def edited(tmp_path: Path, old: str, new: str, name: str = "provincial-2026.yaml") -> Path:
    text = PROVINCIAL.read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / name
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# --- the shipped rubrics ------------------------------------------------------


def test_the_default_rubric_is_the_provincial_one_and_has_every_indicator_of_rubric_md():
    r = load_rubric()
    assert r.id == "provincial-2026"
    points = {i.id: int(i.points) for i, _, _ in r.model.walk()}
    assert points == RUBRIC_MD_POINTS
    assert r.model.full_points == 100
    assert r.sha256 == hashlib.sha256(r.path.read_bytes()).hexdigest()


def test_the_provincial_rubric_carries_the_local_rules_as_parameters():
    r = load_rubric("provincial-2026")
    m = r.model
    assert [(g.name, g.min) for g in m.grades] == [("优秀", 90), ("良好", 80), ("合格", 60), ("不合格", 0)]
    assert m.bonus.cap == 5 and m.bonus.min_base == 80 and m.bonus.min_base_inclusive
    assert m.groups.by == "kind"
    assert r.params["A2"].veto_at == 5 and r.params["A4"].per_link == Decimal("0.5")
    assert r.params["D1"].per_item == 3 and r.params["D1"].max_workdays == 20
    assert r.params["F1"].deadlines == {"市直部门": "01-31", "乡镇街道": "01-31", "县区政府": "03-31"}
    required = {k: [n.name for n in v] for k, v in r.params["A1"].required.items()}
    assert len(required["县区政府"]) == 12 and len(required["市直部门"]) == 8 and len(required["乡镇街道"]) == 7
    elements = {e.name: e.synonyms for e in r.params["C2"].elements}
    assert "新旧政策差异" in elements["新旧差异"] and "下一步工作" in elements["后续工作"]
    for leaf in m.leaves():
        assert leaf.pass_text and leaf.fail_text and leaf.rectify and leaf.description, leaf.id


def test_the_website_check_rubric_validates_with_vetoes_and_a_bonus_only_above_80():
    r = load_rubric("gov-website-2019")
    assert r.model.full_points == 100
    vetoes = [i for i in r.model.leaves() if i.points == 0]
    assert {i.rule for i in vetoes} >= {"site_availability", "blank_columns", "message_long_unanswered"}
    assert r.model.bonus.min_base == 80 and not r.model.bonus.min_base_inclusive


def test_an_unknown_rubric_id_lists_the_shipped_ones():
    [msg] = errors("provincial-2025")
    assert "provincial-2026" in msg and "gov-website-2019" in msg


# --- mistakes -------------------------------------------------------------------


def test_a_misspelt_parameter_is_named_with_file_line_and_the_parameters_expected(tmp_path):
    p = edited(tmp_path, "        rule: blank_columns\n        params:\n          per_item: 1",
               "        rule: blank_columns\n        params:\n          per_itme: 1")
    line = line_of(p, "per_itme")
    assert errors(p) == [f"provincial-2026.yaml 第{line}行 「per_itme」: 未知参数，可用参数: per_item, veto_at"]


def test_an_unknown_rule_kind_is_named_with_file_line_and_key(tmp_path):
    p = edited(tmp_path, "rule: stale_columns", "rule: stale_colums")
    [msg] = errors(p)
    assert msg.startswith(f"provincial-2026.yaml 第{line_of(p, 'stale_colums')}行 「rule」: 未知规则类型「stale_colums」")
    assert "stale_columns" in msg


def test_an_ill_typed_parameter_says_what_was_expected(tmp_path):
    p = edited(tmp_path, "          max_workdays: 20\n          extension_workdays: 20",
               "          max_workdays: 二十\n          extension_workdays: 20")
    [msg] = errors(p)
    assert msg.startswith(f"provincial-2026.yaml 第{line_of(p, 'max_workdays: 二十')}行 「max_workdays」: 应为整数")


def test_every_mistake_of_a_file_is_reported_together(tmp_path):
    p = edited(tmp_path, "rule: stale_columns", "rule: stale_colums")
    p.write_text(p.read_text(encoding="utf-8").replace("min_base_inclusive: true", "min_base_inclusiv: true")
                 .replace("veto_at: 1\n", "veto_at: 一\n"), encoding="utf-8")
    msgs = errors(p)
    assert len(msgs) == 3
    assert any("「min_base_inclusiv」: 未知键" in m and "min_base_inclusive" in m for m in msgs)
    assert any("「veto_at」: 应为整数" in m for m in msgs)


def test_a_parent_whose_points_differ_from_its_children_is_an_error(tmp_path):
    p = edited(tmp_path, "title: 按时发布\n        points: 3", "title: 按时发布\n        points: 4")
    [msg] = errors(p)
    assert "「id: F」" in msg and "指标 F 的分值 10 不等于下级指标分值之和 11" in msg


def test_a_duplicate_key_is_an_error(tmp_path):
    p = edited(tmp_path, "veto_grade: 不合格\n", "veto_grade: 不合格\nveto_grade: 合格\n")
    assert any("「veto_grade」: 键重复" in m for m in errors(p))


def test_an_unquoted_version_number_is_refused(tmp_path):
    p = edited(tmp_path, 'version: "2026.1"', "version: 2026.10")
    [msg] = errors(p)
    assert "「version」" in msg and "加引号" in msg


# --- extends ----------------------------------------------------------------------


def test_a_rubric_extending_the_provincial_one_overrides_only_what_it_says(tmp_path):
    child = tmp_path / "city-2026.yaml"
    child.write_text("""\
extends: provincial-2026
id: city-2026
version: "2026.1"
title: 青川市2026年度政务公开测评指标
grades:
  - {name: 优秀, min: 85}
  - {name: 合格, min: 60}
  - {name: 不合格, min: 0}
indicators:
  - id: E
    children:
      - id: E1
        params: {max_workdays: 3}
""", encoding="utf-8")
    r = load_rubric(child)
    assert r.id == "city-2026" and [g.name for g in r.model.grades] == ["优秀", "合格", "不合格"]
    assert r.params["E1"].max_workdays == 3 and r.params["E1"].per_item == 1
    assert r.params["D1"].per_item == 3
    assert len(r.model.leaves()) == 21
    assert r.sha256 == hashlib.sha256(child.read_bytes()).hexdigest()
    assert [p.name for p, _ in r.extends] == ["provincial-2026.yaml"]


def test_an_extending_rubric_can_drop_an_indicator_and_its_errors_name_its_own_file(tmp_path):
    child = tmp_path / "county.yaml"
    child.write_text("""\
extends: provincial-2026
id: county
indicators:
  - id: A
    points: 16
    children:
      - {id: A4, remove: true}
      - id: A2
        params: {per_iten: 1}
""", encoding="utf-8")
    [msg] = errors(child)
    assert msg == "county.yaml 第9行 「per_iten」: 未知参数，可用参数: per_item, veto_at"
    child.write_text(child.read_text(encoding="utf-8").replace("per_iten", "per_item"), encoding="utf-8")
    r = load_rubric(child)
    assert "A4" not in {i.id for i in r.model.leaves()} and r.model.full_points == 96


# --- the commands -------------------------------------------------------------------


def test_rubric_validate_and_show_print_the_tree():
    res = CliRunner().invoke(main, ["rubric", "validate", "provincial-2026"])
    assert res.exit_code == 0 and "21 个末级指标" in res.output
    res = CliRunner().invoke(main, ["rubric", "show", "provincial-2026"])
    assert res.exit_code == 0
    assert "  D1 答复时效  12 分  [request_timeliness]" in res.output
    assert "G 加分  上限 5 分" in res.output


def test_rubric_validate_exits_2_on_a_bad_file(tmp_path):
    p = edited(tmp_path, "rule: stale_columns", "rule: stale_colums")
    res = CliRunner().invoke(main, ["rubric", "validate", str(p)])
    assert res.exit_code == 2 and "未知规则类型「stale_colums」" in res.output


def test_rubric_export_writes_the_published_scoring_table(tmp_path):
    out = tmp_path / "细则.xlsx"
    res = CliRunner().invoke(main, ["rubric", "export", "provincial-2026", "--xlsx", str(out)])
    assert res.exit_code == 0, res.output
    ws = load_workbook(out)["评分细则"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:4] == ("一级指标", "二级指标", "编号", "分值")
    d1 = next(r for r in rows if r[2] == "D1")
    assert d1[0] == "D 依申请公开（20分）" and d1[3] == 12 and "20 个工作日" in d1[4]
    assert sum(r[3] for r in rows[2:] if r[2] != "G") == 100


def test_a_required_parameter_left_out_with_its_params_key_names_the_leaf_line(tmp_path):
    # found by the rubric fuzz test: no `params:` at all used to give a location of "?"
    path = tmp_path / "local.yaml"
    path.write_text("id: local\nversion: '1'\ntitle: 本地细则\ngrades:\n- {name: 不合格, min: 0}\n"
                    "indicators:\n- id: B\n  title: 政策文件\n  points: 1\n  children:\n"
                    "  - id: B1\n    title: 文号\n    points: 1\n    rule: document_fields\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["rubric", "validate", str(path)])
    assert result.exit_code == 2
    assert "local.yaml 第14行 「fields」: 缺少必填项" in result.output
