"""Writing ``site_checks`` CSV files: through the project's one CSV writer (scoring.safe_csv), all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scoring.safe_csv import frame_bytes, write_files


def write_all(files: dict[Path, pd.DataFrame]) -> None:
    """Write every file (formula-guarded, UTF-8 with BOM) to a temporary name beside it, then move them all into place."""
    write_files({path: frame_bytes(df) for path, df in files.items()})
