"""Dates as users write them: one parser for a single date typed in an option or a cell.

Accepted spellings: 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日 (full-width digits too),
optionally followed by a time of day, which is ignored. The vectorised column parser in
``scoring.evidence.parse`` uses the same pattern.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

DATE_RE = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*$"
)

#: how an option's date is described in an error message
DATE_SPELLINGS = "2026-09-24、2026/9/24、2026.9.24 或 2026年9月24日"


def parse_date_text(text: str) -> dt.date:
    """One date in any accepted spelling; ValueError otherwise."""
    m = DATE_RE.match(unicodedata.normalize("NFKC", str(text)))
    if not m:
        raise ValueError(text)
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
