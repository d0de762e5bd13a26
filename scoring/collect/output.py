"""Writing ``site_checks`` CSV files: UTF-8 with BOM, all-or-nothing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd


def _guard(v):
    """Evidence text never becomes a spreadsheet formula when the CSV is opened in Excel."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def write_all(files: dict[Path, pd.DataFrame]) -> None:
    """Write every file to a temporary name beside it, then move them all into place."""
    temps: list[tuple[Path, Path]] = []
    try:
        for path, df in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
                df.map(_guard).to_csv(fh, index=False)
            temps.append((Path(tmp), path))
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, path in temps:
        os.replace(tmp, path)
