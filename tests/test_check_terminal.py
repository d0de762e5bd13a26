"""`zwgk check`: a unit's self-check in the terminal — total, grade, 优先整改, exit codes, 80 columns."""

from __future__ import annotations

import json
import re
import unicodedata
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from scoring.check.view import FindingView, IndicatorView, priority_fixes, show_points
from scoring.cli import main
from check_helpers import (
    A2,
    AS_OF,
    B1,
    BLANK_COLUMNS,
    D1,
    E1,
    HOSTILE_COLUMN,
    LATE_MESSAGE,
    LATE_REQUEST,
    UNIT_ID,
    UNIT_NAME,
    UNNUMBERED_DOC,
    expected_total,
    full_points,
    write_rubric,
    write_unit,
)

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def unit(tmp_path: Path) -> tuple[Path, Path]:
    return write_unit(tmp_path / "evidence"), write_rubric(tmp_path)


def run(*args: str):
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def check(unit_dir: Path, rubric: Path, *extra: str):
    return run(str(unit_dir), "--rubric", str(rubric), "--as-of", AS_OF, *extra)


def fix_lines(out: str) -> list[str]:
    """The numbered head lines of the 优先整改 list."""
    body = out.split("优先整改", 1)[1]
    return [ln for ln in body.splitlines() if re.match(r"^\s*\d+\. ", ln)]


