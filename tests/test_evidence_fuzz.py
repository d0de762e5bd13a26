"""Fuzzing the evidence loader: whatever the cells, encodings and headers, loading a batch ends
in a batch (exit 0) or in errors that name their file and place (exit 2) -- never a traceback,
within a memory and CPU-time bound.

Budget: tests/conftest.py (quick by default; ZWGK_FUZZ=long for thousands of examples).
"""

import csv
import io
import re
import resource
import shutil
import tempfile
import time
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from scoring.evidence.batch import Batch, EvidenceError
from scoring.evidence.load import load_batch
from scoring.evidence.schema import TABLES

#: per example: CPU seconds and growth of the peak resident memory (MB); generous, only a blow-up fails
CPU_SECONDS = 20
PEAK_GROWTH_MB = 400

_SURROGATES = re.compile("[\ud800-\udfff]")
_TABLES = ["requests", "catalog", "bonus", "documents", "annual_report_cells", "site_checks"]
_ODD = ["\x00", "\x0b", "\x1f", "\ufffe", "\uffff", "\ufdd0", "\U0010ffff", "\u200b", "\ufeff", "\r", "\n",
        '"', ",", "，", "é", "😀", "\u3000"]
_PLAUSIBLE = ["QC-SZ-01", "QC-XQ-01", "R-1", "2026-03-05", "2026/3/5", "2026年3月5日", "9999-12-31", "1677-01-01",
              "是", "否", "√", "1", "0", "-1", "3.5", "1e20", "inf", "nan", str(2 ** 63), "1,000", "予以公开",
              "网站", "有效", "200", "timeout", "表3", "自然人", ""]
cells = st.one_of(st.sampled_from(_PLAUSIBLE),
                  st.text(st.one_of(st.characters(), st.sampled_from(_ODD)), max_size=12))


@st.composite
def headers(draw, table: str) -> list[str]:
    spec = TABLES[table]
    names = [draw(st.sampled_from([c.name, c.alias])) for c in spec.columns]
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names) + 2))
    extra = draw(st.lists(st.one_of(st.sampled_from(["备注", "", " 单位编码 ", "Unnamed: 1"]), cells), max_size=2))
    return chosen + extra


@st.composite
def tables(draw, table: str) -> tuple[list[str], list[list[str]]]:
    head = draw(headers(table))
    width = len(head)
    row = st.lists(cells, min_size=max(0, width - 1), max_size=width + 1)
    return head, draw(st.lists(row, max_size=6))


def csv_bytes(head, rows, encoding: str, gbk_row: int | None) -> bytes:
    lines = []
    for r in [head] + rows:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(r)
        lines.append(buf.getvalue())
    out = b""
    for i, line in enumerate(lines):
        enc = "gb18030" if i == gbk_row else encoding
        out += line.encode(enc, errors="replace") if enc != "utf-16" else line.encode("utf-16-le", errors="surrogatepass")
    return (b"\xff\xfe" + out) if encoding == "utf-16" else out


def xlsx_file(path: Path, head, rows) -> None:
    wb = Workbook()
    for r in [head] + rows:
        # what openpyxl can write (a reader of another program's workbook sees no more)
        wb.active.append([_SURROGATES.sub("", ILLEGAL_CHARACTERS_RE.sub("", v)) for v in r])
    wb.save(path)


@st.composite
def batches(draw):
    table = draw(st.sampled_from(_TABLES))
    units_head = draw(st.sampled_from([["单位编码", "单位名称", "单位类型"], ["unit_id", "name", "kind", "region"]]))
    units_rows = draw(st.lists(st.lists(cells, min_size=2, max_size=4), max_size=3))
    units_rows = [["QC-SZ-01", "青川市教育局", "市直部门"]] + units_rows
    head, rows = draw(tables(table))
    files = []
    for name, (h, r) in (("units", (units_head, units_rows)), (table, (head, rows))):
        kind = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "mixed", "xlsx"]))
        gbk_row = draw(st.integers(0, len(r))) if kind == "mixed" else None
        files.append((name, kind, h, r, gbk_row))
    return files


def write_batch(folder: Path, files) -> None:
    for name, kind, head, rows, gbk_row in files:
        if kind == "xlsx":
            xlsx_file(folder / f"{name}.xlsx", head, rows)
        else:
            enc = "utf-8" if kind == "mixed" else kind
            data = csv_bytes(head, rows, enc, gbk_row)
            (folder / f"{name}.csv").write_bytes(b"\xef\xbb\xbf" + data if kind == "utf-8-sig" else data)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@given(batches())
def test_loading_any_batch_ends_in_a_batch_or_in_located_errors(files):
    folder = Path(tempfile.mkdtemp(prefix="zwgk-fuzz-"))
    try:
        write_batch(folder, files)
        peak, cpu = peak_mb(), time.process_time()
        try:
            result = load_batch(folder)
        except EvidenceError as exc:
            result = exc
        assert time.process_time() - cpu < CPU_SECONDS
        assert peak_mb() - peak < PEAK_GROWTH_MB
        if isinstance(result, Batch):
            return
        names = {p.name for p in folder.iterdir()} | {str(folder)}
        for issue in result.issues:
            text = issue.render()
            text.encode("utf-8")  # printable: no lone surrogate reaches the terminal
            assert issue.file and (issue.file in names or Path(issue.file).name in names), text
            if issue.level == "error" and issue.value is not None:
                assert issue.row is not None or issue.column, text  # a value is always placed
    finally:
        shutil.rmtree(folder, ignore_errors=True)
