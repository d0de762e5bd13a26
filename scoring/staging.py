"""Writing a set of outputs atomically: into a temp folder first, moved into place only when complete."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable


def staged_write(out_dir: str | Path, fill: Callable[[Path], None]) -> list[Path]:
    """Let ``fill`` write into a temp folder beside ``out_dir``; move the result into place only when it returns.

    If ``fill`` raises, nothing in ``out_dir`` changes. When ``out_dir`` exists
    (it may hold other files) each finished entry is moved in, and a folder
    (notices/) replaces the old one whole, so a unit that no longer has
    problems keeps no stale notice. Returns the files written, sorted.
    """
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.zwgk-", dir=out.parent))
    try:
        fill(tmp)
        written = sorted(p.relative_to(tmp) for p in tmp.rglob("*") if p.is_file())
        if not out.exists():
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; the result is an ordinary folder
            os.replace(tmp, out)
            return [out / p for p in written]
        trash = Path(tempfile.mkdtemp(prefix=".zwgk-old-", dir=out))
        try:
            for entry in sorted(tmp.iterdir()):
                dest = out / entry.name
                if entry.is_dir() and dest.exists():
                    os.replace(dest, trash / entry.name)
                os.replace(entry, dest)
        finally:
            shutil.rmtree(trash, ignore_errors=True)
        return [out / p for p in written]
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