def columns(line: str) -> int:
    """Terminal columns, counted independently of the renderer: wide/fullwidth/ambiguous = 2."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WFA" else 1
               for c in line)


# --- the view and the exit codes ---------------------------------------------------------

def test_unit_with_findings_prints_its_total_grade_and_exits_0(unit):
    res = check(*unit)
    assert res.exit_code == 0, res.output
    total = show_points(expected_total())
    assert f"总分 {total} / {show_points(full_points())}" in res.output
    assert "等级 不合格" in res.output          # vetoed: 不合格 whatever the points
    assert UNIT_NAME in res.output and UNIT_ID in res.output
    assert f"测评基准日 {AS_OF}" in res.output


def test_fail_under_above_the_total_exits_1_and_says_why(unit):
    above = str(float(expected_total()) + 0.5)
    res = check(*unit, "--fail-under", above)
    assert res.exit_code == 1
    assert "低于 --fail-under" in res.stderr
    assert "优先整改" in res.stdout            # the view is still printed


def test_fail_under_equal_to_the_total_passes(unit):
    res = check(*unit, "--fail-under", show_points(expected_total()))
    assert res.exit_code == 0, res.output


def test_indicator_table_shows_points_lost_per_indicator(unit):
    out = check(*unit).stdout
    row = next(ln for ln in out.splitlines() if ln.strip().startswith("D1"))
    score, maximum, lost = row.split()[-3:]
    assert (score, maximum, lost) == (show_points(D1[1] - D1[2]), show_points(D1[1]), show_points(D1[2]))


# --- 优先整改 ------------------------------------------------------------------------

def test_veto_is_announced_above_the_table_and_first_in_the_fix_list(unit):
    out = check(*unit).stdout
    assert out.index("单项否决") < out.index("指标")
    first = fix_lines(out)[0]
    assert "【否决】" in first and "A2" in first


def test_fixes_are_ordered_by_points_recoverable(unit):
    lines = fix_lines(check(*unit).stdout)[1:]          # after the veto
    gains = [Fraction(re.search(r"\+([\d.]+)分", ln).group(1)) for ln in lines]
    assert gains == sorted(gains, reverse=True)
    assert LATE_REQUEST in lines[0]                    # −3: the most to win back
    assert LATE_MESSAGE in lines[1]                    # −1.5


def test_a_deduction_larger_than_its_indicator_recovers_only_what_the_indicator_lost(unit):
    lines = fix_lines(check(*unit).stdout)
    doc = next(i for i, ln in enumerate(lines) if UNNUMBERED_DOC in ln)
    msg = next(i for i, ln in enumerate(lines) if LATE_MESSAGE in ln)
    # B1 deducts 2 but has only 1 point: fixing it wins back 1, less than the 1.5 of E1
    assert f"+{show_points(B1[1])}分" in lines[doc]
    assert B1[2] > E1[2] > B1[1] and msg < doc


def test_each_fix_names_the_evidence_id_the_row_and_the_rectification(unit):
    out = check(*unit).stdout
    block = out[out.index(LATE_REQUEST):]
    assert "依申请公开.csv 第2行" in block.splitlines()[0]
    assert "问题：" in block and "整改：严格在法定期限内答复" in block


def test_every_lost_point_of_an_awarded_indicator_appears_as_a_fix():
    # C4-style indicator: awarded 4/3 of 2 with an explanatory note and no deductions
    c4 = IndicatorView("C4", "解读形式", Fraction(2), Fraction(4, 3), note="非文字解读占比 20%，低于 30%",
                       rectify="丰富解读形式。")
    d1 = IndicatorView("D1", "答复时效", Fraction(12), Fraction(9), findings=[
        FindingView("D1", "requests", "YSQ-1", "逾期", Fraction(3), "按时答复")])
    fixes = priority_fixes([IndicatorView("C", "政策解读", Fraction(2), Fraction(4, 3), children=[c4]),
                            IndicatorView("D", "依申请公开", Fraction(12), Fraction(9), children=[d1])])
    assert [(f.indicator_id, f.recoverable) for f in fixes] == [("D1", Fraction(3)), ("C4", Fraction(2, 3))]
    assert fixes[1].message == c4.note


def test_indicators_that_could_not_be_checked_lose_nothing_and_need_no_fix():
    skipped = IndicatorView("F2", "数据勾稽", Fraction(7), None, state="cannot_check", note="单元格空白，无法核验",
                            findings=[FindingView("F2", "annual_report_cells", "", "无法核验", Fraction(0), "",
                                                  kind="cannot_check")])
    missing = IndicatorView("E1", "留言答复时效", Fraction(6), Fraction(0), state="not_provided",
                            findings=[FindingView("E1", "messages", "", "未提供留言办理底稿", Fraction(6), "",
                                                  kind="not_provided")])
    fixes = priority_fixes([skipped, missing])
    assert skipped.lost == 0
    assert [(f.indicator_id, f.recoverable, f.message) for f in fixes] == [("E1", Fraction(6), "未提供留言办理底稿")]


# --- layout ---------------------------------------------------------------------------

def test_every_line_fits_an_80_column_terminal(unit):
    out = check(*unit).stdout
    assert max(columns(ln) for ln in out.splitlines()) <= 80
    # the long column name is wrapped, not cut: all of it is there
    assert "学位预警信息公开专栏" in out


def test_indicator_columns_line_up_whatever_the_chinese_names(unit):
    out = check(*unit).stdout
    table = out[out.index("\n指标"):out.index("\n合计")]
    rows = [ln for ln in table.splitlines() if re.match(r"^\s*[ABDE]\d?\s", ln)]
    assert len(rows) == 8
    assert {columns(ln) for ln in rows} == {80}


def test_no_colour_when_stdout_is_not_a_terminal(unit):
    assert not ANSI.search(check(*unit).output)


def test_colour_on_request(unit):
    out = check(*unit, "--color").stdout
    assert ANSI.search(out)
    assert max(columns(ANSI.sub("", ln)) for ln in out.splitlines()) <= 80


def test_evidence_text_is_printed_as_written(unit):
    assert HOSTILE_COLUMN in check(*unit).stdout


# --- JSON -----------------------------------------------------------------------------

def test_json_has_the_terminal_total_and_the_same_fix_order(unit):
    res = check(*unit, "--json")
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    assert Fraction(doc["unit"]["total"]["exact"]) == expected_total()
    assert doc["as_of"] == AS_OF
    fixes = doc["fixes"]
    assert fixes[0]["veto"] is True and fixes[0]["indicator_id"] == "A2"
    assert [f["ref"] for f in fixes[1:3]] == [LATE_REQUEST, LATE_MESSAGE]
    doc_fix = next(f for f in fixes if f["ref"] == UNNUMBERED_DOC)
    assert Fraction(doc_fix["recoverable"]["exact"]) == B1[1]


# --- choosing the unit; bad input -------------------------------------------------------

@pytest.fixture
def batch(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "batch"
    write_unit(root)
    write_unit(root, unit_id="QC-SZ-02", name="青川市民政局", blank_columns=BLANK_COLUMNS[:1])
    return root, write_rubric(tmp_path)


def test_unit_option_picks_one_unit_of_a_batch_and_ranks_it_in_its_group_with_rank(batch):
    res = check(*batch, "--unit", "QC-SZ-02", "--rank")
    assert res.exit_code == 0, res.output
    assert "青川市民政局" in res.stdout and "单项否决" not in res.stdout
    assert f"总分 {show_points(expected_total(blank_columns=1))} /" in res.stdout
    assert "组内排名 1/2" in res.stdout


def test_unit_option_alone_scores_only_that_unit_the_same_and_shows_no_rank(batch):
    res = check(*batch, "--unit", "QC-SZ-02")
    assert res.exit_code == 0, res.output
    assert "青川市民政局" in res.stdout
    assert f"总分 {show_points(expected_total(blank_columns=1))} /" in res.stdout
    assert "组内排名" not in res.stdout
    doc = json.loads(check(*batch, "--unit", "QC-SZ-02", "--json").stdout)
    assert doc["unit"]["rank"] is None


def test_a_single_unit_folder_shows_no_rank_of_one_in_one(unit):
    res = check(*unit)
    assert res.exit_code == 0, res.output
    assert "组内排名" not in res.stdout


def test_a_batch_without_unit_option_is_an_error_listing_its_units(batch):
    res = check(*batch)
    assert res.exit_code == 2
    assert "--unit" in res.stderr and "QC-SZ-01" in res.stderr and "QC-SZ-02" in res.stderr
    assert res.stdout == ""


def test_an_unknown_unit_is_an_error(batch):
    res = check(*batch, "--unit", "QC-SZ-99")
    assert res.exit_code == 2
    assert "QC-SZ-99" in res.stderr and "QC-SZ-01" in res.stderr


def test_bad_evidence_exits_2_naming_file_row_and_column_and_writes_no_html(unit, tmp_path):
    unit_dir, rubric = unit
    (unit_dir / "依申请公开.csv").write_text(
        "申请编号,收到日期,答复日期\nYSQ-1,2026-13-45,\nYSQ-2,2026-09-24,2026-09-20\n", encoding="utf-8")
    html = tmp_path / "out" / "check.html"
    res = check(unit_dir, rubric, "--html", str(html))
    assert res.exit_code == 2
    assert "依申请公开.csv 第2行" in res.stderr and "收到日期" in res.stderr
    assert "第3行" in res.stderr                        # every error, not only the first
    assert not html.exists() and res.stdout == ""


def test_unknown_rubric_key_exits_2_naming_the_key(unit, tmp_path):
    unit_dir, rubric = unit
    rubric.write_text(rubric.read_text(encoding="utf-8").replace("veto_at:", "veto_att:"), encoding="utf-8")
    res = check(unit_dir, rubric)
    assert res.exit_code == 2
    assert "veto_att" in res.stderr


@pytest.mark.parametrize("option,value", [("--as-of", "2026-02-30"), ("--fail-under", "八十")])
def test_unreadable_option_values_exit_2(unit, option, value):
    unit_dir, rubric = unit
    res = run(str(unit_dir), "--rubric", str(rubric), "--as-of", AS_OF, option, value)
    assert res.exit_code == 2
    assert value in res.stderr


def test_html_file_is_written_with_the_view_and_evidence_text_escaped(unit, tmp_path):
    html = tmp_path / "report" / "自查.html"
    res = check(*unit, "--html", str(html))
    assert res.exit_code == 0
    page = html.read_text(encoding="utf-8")
    assert f'data-total="{show_points(expected_total())}"' in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert '<script>alert("x")' not in page
    assert "http://" not in page and "https://" not in page     # nothing fetched from the network
    assert list(html.parent.iterdir()) == [html]                # no temp file left behind


# --- the shipped rubric and sample units ----------------------------------------------

SAMPLES = Path(__file__).resolve().parent.parent / "sample_units"


def _sample_units() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if (p / "unit.yaml").is_file()) if SAMPLES.is_dir() else []


@pytest.mark.skipif(not _sample_units(), reason="sample_units/ has no unit folders yet")
def test_sample_unit_with_findings_exits_0_and_1_under_a_high_fail_under():
    outputs = {}
    for u in _sample_units():
        res = run(str(u), "--as-of", AS_OF, "--json")
        assert res.exit_code == 0, res.output
        outputs[u] = json.loads(res.stdout)
    with_findings = [u for u, doc in outputs.items() if doc["fixes"]]
    assert with_findings, "no sample unit has findings"
    u = with_findings[0]
    assert run(str(u), "--as-of", AS_OF).exit_code == 0
    assert run(str(u), "--as-of", AS_OF, "--fail-under", "99").exit_code == 1


def test_with_the_shipped_rubric_a_table_not_provided_is_a_fix_worth_the_whole_indicator(tmp_path):
    unit_dir = write_unit(tmp_path / "evidence")          # no 政策解读 evidence at all
    res = run(str(unit_dir), "--as-of", AS_OF, "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    missing = [i for i in doc["unit"]["indicators"]
               if i["state"] == "not_provided" and any(f["table"] == "interpretations" for f in i["findings"])]
    assert missing, "the shipped rubric should need 政策解读 evidence"
    fixes = {f["indicator_id"]: f for f in doc["fixes"] if not f["veto"]}
    for ind in missing:
        assert Fraction(fixes[ind["id"]]["recoverable"]["exact"]) == Fraction(ind["max"]["exact"])
    out = run(str(unit_dir), "--as-of", AS_OF).stdout
    row = next(ln for ln in out.splitlines() if ln.strip().startswith(missing[0]["id"] + " "))
    assert "未提供" in row
