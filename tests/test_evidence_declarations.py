"""A table of 测评底稿 is one declaration: a new one is loaded and checked with no change to the loader."""

from pathlib import Path

import pandas as pd
import pytest

from scoring.evidence import checks, schema
from scoring.evidence.batch import EvidenceError
from scoring.evidence.load import load_batch
from scoring.evidence.schema import ColumnSpec, TableSpec

UNITS = "单位编码,单位名称,单位类型\nQC-SZ-01,青川市教育局,市直部门\n"


def days_to_reply(frame: pd.DataFrame, base_dir: Path) -> pd.Series:
    return (frame["replied_on"] - frame["received_on"]).dt.days


HOTLINE = TableSpec(
    name="hotline_calls", alias="热线来电", id_column="call_id", unique_id=True, keys=("unit_id", "call_id"),
    purpose="12345 热线转办的来电", derived=(("_days_to_reply", days_to_reply),),
    row_checks=(checks.replied_after_received,),
    columns=(
        schema.UNIT_ID,
        ColumnSpec(name="call_id", alias="来电编号", required=True),
        ColumnSpec(name="received_on", alias="来电日期", type="date", required=True),
        ColumnSpec(name="replied_on", alias="答复日期", type="date"),
        ColumnSpec(name="result", alias="办理结果", values=("办结", "转办")),
    ),
)


@pytest.fixture
def hotline_declared(monkeypatch):
    monkeypatch.setitem(schema.TABLES, HOTLINE.name, HOTLINE)
    monkeypatch.setitem(schema.TABLE_NAMES, HOTLINE.name, HOTLINE.name)
    monkeypatch.setitem(schema.TABLE_NAMES, HOTLINE.alias, HOTLINE.name)


def test_a_declared_table_is_loaded_typed_with_its_derived_column(tmp_path, hotline_declared):
    (tmp_path / "单位.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "热线来电.csv").write_text(
        "单位编码,来电编号,来电日期,答复日期,办理结果\nQC-SZ-01,RX-1,2026-03-02,2026-03-05,办结\n", encoding="utf-8")
    calls = load_batch(tmp_path).tables["hotline_calls"]
    assert calls.loc[0, "received_on"] == pd.Timestamp("2026-03-02")
    assert calls.loc[0, "_days_to_reply"] == 3


def test_a_declared_table_is_checked_by_its_declaration(tmp_path, hotline_declared):
    (tmp_path / "单位.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "热线来电.csv").write_text(
        "单位编码,来电编号,来电日期,答复日期,办理结果\n"
        "QC-SZ-01,RX-1,2026-03-02,2026-03-01,办完了\n"
        "QC-SZ-01,RX-1,2026-03-02,,转办\n", encoding="utf-8")
    with pytest.raises(EvidenceError) as err:
        load_batch(tmp_path)
    found = {(i.row, i.column, i.message) for i in err.value.issues}
    assert found == {
        (2, "办理结果", "未知的办理结果，应为：办结、转办（或留空）"),
        (2, "答复日期", "答复日期早于收到日期"),
        (3, "来电编号", "同一单位内来电编号重复（与第2行相同）"),
    }
