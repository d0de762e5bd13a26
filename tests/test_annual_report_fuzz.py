"""The annual-report table expander against hostile pages: a result or a clear error, bounded memory.

`rowspan` × `colspan` once made a 42 KB page take 2.85 GB (MemoryError, a traceback). The
grid is now bounded (rows, columns, cells per table and per document, nesting depth) and a
page beyond the bounds is a Chinese error naming the page and the table (exit 2).

The fuzz test runs a small example budget by default; ``ZWGK_FUZZ=long`` runs a large one.
"""

from __future__ import annotations

import io
import tracemalloc

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.annual_report import document as d
from scoring.annual_report.extract import ExtractError, ExtractResult, extract_from_bytes
from scoring.cli import main

#: the budget comes from the loaded profile (tests/conftest.py)
FUZZ = settings()

SPAN_BOMB = "<html><head><title>2025年政府信息公开工作年度报告</title></head><body><table>" + \
    "<tr>" + '<td rowspan="200" colspan="200">0</td>' * 40 + "</tr>" * 500 + "</table></body></html>"


def _peak_mb(fn):
    tracemalloc.start()
    try:
        try:
            fn()
        except ExtractError:
            pass
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def test_a_rowspan_colspan_bomb_is_a_clear_error_naming_the_page_and_the_table(tmp_path):
    page = tmp_path / "年报.html"
    page.write_text(SPAN_BOMB, encoding="utf-8")
    assert page.stat().st_size < 50_000
    r = CliRunner().invoke(main, ["annual-report", "extract", str(page), "--unit-id", "QC-SZ-01",
                                  "--out", str(tmp_path / "out")])
    assert r.exit_code == 2
    assert "年报.html" in r.output and "第1个表格过大" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out").exists()
    peak = _peak_mb(lambda: extract_from_bytes(SPAN_BOMB.encode(), "http://x.gov.cn/nb.html"))
    assert peak < 200, f"{peak:.0f} MB for a {len(SPAN_BOMB) // 1024} KB page"


def test_many_tables_together_are_bounded_too():
    table = "<table>" + '<tr><td colspan="100">1</td></tr>' * 1000 + "</table>"   # 100,000 cells each
    assert len(d.read_html(table * 10).grids) == 10
    with pytest.raises(d.SourceError, match="第11个表格共超过"):
        d.read_html(table * 11)


def test_tables_nested_too_deep_are_an_error_not_a_crash():
    with pytest.raises(d.SourceError, match="嵌套超过"):
        d.read_html("<table><tr><td>" * 200)


def _docx_with_span(span: int) -> bytes:
    import docx
    from docx.oxml.ns import qn
    from docx.oxml import OxmlElement

    doc = docx.Document()
    cell = doc.add_table(rows=1, cols=1).cell(0, 0)
    tc_pr = cell._tc.get_or_add_tcPr()
    grid_span = OxmlElement("w:gridSpan")
    grid_span.set(qn("w:val"), str(span))
    tc_pr.append(grid_span)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_a_docx_cell_spanning_a_million_columns_is_an_error():
    with pytest.raises(d.SourceError, match="第1个表格过大"):
        d.read_docx(_docx_with_span(1_000_000))


# --- fuzz --------------------------------------------------------------------------------------

SPANS = st.one_of(st.integers(1, 4).map(str), st.integers(0, 10**7).map(str),
                  st.sampled_from(["", "-3", "abc", "2.5", "１２", " 7 ", "0x10", "99999999999999999999"]))
TEXT = st.one_of(st.sampled_from(["本年新收政府信息公开申请数量", "自然人", "总计", "12", "—", "予以公开", ""]),
                 st.text(max_size=6))


def _cell(children) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, rs, cs, body, closed: f'<{tag} rowspan="{rs}" colspan="{cs}">{body}' + (f"</{tag}>" if closed else ""),
        st.sampled_from(["td", "th"]), SPANS, SPANS, st.one_of(TEXT, children), st.booleans())


def _table(children) -> st.SearchStrategy[str]:
    row = st.builds(lambda cells, closed: "<tr>" + "".join(cells) + ("</tr>" if closed else ""),
                    st.lists(_cell(children), max_size=6), st.booleans())
    return st.builds(lambda rows, closed: "<table>" + "".join(rows) + ("</table>" if closed else ""),
                     st.lists(row, max_size=8), st.booleans())


TABLES = st.recursive(_table(TEXT), _table, max_leaves=12)
PAGES = st.builds(lambda title, tables: f"<html><head><title>{title}</title></head><body>{''.join(tables)}</body></html>",
                  st.sampled_from(["2025年政府信息公开工作年度报告", "通知", ""]), st.lists(TABLES, max_size=3))


@FUZZ
@given(PAGES)
def test_any_table_markup_gives_bounded_grids_or_a_clear_error(page):
    try:
        doc = d.read_html(page)
    except d.SourceError as exc:
        assert "表格" in str(exc)
        return
    total = 0
    for g in doc.grids:
        assert len(g.rows) <= d.MAX_GRID_ROWS
        widths = {len(r) for r in g.rows}
        assert len(widths) <= 1, "the grid is rectangular"
        width = widths.pop() if widths else 0
        assert width <= d.MAX_GRID_COLS and len(g.rows) * width <= d.MAX_GRID_CELLS
        total += len(g.rows) * width
    assert total <= d.MAX_DOC_CELLS


@FUZZ
@given(PAGES)
def test_any_table_markup_extracts_or_fails_with_a_chinese_error_never_a_traceback(page):
    try:
        result = extract_from_bytes(page.encode("utf-8"), "http://x.gov.cn/nb.html", year=2025)
    except ExtractError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        return
    assert isinstance(result, ExtractResult)
