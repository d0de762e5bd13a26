"""The evidence paths results.json records: the same however EVIDENCE was typed.

``sample_units``, ``./sample_units``, ``sample_units/`` and ``/home/me/sample_units``
all give ``evidence: "sample_units"`` and files such as
``sample_units/QC-XQ-04/catalog.csv``: the evidence's own name, then the path inside
it, with ``/`` on every platform. No absolute local path is written.
"""

from __future__ import annotations

import os
from pathlib import Path


class EvidencePaths:
    """Turns the loader's file labels (relative to the evidence's parent folder) into canonical ones."""

    def __init__(self, root: str | Path | None):
        self._root = Path(os.path.abspath(root)) if root not in (None, "") else None
        #: the loader labels files relative to the root's parent *as typed* ("." for "..")
        self._label_base = Path(root).parent if self._root is not None else None
        self._cache: dict[str, str] = {"": ""}

    @property
    def name(self) -> str:
        """The evidence folder's or workbook's own name ("" when unknown)."""
        return self._root.name if self._root is not None else ""

    def file(self, label: str | None) -> str:
        """``sample_units/QC-XQ-04/catalog.csv`` for the loader's label of that file."""
        if not isinstance(label, str):
            return "" if label is None or label != label else str(label)   # None or NaN: no file
        if not label:
            return ""
        out = self._cache.get(label)
        if out is None:
            out = self._cache[label] = self._canonical(label)
        return out

    def _canonical(self, label: str) -> str:
        if self._root is None:
            return label.replace(os.sep, "/")
        base = self._root.parent
        full = os.path.abspath(label if os.path.isabs(label) else os.path.join(self._label_base, label))
        try:
            rel = os.path.relpath(full, base)
        except ValueError:            # another drive (Windows)
            rel = os.path.basename(full)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            rel = os.path.basename(full)
        return rel.replace(os.sep, "/")
