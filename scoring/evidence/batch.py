"""The loaded batch the engine receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from scoring.evidence.schema import TABLES


@dataclass
class LoadIssue:
    """One problem found while loading evidence (pandera-style: a long list)."""

    file: str                 # as the user names it; "book.xlsx[依申请公开]" for a sheet
    row: int | None           # 1-based as the user sees it, header = row 1
    column: str | None        # the header as the user wrote it
    value: str | None         # the offending value, as text
    message: str              # Chinese: what is wrong and what was expected
    level: str = "error"      # "error" | "warning"

    def render(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" 第{self.row}行"
        if self.column:
            where += f" 「{self.column}」列"
        val = f"（值：{self.value!r}）" if self.value not in (None, "") else ""
        tag = "错误" if self.level == "error" else "警告"
        return f"[{tag}] {where}：{self.message}{val}"


class EvidenceError(Exception):
    """Raised with every error of a load; exit code 2."""

    def __init__(self, issues: list[LoadIssue]):
        self.issues = issues
        super().__init__(f"{len(issues)} 个错误")


@dataclass
class Batch:
    root: Path
    #: one row per unit; columns of TABLES['units'] + extra + _file/_row
    units: pd.DataFrame
    #: English table name -> frame with all units' rows (only tables provided somewhere)
    tables: dict[str, pd.DataFrame]
    #: unit_id index x table name columns: did this unit's evidence include the table?
    provided: pd.DataFrame
    warnings: list[LoadIssue] = field(default_factory=list)
    #: per-table source files, for the summary
    sources: dict[str, list[str]] = field(default_factory=dict)

    @property
    def unit_ids(self) -> pd.Index:
        return pd.Index(self.units["unit_id"].astype(str), name="unit_id")

    def table(self, name: str) -> pd.DataFrame:
        """All units' rows of a table; an empty frame with typed columns if nobody provided it."""
        if name in self.tables:
            return self.tables[name]
        return empty_table(name)

    def has_table(self, unit_id: str, name: str) -> bool:
        return bool(self.provided.at[unit_id, name])

    def only(self, unit_ids) -> "Batch":
        """The same batch cut to some units (every table's rows of those units only)."""
        keep = set(unit_ids)

        def cut(df: pd.DataFrame) -> pd.DataFrame:
            return df[df["unit_id"].astype(str).isin(keep)].reset_index(drop=True)

        return Batch(root=self.root, units=cut(self.units),
                     tables={k: cut(v) for k, v in self.tables.items()},
                     provided=self.provided.loc[[u for u in self.provided.index if u in keep]],
                     warnings=self.warnings, sources=self.sources)


_DTYPES = {"text": "object", "url": "object", "path": "object", "int": "Int64",
           "number": "float64", "date": "datetime64[ns]", "bool": "boolean"}


def empty_table(name: str) -> pd.DataFrame:
    spec = TABLES[name]
    cols = {c.name: pd.Series(dtype=_DTYPES[c.type]) for c in spec.columns}
    cols["_file"] = pd.Series(dtype="object")
    cols["_row"] = pd.Series(dtype="Int64")
    for derived, _ in spec.derived:
        cols[derived] = pd.Series(dtype="object")
    return pd.DataFrame(cols)
