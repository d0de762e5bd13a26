"""On Windows there is no fork or forkserver: the notice pool starts its workers by spawn.

The pool picks its start method from what the platform offers; here the
platform is made to offer only spawn (as Windows does) and the notices must
come out exactly as rendered in one process.
"""

from __future__ import annotations

import multiprocessing

import report_helpers as h
from scoring.report.notices import _pool_context, render_notices
from scoring.report.options import ReportOptions
from scoring.results import read_results
from scoring.workdays import WorkCalendar

OPTS = ReportOptions(issuer="青川市人民政府办公室", doc_number="青政务公开办〔{year}〕{n}号")


def test_notices_rendered_by_spawned_workers_equal_the_serial_ones(tmp_path, monkeypatch):
    results = read_results(h.assess_batch(tmp_path / "batch") / "results.json")
    calendar = WorkCalendar.load()
    serial = render_notices(results, tmp_path / "one", OPTS, calendar, workers=1, threshold=1)

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert _pool_context().get_start_method() == "spawn"
    spawned = render_notices(results, tmp_path / "two", OPTS, calendar, workers=2, threshold=1)

    assert [p.name for p in spawned] == [p.name for p in serial]
    for a, b in zip(serial, spawned):
        if a.suffix == ".md":
            assert b.read_bytes() == a.read_bytes(), a.name
        else:
            assert h.docx_text(b) == h.docx_text(a), a.name
