"""The columnar evidence cache: a checked batch, saved as Parquet in buckets of units.

The first run on a batch reads the user's CSV/xlsx files with the loader (every problem is
reported with the user's own file, row and column, exactly as without the cache); when the
batch is clean, its typed tables are written here, cut into buckets of consecutive units:

    <cache>/manifest.json           the source files (path, size, mtime, sha256), bucket layout,
                                    warnings and table sources of the load
    <cache>/units.parquet           the units table (units' order = scoring order)
    <cache>/provided.parquet        which unit provided which table
    <cache>/b00000/<table>.parquet  one bucket's rows of each table, in the files' row order

Later runs on unchanged evidence read the cache instead of the files: a partition reads only its
own buckets, ``zwgk check --unit`` only the unit's bucket. "Unchanged" is decided per source
file: same size and mtime, or else the same sha256 (a file touched but not changed still hits).
Any other change, a new or removed file, another zwgk version: the cache is rebuilt.

The cache lives in ``.zwgk-cache/`` beside the evidence (one folder per evidence path), or
under ``--cache-dir``; ``zwgk cache clear`` removes it. It is written into a temporary folder
and renamed into place, so a reader never sees half a cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from scoring import __version__
from scoring.evidence.batch import Batch, LoadIssue

#: bump when the layout of a cache folder changes
CACHE_FORMAT = 1
CACHE_FOLDER = ".zwgk-cache"
MANIFEST = "manifest.json"
#: units per bucket: what ``check --unit`` reads at least
BUCKET_UNITS = 100


class CacheError(OSError):
    """The cache folder cannot be written or read (the run goes on without it)."""


# ---------------------------------------------------------------------------
# where, and whether it is current


def cache_folder(evidence: str | Path, cache_dir: str | Path | None = None) -> Path:
    """The cache folder of this evidence: ``.zwgk-cache/<name>-<hash>`` beside it, or under ``cache_dir``."""
    src = Path(evidence).resolve()
    key = f"{src.name}-{hashlib.sha256(str(src).encode()).hexdigest()[:12]}"
    base = Path(cache_dir) if cache_dir is not None else src.parent / CACHE_FOLDER
    return base / key


def source_files(evidence: str | Path) -> list[Path]:
    """Every file the batch is read from (the whole folder, hidden entries aside), sorted."""
    root = Path(evidence)
    if root.is_file():
        return [root]
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out += [Path(dirpath) / f for f in sorted(filenames) if not f.startswith((".", "~$"))]
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fingerprint(evidence: str | Path, known: dict[str, dict] | None = None) -> dict[str, dict]:
    """Each source file's size, mtime and sha256 (the sha256 reused from ``known`` when size and mtime match)."""
    root = Path(evidence)
    known = known or {}
    out: dict[str, dict] = {}
    for p in source_files(root):
        rel = p.name if root.is_file() else p.relative_to(root).as_posix()
        st = p.stat()
        old = known.get(rel)
        if old and old["size"] == st.st_size and old["mtime_ns"] == st.st_mtime_ns:
            digest = old["sha256"]
        else:
            digest = _sha256(p)
        out[rel] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}
    return out


def _same_sources(old: dict[str, dict], new: dict[str, dict]) -> bool:
    return old.keys() == new.keys() and all(old[k]["size"] == new[k]["size"] and old[k]["sha256"] == new[k]["sha256"]
                                            for k in old)


# ---------------------------------------------------------------------------
# the cache as read


@dataclass
class CachedPart:
    """Some buckets of a cache (what one partition reads); picklable, loaded where it is scored."""

    folder: str
    buckets: list[int]
    root: str
    warnings: list[LoadIssue] = field(default_factory=list)
    sources: dict[str, list[str]] = field(default_factory=dict)
    tables: list[str] = field(default_factory=list)
    unit_ids: list[str] | None = None   # only these units of the buckets (check --unit)

    def load(self) -> Batch:
        folder = Path(self.folder)
        units = pd.read_parquet(folder / "units.parquet")
        bucket = units.pop("_bucket").to_numpy()
        units = units[np.isin(bucket, self.buckets)].reset_index(drop=True)
        if self.unit_ids is not None:
            units = units[units["unit_id"].astype(str).isin(self.unit_ids)].reset_index(drop=True)
        ids = list(units["unit_id"].astype(str))
        provided = pd.read_parquet(folder / "provided.parquet").loc[ids]
        tables = {}
        for name in self.tables:
            frames = [_read(folder / f"b{b:05d}" / f"{name}.parquet") for b in self.buckets]
            df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
            if self.unit_ids is not None:
                df = df[df["unit_id"].isin(self.unit_ids)].reset_index(drop=True)
            tables[name] = df
        return Batch(root=Path(self.root), units=units, tables=tables, provided=provided,
                     warnings=self.warnings, sources=self.sources)


