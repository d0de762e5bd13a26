"""Hostile or mistaken rubric, calendar and report-option files: exit 2 with file, line and key.

Never a traceback, a hang or a message echoing megabytes: unhashable keys, huge numbers,
deep nesting, alias bombs, negative deductions, a calendar year 10^9, a 文号 width of 2*10^7.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from scoring.cli import main
from scoring.rubric.load import RubricError, load_rubric

ROOT = Path(__file__).resolve().parents[1]
PROVINCIAL = ROOT / "rubrics" / "provincial-2026.yaml"


def _invoke(*args: str):
    r = CliRunner().invoke(main, [str(a) for a in args])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    return r


def _validate(path: Path):
    return _invoke("rubric", "validate", path)


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = PROVINCIAL.read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "mine.yaml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# --- rubric ---------------------------------------------------------------------


def test_a_mapping_used_as_a_key_is_named_by_line(tmp_path):
    p = _edited(tmp_path, "veto_grade: 不合格\n", "veto_grade: 不合格\n? {a: 1}\n: 2\n")
    r = _validate(p)
    assert r.exit_code == 2
    assert f"mine.yaml 第{_line_of(p, '? {a: 1}')}行: 键应为文字或数字，不能是映射或列表" in r.output


def test_a_list_used_as_a_key_inside_an_indicator_is_named_by_line(tmp_path):
    p = _edited(tmp_path, "  - id: A\n", "  - id: A\n    ? [x, y]\n    : 1\n")
    r = _validate(p)
    assert r.exit_code == 2 and f"第{_line_of(p, '? [x, y]')}行: 键应为" in r.output


@pytest.mark.parametrize("value", ["1e100000", "1e100000000", "1.0e400", ".inf", ".nan", "1000001", "0.0000001"])
def test_a_huge_or_endless_number_of_points_is_refused_quickly(tmp_path, value):
    p = _edited(tmp_path, "  - {name: 优秀, min: 90}", f"  - {{name: 优秀, min: {value}}}")
    r = _validate(p)
    assert r.exit_code == 2
    assert f"mine.yaml 第{_line_of(p, '优秀')}行 「min」" in r.output


def test_a_negative_deduction_per_item_is_refused(tmp_path):
    p = _edited(tmp_path, "per_item: 1", "per_item: -1")
    r = _validate(p)
    assert r.exit_code == 2
    assert f"第{_line_of(p, 'per_item: -1')}行 「per_item」: 取值应≥ 0" in r.output


@pytest.mark.parametrize("old, new", [("veto_at: 5", "veto_at: 10000000"),
                                      ("per_item: 2", "per_item: 99999999999999999999"),
                                      ("per_item: 1", "per_item: 0.1234567")])
def test_a_rule_parameter_out_of_bounds_is_refused_with_its_key(tmp_path, old, new):
    p = _edited(tmp_path, old, new)
    r = _validate(p)
    key = old.split(":")[0]
    assert r.exit_code == 2 and f"第{_line_of(p, new)}行 「{key}」" in r.output, r.output


def test_deep_nesting_is_refused_with_its_line_not_a_recursion_error(tmp_path):
    p = tmp_path / "deep.yaml"
    p.write_text('id: x\nversion: "1"\ntitle: t\nindicators: ' + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    r = _validate(p)
    assert r.exit_code == 2 and "deep.yaml 第4行: 嵌套超过" in r.output


def test_deep_block_nesting_is_refused_too(tmp_path):
    lines = ['id: x', 'version: "1"', 'title: t', 'description:']
    lines += [" " * (2 * k + 2) + f"k{k}:" for k in range(200)]
    p = tmp_path / "block.yaml"
    p.write_text("\n".join(lines) + " 1\n", encoding="utf-8")
    r = _validate(p)
    assert r.exit_code == 2 and "嵌套超过" in r.output


def _alias_bomb(levels: int = 12) -> str:
    lines = ['a0: &a0 ["lol", "lol"]']
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + f"\nid: x\nversion: [*a{levels - 1}]\ntitle: t\n"


def test_an_alias_bomb_is_refused_and_the_message_stays_short(tmp_path):
    p = tmp_path / "bomb.yaml"
    p.write_text(_alias_bomb(), encoding="utf-8")
    r = _validate(p)
    assert r.exit_code == 2 and "别名" in r.output and len(r.output) < 1000


def test_a_modest_alias_expansion_is_still_echoed_briefly(tmp_path):
    p = tmp_path / "alias.yaml"
    p.write_text(_alias_bomb(levels=4), encoding="utf-8")    # 2 * 9^3 values: allowed, but wrong type
    r = _validate(p)
    assert r.exit_code == 2 and "「version」" in r.output and len(r.output) < 2000


def test_an_alias_that_contains_itself_is_refused(tmp_path):
    p = tmp_path / "loop.yaml"
    p.write_text('id: &a [x, *a]\nversion: "1"\ntitle: t\n', encoding="utf-8")
    r = _validate(p)
    assert r.exit_code == 2 and "循环" in r.output


def test_an_impossible_date_in_the_period_is_named_by_line(tmp_path):
    p = tmp_path / "mine.yaml"
    text = PROVINCIAL.read_text(encoding="utf-8")
    p.write_text(text.replace("indicators:", "period: {start: 2026-02-30}\nindicators:", 1), encoding="utf-8")
    r = _validate(p)
    assert r.exit_code == 2 and f"第{_line_of(p, '2026-02-30')}行: 日期不存在" in r.output


def test_a_very_long_extends_path_is_a_rubric_error_not_an_os_error(tmp_path):
    p = _edited(tmp_path, "veto_grade: 不合格\n", "veto_grade: 不合格\nextends: " + "x" * 5000 + ".yaml\n")
    with pytest.raises(RubricError) as exc:
        load_rubric(p)
    text = exc.value.issues[0].render()
    assert "「extends」" in text and len(text) < 1500


def test_a_long_value_in_an_error_is_cut(tmp_path):
    p = _edited(tmp_path, "veto_grade: 不合格\n", "veto_grade: " + "国" * 100_000 + "\n")
    r = _validate(p)
    assert r.exit_code == 2 and "veto_grade" in r.output and len(r.output) < 2000


# --- calendar -------------------------------------------------------------------


def _deadline_with(tmp_path: Path, calendar_text: str):
    cal = tmp_path / "cal.yaml"
    cal.write_text(calendar_text, encoding="utf-8")
    return _invoke("deadline", "2026-12-20", "--calendar", cal)


def test_a_calendar_year_of_a_billion_is_refused_with_its_line(tmp_path):
    r = _deadline_with(tmp_path, "2027:\n  holidays: [2027-01-01]\n1000000000:\n  holidays: []\n")
    assert r.exit_code == 2 and "cal.yaml 第3行 「1000000000」：应为 1900–2199 之间的年份" in r.output


def test_calendar_problems_are_all_listed_with_lines(tmp_path):
    r = _deadline_with(tmp_path, "2027:\n  holidays:\n    - 2027-01-01\n    - 2027-02-30\n"
                                 "    - {date: 2027-10-01, to: 2028-10-07, name: 国庆节}\n  workdays: 5\n")
    assert r.exit_code == 2
    assert "第4行：日期不存在" in r.output
    assert "第5行 「2027.holidays」：日期 2028-10-07 不在 2027 年内" in r.output
    assert "第6行 「2027.workdays」：应为列表" in r.output


def test_a_calendar_range_over_centuries_is_refused_without_expanding_it(tmp_path):
    r = _deadline_with(tmp_path, "2027:\n  holidays: ['2027-01-01~9999-12-31']\n")
    assert r.exit_code == 2 and "不在 2027 年内" in r.output


def test_a_calendar_with_an_unhashable_key_or_alias_bomb_is_exit_2(tmp_path):
    r = _deadline_with(tmp_path, "? [2027]\n: {holidays: []}\n")
    assert r.exit_code == 2 and "第1行：键应为" in r.output
    r = _deadline_with(tmp_path, _alias_bomb())
    assert r.exit_code == 2 and "别名" in r.output and len(r.output) < 1000


# --- 文号 format and the report config ---------------------------------------------


@pytest.mark.parametrize("pattern", ["{n:>20000000}", "{year:.100000000f}", "{n:{year}}", "{n:0>21}",
                                     "〔{year}〕" * 100])
def test_a_doc_number_width_that_would_write_megabytes_is_refused_naming_the_option(tmp_path, pattern):
    r = _invoke("assess", ROOT / "sample_units", "--as-of", "2026-11-20", "--out", tmp_path / "out",
                "--doc-number", pattern)
    assert r.exit_code == 2 and "--doc-number" in r.output
    assert not (tmp_path / "out").exists()


def test_a_reasonable_doc_number_width_is_accepted():
    from scoring.report.options import check_doc_number

    assert check_doc_number("青政务公开办〔{year}〕{n:03d}号") == []
    assert check_doc_number("{unit_id}-{n:>20}") == []


def test_an_alias_bomb_in_the_report_config_is_refused(tmp_path):
    cfg = tmp_path / "report.yaml"
    cfg.write_text(_alias_bomb().replace("id: x\nversion:", "issuer:").replace("\ntitle: t", ""), encoding="utf-8")
    r = _invoke("assess", ROOT / "sample_units", "--as-of", "2026-11-20", "--out", tmp_path / "out",
                "--config", cfg)
    assert r.exit_code == 2 and "报告配置文件" in r.output and "别名" in r.output and len(r.output) < 1000
