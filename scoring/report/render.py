"""One entry point for every rendered report; `assess` and `zwgk report` both call it.

Everything renders from the results model alone: re-rendering never re-scores.

- ``render_reports(results, out_dir, options)`` writes ranking.xlsx,
  notices/<unit_id>.docx|.md and bulletin.docx|.md into ``out_dir`` (a folder
  being prepared; ``assess`` passes its temp folder through ``report_writer``).
- ``publish_reports(results, out_dir, options)`` does the same for
  ``zwgk report``: renders into a temp folder beside ``out_dir`` and moves the
  result into place only when everything rendered.
"""

from __future__ import annotations

from pathlib import Path

from scoring.report.bulletin import render_bulletin
from scoring.report.notices import render_notices
from scoring.report.options import ReportOptions, validate
from scoring.report.workbook import Comparison, build_workbook
from scoring.results import Results
from scoring.staging import publish
from scoring.workdays import WorkCalendar

#: what render_reports writes, relative to out_dir (notices/ holds one pair per unit with problems)
OUTPUTS = ("ranking.xlsx", "notices", "bulletin.docx", "bulletin.md")


def render_reports(results: Results, out_dir: str | Path, options: ReportOptions | None = None,
                   calendar: WorkCalendar | None = None, workers: int | None = None,
                   compare: "Comparison | None" = None) -> list[Path]:
    """Write every report into ``out_dir``; returns the paths written.

    ``compare``: the 较上轮 column of the workbook and the bulletin (``assess --compare``).

    ``workers`` caps the processes rendering the notices (default: ``ZWGK_WORKERS``,
    else the number of cores; few notices always render in this process).

    Raises ``ReportOptionsError`` for bad options and ``CalendarError`` when the
    rectification deadline falls in a year the holiday tables do not cover.
    """
    opts = validate(options or ReportOptions())
    if calendar is None:
        calendar = WorkCalendar.load(opts.calendar)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [build_workbook(results, out / "ranking.xlsx", compare)]
    written += render_notices(results, out, opts, calendar, workers)
    written += render_bulletin(results, out, opts, compare)
    return written


def report_writer(options: ReportOptions | None = None, calendar: WorkCalendar | None = None,
                  workers: int | None = None, compare: "Comparison | None" = None):
    """A writer for :func:`scoring.engine.write_outputs` (joins its atomic write)."""
    def write(results: Results, tmp_dir: Path) -> None:
        render_reports(results, Path(tmp_dir), options, calendar, workers, compare)
    return write


def publish_reports(results: Results, out_dir: str | Path, options: ReportOptions | None = None,
                    calendar: WorkCalendar | None = None, workers: int | None = None,
                    say=None) -> list[Path]:
    """Render into a staging folder, then swap it in for ``out_dir`` (see scoring.staging).

    The reports an earlier run wrote are replaced whole, so a unit that no longer
    has problems keeps no old notice; the scoring outputs an earlier ``assess``
    wrote there (results.json, the CSVs) and files zwgk did not write are kept.
    """
    return publish(out_dir, lambda tmp: render_reports(results, tmp, options, calendar, workers),
                   keep=lambda rel: rel.split("/")[0] not in OUTPUTS, say=say)