def _read(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    # one thread: a bucket is small, and the partitions already run in parallel processes
    return pq.read_table(path, use_threads=False).to_pandas(use_threads=False)


@dataclass
class EvidenceCache:
    """A current cache: the units and the layout; tables are read per part."""

    folder: Path
    manifest: dict
    units: pd.DataFrame        # with _bucket
    root: str = ""             # the evidence path as given this time (Batch.root, as the loader sets it)

    @property
    def unit_ids(self) -> list[str]:
        return list(self.units["unit_id"].astype(str))

    @property
    def warnings(self) -> list[LoadIssue]:
        return [LoadIssue(**w) for w in self.manifest["warnings"]]

    def part(self, buckets: list[int], unit_ids: list[str] | None = None) -> CachedPart:
        m = self.manifest
        return CachedPart(str(self.folder), buckets, self.root or m["root"], self.warnings, m["sources"], m["tables"],
                          unit_ids)

    def parts(self, partition_units: int) -> list[CachedPart]:
        """Consecutive buckets of about ``partition_units`` units each, in the units' order."""
        per = max(1, -(-int(partition_units) // self.manifest["bucket_units"]))
        n = self.manifest["buckets"]
        return [self.part(list(range(i, min(i + per, n)))) for i in range(0, n, per)]

    def unit_part(self, unit_id: str) -> CachedPart:
        """Just this unit, read from its bucket."""
        b = int(self.units.loc[self.units["unit_id"].astype(str) == unit_id, "_bucket"].iloc[0])
        return self.part([b], [unit_id])

    def batch(self) -> Batch:
        """The whole batch (every bucket)."""
        return self.part(list(range(self.manifest["buckets"]))).load()


def open_cache(evidence: str | Path, cache_dir: str | Path | None = None) -> EvidenceCache | None:
    """The cache of this evidence when it is current, else None."""
    folder = cache_folder(evidence, cache_dir)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("format") != CACHE_FORMAT or manifest.get("version") != __version__:
        return None
    try:
        now = fingerprint(evidence, manifest["files"])
    except OSError:
        return None
    if not _same_sources(manifest["files"], now):
        return None
    try:
        units = pd.read_parquet(folder / "units.parquet")
    except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, never trusted
        return None
    return EvidenceCache(folder, manifest, units, os.path.abspath(evidence))


# ---------------------------------------------------------------------------
# writing


def write_cache(batch: Batch, evidence: str | Path, files: dict[str, dict],
                cache_dir: str | Path | None = None, bucket_units: int = BUCKET_UNITS) -> EvidenceCache:
    """Save a clean batch as the cache of ``evidence`` (``files``: its fingerprint taken before the load)."""
    from scoring.engine.partition import split_batch, split_ids

    folder = cache_folder(evidence, cache_dir)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
    except OSError as exc:
        raise CacheError(str(exc)) from exc
    try:
        chunks = split_ids(batch.unit_ids, bucket_units)
        canonical = _canonical_files(batch)
        units = canonical(batch.units.reset_index(drop=True).copy())
        units["_bucket"] = np.repeat(np.arange(len(chunks)), [len(c) for c in chunks])[:len(units)]
        _write(units, tmp / "units.parquet")
        _write(batch.provided, tmp / "provided.parquet", index=True)
        for i, part in enumerate(split_batch(batch, chunks)):
            (tmp / f"b{i:05d}").mkdir()
            for name, rows in part.table_rows.items():
                _write(canonical(batch.tables[name].take(rows)), tmp / f"b{i:05d}" / f"{name}.parquet")
        manifest = {"format": CACHE_FORMAT, "version": __version__, "root": str(batch.root), "files": files,
                    "bucket_units": bucket_units, "buckets": len(chunks), "tables": list(batch.tables),
                    "sources": batch.sources, "warnings": [w.__dict__ for w in batch.warnings]}
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)
    except Exception as exc:  # noqa: BLE001 - a disk or a column pyarrow cannot store: no cache, the run goes on
        shutil.rmtree(tmp, ignore_errors=True)
        raise CacheError(f"{type(exc).__name__}: {exc}") from exc
    return EvidenceCache(folder, manifest, units, os.path.abspath(batch.root))


def _canonical_files(batch: Batch):
    """The cache keeps each row's ``_file`` as results.json names it (the evidence's own name, then the
    path inside it) and is read back with the evidence's absolute path as the batch root, so the same
    cache serves the evidence however its path is typed next time (``.``, ``..``, absolute, relative)."""
    from scoring.engine.paths import EvidencePaths

    files = EvidencePaths(batch.root)

    def canonical(df: pd.DataFrame) -> pd.DataFrame:
        if "_file" in df.columns and len(df):
            labels = df["_file"].astype(object)
            df["_file"] = labels.map({v: files.file(v) for v in pd.unique(labels)})
        return df

    return canonical


def _write(df: pd.DataFrame, path: Path, index: bool = False) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, preserve_index=index)
    pq.write_table(table, path, compression="lz4")


def clear_cache(evidence: str | Path | None = None, cache_dir: str | Path | None = None) -> list[Path]:
    """Remove the cache of ``evidence`` (or, without it, every cache under ``cache_dir``); the folders removed."""
    if evidence is not None:
        targets = [cache_folder(evidence, cache_dir)]
    else:
        base = Path(cache_dir) if cache_dir is not None else Path.cwd() / CACHE_FOLDER
        targets = sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []
    removed = []
    for t in targets:
        if t.is_dir():
            shutil.rmtree(t)
            removed.append(t)
    return removed
