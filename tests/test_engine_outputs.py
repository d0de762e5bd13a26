"""What `zwgk assess` writes: results.json (deterministic), scores.csv, findings.csv; nothing on bad input."""

import csv
import io
import json

from click.testing import CliRunner
from engine_helpers import engine_test_kind, batch_with, rubric_file, write

from scoring.cli import main
from scoring.results import read_results
from scoring.staging import MANIFEST

UNITS = [("SZ-01", "青川市教育局", "市直部门"), ("SZ-02", "青川市民政局", "市直部门"),
         ("XQ-01", "青川市青山区人民政府", "县区政府")]

assert engine_test_kind  # autouse fixture: registers the test-only rule kind


def assess(*args):
    return CliRunner().invoke(main, ["assess", *map(str, args)], catch_exceptions=False)


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_two_runs_on_the_same_input_give_byte_identical_results_json(tmp_path):
    batch = batch_with(tmp_path, UNITS, bad={"SZ-01": 2, "SZ-02": 2, "XQ-01": 1}, good={"SZ-01": 3})
    rub = rubric_file(tmp_path, points="100", params="{per_item: 1}")
    a = assess(batch, "--rubric", rub, "--as-of", "2026-11-20", "--out", tmp_path / "a")
    b = assess(batch, "--rubric", rub, "--as-of", "2026-11-20", "--out", tmp_path / "b")
    assert a.exit_code == 0 and b.exit_code == 0, a.output
    ja, jb = (tmp_path / "a" / "results.json").read_bytes(), (tmp_path / "b" / "results.json").read_bytes()
    assert ja == jb
    for name in ("scores.csv", "findings.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_results_json_records_the_rubric_the_as_of_date_and_the_tool(tmp_path):
    import hashlib

    batch = batch_with(tmp_path, UNITS, bad={"SZ-01": 1})
    rub = rubric_file(tmp_path, points="100")
    res = assess(batch, "--rubric", rub, "--as-of", "2026/11/20", "--out", tmp_path / "out")
    assert "评估基准日：2026-11-20" in res.output
    r = read_results(tmp_path / "out" / "results.json")
    assert r.as_of == "2026-11-20" and r.period.start == "2026-01-01" and r.period.end == "2026-11-20"
    assert r.rubric.id == "engine-test" and r.rubric.version == "1"
    assert r.rubric.sha256 == hashlib.sha256(rub.read_bytes()).hexdigest()
    assert r.tool.name == "zwgk" and r.tool.version
    data = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    unit = data["units"][0]
    assert {"unit_id", "total", "max", "grade", "group", "rank", "vetoed", "indicators"} <= set(unit)
    assert unit["total"] == {"exact": "100", "value": 100.0}


def test_scores_csv_has_a_row_per_unit_and_a_column_per_top_level_indicator(tmp_path):
    batch = batch_with(tmp_path, UNITS, bad={"SZ-01": 2, "SZ-02": 1, "XQ-01": 0})
    rub = rubric_file(tmp_path, points="10", other_points="90")
    assert assess(batch, "--rubric", rub, "--as-of", "2026-11-20", "--out", tmp_path / "out").exit_code == 0
    rows = read_csv(tmp_path / "out" / "scores.csv")
    assert rows[0] == ["unit_id", "name", "group", "total", "grade", "rank", "M", "N"]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["SZ-01"] == ["SZ-01", "青川市教育局", "市直部门", "98", "优秀", "2", "8", "90"]
    assert by_id["SZ-02"][3:6] == ["99", "优秀", "1"]
    assert by_id["XQ-01"][2:6] == ["县区政府", "100", "优秀", "1"]


def test_findings_csv_names_unit_indicator_evidence_id_deduction_and_rectification(tmp_path):
    batch = batch_with(tmp_path, UNITS, bad={"SZ-01": 2})
    rub = rubric_file(tmp_path, points="10", params="{per_item: 1.5}")
    assert assess(batch, "--rubric", rub, "--as-of", "2026-11-20", "--out", tmp_path / "out").exit_code == 0
    rows = read_csv(tmp_path / "out" / "findings.csv")
    assert rows[0] == ["unit_id", "indicator_id", "table", "ref", "message", "deduction", "rectify"]
    assert rows[1:] == [
        ["SZ-01", "M1", "messages", "SZ-01-B0", "留言 SZ-01-B0 答复敷衍", "1.5", "认真答复每一条留言"],
        ["SZ-01", "M1", "messages", "SZ-01-B1", "留言 SZ-01-B1 答复敷衍", "1.5", "认真答复每一条留言"],
    ]


def test_evidence_text_that_looks_like_a_formula_stays_text_in_the_csv(tmp_path):
    d = tmp_path / "batch"
    write(d / "units.csv", "unit_id,name,kind\nSZ-01,青川市教育局,市直部门\n")
    write(d / "messages.csv", "unit_id,message_id,received_on,replied_on,channel\n"
          'SZ-01,"=HYPERLINK(""http://x.example"")",2026-03-02,2026-03-03,差评\n')
    rub = rubric_file(tmp_path)
    assert assess(d, "--rubric", rub, "--as-of", "2026-11-20", "--out", tmp_path / "out").exit_code == 0
    rows = read_csv(tmp_path / "out" / "findings.csv")
    assert rows[1][3] == "'=HYPERLINK(\"http://x.example\")"


def test_bad_evidence_exits_2_in_chinese_and_writes_nothing(tmp_path):
    d = tmp_path / "batch"
    write(d / "units.csv", "unit_id,name,kind\nSZ-01,青川市教育局,市直部门\n")
    write(d / "messages.csv", "unit_id,message_id,received_on\nSZ-01,LY-1,2026-13-45\nSZ-09,LY-2,2026-03-02\n")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["assess", str(d), "--rubric", str(rubric_file(tmp_path)),
                                    "--as-of", "2026-11-20", "--out", str(out)])
    assert res.exit_code == 2
    assert "messages.csv 第2行" in res.output and "messages.csv 第3行" in res.output
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def test_a_bad_rubric_exits_2_with_file_line_and_key(tmp_path):
    batch = batch_with(tmp_path, UNITS, bad={})
    rub = rubric_file(tmp_path, params="{per_itme: 1}")
    res = CliRunner().invoke(main, ["assess", str(batch), "--rubric", str(rub), "--as-of", "2026-11-20",
                                    "--out", str(tmp_path / "out")])
    assert res.exit_code == 2
    assert "engine-test.yaml 第20行 「per_itme」: 未知参数，可用参数: per_item, veto_at" in res.output
    assert not (tmp_path / "out").exists()


def test_an_existing_output_folder_keeps_its_other_files(tmp_path):
    out = tmp_path / "out"
    write(out / ".keep", "")
    batch = batch_with(tmp_path, UNITS, bad={})
    assert assess(batch, "--rubric", rubric_file(tmp_path), "--as-of", "2026-11-20", "--out", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir() if p.name != MANIFEST) == [".keep", "bulletin.docx", "bulletin.md", "findings.csv",
                                                     "notices", "ranking.xlsx", "results.json", "scores.csv"]
