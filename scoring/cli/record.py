"""The store side of `zwgk assess`: --record ROUND [--replace] and --compare ROUND.

Both are checked before scoring (an unreachable store, an unknown compare
round or an already recorded round name is exit 2 before any work). The
round is recorded by a writer that joins assess's atomic write, after the
reports: if recording fails nothing is written to --out either.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scoring.cli.store_common import exit_on_store_errors, open_store_or_exit


class StorePlan:
    """What assess does with the store: which round to record, which to compare with."""

    def __init__(self, db: str | None, record: str | None, replace: bool, compare: str | None,
                 evidence: str | None = None):
        self.record, self.replace, self.compare = record, replace, compare
        self._fingerprint = None
        self.store = open_store_or_exit(db) if (record or compare) else None
        with exit_on_store_errors():
            if compare:
                info = self.store.round(compare)
                if not info.has_results:
                    click.echo(f"错误：--compare 的轮次「{compare}」是{info.kind}轮次，没有评分结果可比", err=True)
                    sys.exit(2)
            if record and not replace and self.store.has_round(record):
                click.echo(f"错误：测评轮次「{record}」已记录在 {self.store.where}；"
                           f"如要重新记录，请加 --replace（原记录将被替换）", err=True)
                sys.exit(2)
        if record and evidence is not None:
            self._start_fingerprint(evidence)

    def _start_fingerprint(self, evidence: str) -> None:
        """Hash the evidence files in a thread while the batch is scored (hashing and reading release the GIL)."""
        from concurrent.futures import ThreadPoolExecutor

        from scoring.store import evidence_sha256

        pool = ThreadPoolExecutor(max_workers=1)
        self._fingerprint = pool.submit(lambda: evidence_sha256(evidence) if Path(evidence).exists() else None)
        pool.shutdown(wait=False)

    def fingerprint(self, evidence: str) -> str | None:
        from scoring.store import evidence_sha256

        return self._fingerprint.result() if self._fingerprint is not None else evidence_sha256(evidence)

    def comparison(self, results):
        """The 较上轮 labels against the --compare round (None without --compare)."""
        if not self.compare:
            return None
        from scoring.report.workbook import Comparison
        from scoring.store.compare import rank_changes

        with exit_on_store_errors():
            return Comparison(self.compare, rank_changes(self.store.unit_scores(self.compare), results))

    def writer(self, evidence: str, report_options, calendar):
        """The writer recording the round (None without --record); notices only when reports are written."""
        if not self.record:
            return None

        def write(results, tmp: Path) -> None:
            from scoring.report.notices import issued_notices
            from scoring.store import KIND_ASSESS, NoticeRecord

            notices = []
            if report_options is not None:
                notices = [NoticeRecord(*n) for n in issued_notices(results, report_options, calendar)]
            click.echo(f"[zwgk] 记录测评轮次「{self.record}」到 {self.store.where}", err=True)
            with exit_on_store_errors():
                self.store.record_round(self.record, KIND_ASSESS, results,
                                        results_json=(tmp / "results.json").read_bytes(),
                                        evidence_sha256=self.fingerprint(evidence), notices=notices,
                                        replace=self.replace)
        return write

    def echo_done(self, results) -> None:
        if self.record:
            click.echo(f"已记录测评轮次「{self.record}」（{len(results.units)} 个单位）到 {self.store.where}")
