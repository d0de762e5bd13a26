"""整改通知书 rendered by a process pool come out as rendered one by one.

The pool normally starts only for many notices; here the threshold is lowered
so the three-unit batch of tests/report_helpers.py (two notices) goes through
two worker processes.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from docx import Document
from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError

import report_helpers as h
from scoring.report.notices import notice_workers, render_notices
from scoring.report.options import ReportOptions
from scoring.results import read_results
from scoring.workdays import CalendarError, WorkCalendar

OPTS = ReportOptions(issuer="青川市人民政府办公室", doc_number="青政务公开办〔{year}〕{n}号")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = h.assess_batch(tmp_path_factory.mktemp("pool"))
    return read_results(out / "results.json")


def _render(results, out: Path, workers: int, opts: ReportOptions = OPTS) -> list[Path]:
    return render_notices(results, out, opts, WorkCalendar.load(), workers=workers, threshold=1)


def _parts(path: Path) -> list[tuple[str, bytes]]:
    """The parts of a .docx (the zip's entry dates are the time of writing, so not compared)."""
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def test_two_workers_write_the_same_notices_as_one_process(results, tmp_path):
    one = _render(results, tmp_path / "one", workers=1)
    two = _render(results, tmp_path / "two", workers=2)
    assert [p.relative_to(tmp_path / "two") for p in two] == [p.relative_to(tmp_path / "one") for p in one]
    assert sorted(p.name for p in (tmp_path / "two" / "notices").iterdir()) == sorted(p.name for p in one)
    assert {p.stem for p in two} == {h.VETOED, h.HOSTILE}
    for a, b in zip(one, two):
        if a.suffix == ".md":
            assert b.read_bytes() == a.read_bytes(), a.name
        else:
            assert h.docx_text(b) == h.docx_text(a), a.name
            assert _parts(b) == _parts(a), a.name


def test_doc_numbers_follow_the_ranking_order_with_two_workers(results, tmp_path):
    paths = _render(results, tmp_path, workers=2)
    numbers = [Document(str(p)).paragraphs[1].text for p in paths if p.suffix == ".docx"]
    assert numbers == ["青政务公开办〔2026〕1号", "青政务公开办〔2026〕2号"]


def _template(tmp_path: Path, text: str) -> Path:
    d = Document()
    d.add_paragraph(text)
    path = tmp_path / "restyled.docx"
    d.save(str(path))
    return path


@pytest.mark.parametrize("text, error", [("{{ unit_nmae }}", UndefinedError),
                                         ("{% for x in indicators %}未闭合", TemplateSyntaxError)])
def test_a_broken_restyled_template_raises_the_same_template_error_from_the_pool(results, tmp_path, text, error):
    opts = ReportOptions(notice_template=_template(tmp_path, text))
    with pytest.raises(TemplateError) as serial:
        _render(results, tmp_path / "one", workers=1, opts=opts)
    with pytest.raises(TemplateError) as pooled:
        _render(results, tmp_path / "two", workers=2, opts=opts)
    assert type(serial.value) is type(pooled.value) is error
    assert str(pooled.value) == str(serial.value)
    assert getattr(pooled.value, "lineno", None) == getattr(serial.value, "lineno", None)


def test_a_deadline_beyond_the_holiday_tables_is_a_calendar_error_with_two_workers(results, tmp_path):
    opts = ReportOptions(issue_date=dt.date(2099, 6, 1))
    with pytest.raises(CalendarError):
        _render(results, tmp_path, workers=2, opts=opts)


def test_few_notices_or_one_worker_render_in_the_calling_process(monkeypatch):
    monkeypatch.delenv("ZWGK_WORKERS", raising=False)
    assert notice_workers(10, workers=2) == 1
    assert notice_workers(3000, workers=1) == 1
    assert notice_workers(3000, workers=2) == 2
    assert notice_workers(3, workers=8, threshold=1) == 3
    monkeypatch.setenv("ZWGK_WORKERS", "1")
    assert notice_workers(3000) == 1


def test_a_bad_worker_count_in_the_environment_is_reported_in_chinese(results, tmp_path, monkeypatch):
    out = h.assess_batch(tmp_path)
    monkeypatch.setenv("ZWGK_WORKERS", "两个")
    r = h.run("report", out / "results.json")
    assert r.exit_code == 2 and "ZWGK_WORKERS" in r.output and "正整数" in r.output


def test_unit_ids_that_clean_to_the_same_name_each_get_a_notice_with_two_workers(results, tmp_path):
    # "QC/SZ" and "QC:SZ" would both become QC_SZ: each gets its own file, the same with one or two workers
    renamed = {h.VETOED: "QC/SZ", h.HOSTILE: "QC:SZ"}
    units = [u.model_copy(update={"unit_id": renamed.get(u.unit_id, u.unit_id)}) for u in results.units]
    clash = results.model_copy(update={"units": units})
    one = _render(clash, tmp_path / "one", workers=1)
    two = _render(clash, tmp_path / "two", workers=2)
    assert [p.name for p in two] == [p.name for p in one]
    assert len({p.name for p in two}) == 4
    assert sorted(p.name for p in (tmp_path / "two" / "notices").iterdir()) == sorted(p.name for p in two)
    for unit_id, name in ((u.unit_id, u.name) for u in units if u.unit_id in renamed.values()):
        docx = next(p for p in two if p.suffix == ".docx" and h.docx_text(p).find(f"{name}：") >= 0)
        assert docx.stem.startswith("QC_SZ-"), unit_id
    for a, b in zip(one, two):
        if a.suffix == ".md":
            assert b.read_bytes() == a.read_bytes()
