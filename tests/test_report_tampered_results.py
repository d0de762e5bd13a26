"""`zwgk report` on an edited or damaged results.json: exit 2 naming the JSON field, never a traceback or a hang."""

from __future__ import annotations

import copy
import json

import pytest

import report_helpers as h


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = h.assess_batch(tmp_path_factory.mktemp("tamper"), "--no-reports")
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def _report(results: dict, tmp_path, edit) -> tuple[int, str]:
    data = copy.deepcopy(results)
    edit(data)
    path = tmp_path / "results.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = h.CliRunner().invoke(h.main, ["report", str(path), "--out", str(tmp_path / "out")])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r.exit_code, r.output


def _set(path: list, value):
    def edit(data):
        cur = data
        for k in path[:-1]:
            cur = cur[k]
        cur[path[-1]] = value
    return edit


def _drop(path: list):
    def edit(data):
        cur = data
        for k in path[:-1]:
            cur = cur[k]
        del cur[path[-1]]
    return edit


@pytest.mark.parametrize("exact", ["abc", "1/0", "1e100000000", "1E5", "-", "1/", "0x10", "١٢", "inf", "NaN",
                                   "1" * 401, " 1", "1/-2"])
def test_an_exact_value_that_is_not_a_decimal_or_fraction_names_its_field(results, tmp_path, exact):
    code, out = _report(results, tmp_path, _set(["units", 0, "total", "exact"], exact))
    assert code == 2
    assert "units[0].total.exact：应为精确分值" in out
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("field, value", [
    (["as_of"], "2026-02-30"), (["as_of"], "2026-13-01"), (["as_of"], "20261120"),
    (["period", "start"], "2026-1-1"), (["period", "end"], 20261120),
])
def test_an_impossible_or_malformed_date_names_its_field(results, tmp_path, field, value):
    code, out = _report(results, tmp_path, _set(field, value))
    assert code == 2 and ".".join(field) + "：" in out


@pytest.mark.parametrize("field, value, words", [
    (["units", 0, "rank"], "first", "应为整数"),
    (["units", 0, "rank"], 10 ** 30, "数值过大"),
    (["units", 0, "group_size"], -1, "数值过小"),
    (["units", 0, "total", "value"], "many", "应为数值"),
    (["units", 0, "vetoed"], "maybe", "应为 true 或 false"),
    (["units", 0, "indicators"], {"A": 1}, "应为列表"),
    (["indicators", 0, "level"], 10 ** 9, "数值过大"),
    (["units", 0, "indicators", 0, "state"], "great", "取值不在允许的范围内"),
    (["schema_version"], 2, "取值不在允许的范围内"),
    (["units", 0, "name"], None, "应为文本"),
])
def test_a_field_of_the_wrong_type_or_range_is_named(results, tmp_path, field, value, words):
    code, out = _report(results, tmp_path, _set(field, value))
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in field).lstrip(".")
    assert code == 2 and f"{where}：{words}" in out, out


@pytest.mark.parametrize("field", [["units", 0, "grade"], ["as_of"], ["units", 0, "total"], ["rubric"]])
def test_a_missing_key_is_named(results, tmp_path, field):
    code, out = _report(results, tmp_path, _drop(field))
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in field).lstrip(".")
    assert code == 2 and f"{where}：缺少该字段" in out


def test_a_unit_listed_twice_is_refused(results, tmp_path):
    code, out = _report(results, tmp_path, lambda d: d["units"].append(copy.deepcopy(d["units"][0])))
    assert code == 2 and "出现不止一次" in out and results["units"][0]["unit_id"] in out


def test_a_huge_value_is_not_echoed_whole(results, tmp_path):
    code, out = _report(results, tmp_path, _set(["units", 0, "total", "exact"], "x" * 1_000_000))
    assert code == 2 and len(out) < 2000


def test_text_that_is_not_json_is_exit_2(results, tmp_path):
    path = tmp_path / "results.json"
    path.write_text('{"schema_version": 1, ', encoding="utf-8")
    r = h.CliRunner().invoke(h.main, ["report", str(path)])
    assert r.exit_code == 2 and "不是有效的 JSON" in r.output
