"""Publishing a set of outputs into ``--out`` all at once: a reader sees the old set or the new set.

How ``--out`` is replaced (documented for users in docs/REPORTS.md):

1. The new set is written into a staging folder beside ``--out``
   (``.<name>.zwgk-<tag>``), held by a lock file ``.<name>.zwgk-<tag>.lock``
   for as long as this process lives.
2. Files in ``--out`` that zwgk did not write (a user's notes, a file put into
   ``notices/``) are carried into the staging folder (hard links, else copies);
   the files zwgk wrote last time are listed in ``.zwgk-manifest.json`` inside
   ``--out``. A user's file at a path the new set writes is refused (exit 2).
3. The staging folder and ``--out`` are swapped: on Linux in one atomic
   ``renameat2(RENAME_EXCHANGE)``; elsewhere by two renames, with the old
   folder kept until the new one is in place (a run killed between the two
   renames is repaired by the next run, which puts the old folder back).
4. Staging folders of runs that were killed (their lock is free) are removed
   by the next run into the same ``--out``.

Every problem with the output path is an :class:`OutputError` (Chinese, naming
the option and the path); the command prints it and exits 2.

A single file (an exported workbook, the self-check page, a rubric schema) is
written the same way in small: :func:`write_atomic` saves it under a temporary
name beside the target and moves it into place whole.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import secrets
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

MANIFEST = ".zwgk-manifest.json"
#: what zwgk wrote before it kept a manifest (a folder with none of these and no manifest is all the user's)
LEGACY_TOP = ("results.json", "scores.csv", "findings.csv", "ranking.xlsx", "bulletin.docx", "bulletin.md",
              "bulletin.pdf")
LEGACY_NOTICE_SUFFIXES = (".docx", ".md", ".pdf")


def temp_beside(path: Path) -> Path:
    """An empty temporary file in ``path``'s folder, with the permissions of an ordinary new file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)   # mkstemp makes it private; the result is an ordinary file
    return Path(tmp)


def write_atomic(path: str | Path, save: Callable[[Path], None]) -> Path:
    """``save(tmp)`` writes the file under a temporary name beside ``path``; then it is moved
    into place whole. A reader sees the old file or the new one, never half of one."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_beside(target)
    try:
        save(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


class OutputError(Exception):
    """The output folder cannot be published to (Chinese lines naming the option and the path)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


# --- locks: a staging folder belongs to a live run while its lock file is locked -----------------

def _try_lock(fh) -> bool:
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _stale_lock(lock: Path) -> bool:
    """True when no live process holds ``lock`` (its run was killed or has ended)."""
    try:
        with open(lock, "a+b") as fh:
            return _try_lock(fh)   # closing the file releases the lock again
    except OSError:
        return False


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


def clean_stale(out: Path) -> list[Path]:
    """Remove the staging folders that killed runs left beside ``out``; put ``out`` back if a run
    was killed between its two renames. Returns what was removed."""
    parent, prefix = out.parent, f".{out.name}.zwgk-"
    try:
        entries = [p for p in parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return []
    tags: dict[str, list[Path]] = {}
    for p in entries:
        tag = p.name[len(prefix):].removesuffix(".lock").removesuffix("-old")
        tags.setdefault(tag, []).append(p)
    removed = []
    for tag, paths in sorted(tags.items()):
        lock = parent / f"{prefix}{tag}.lock"
        if lock.exists() and not _stale_lock(lock):
            continue   # a live run
        old = parent / f"{prefix}{tag}-old"
        if old.is_dir() and not out.exists():
            os.rename(old, out)   # killed between "out -> old" and "new -> out": the old set comes back
        for p in paths:
            if p.exists() and p != lock:
                _remove(p)
                removed.append(p)
        _remove(lock)
    return removed


# --- what is in the output folder now ------------------------------------------------------------

@dataclass
class Inventory:
    """The files in ``--out`` now: those zwgk wrote last time, and everything else (the user's)."""

    zwgk: set[str] = field(default_factory=set)
    user: set[str] = field(default_factory=set)
    exists: bool = True


def _files(folder: Path) -> list[str]:
    """Every file and symlink under ``folder`` (relative, '/'-separated); empty folders as 'dir/'."""
    out = []
    for root, dirs, files in os.walk(folder):
        rel = Path(root).relative_to(folder)
        for name in files + [d for d in dirs if (Path(root) / d).is_symlink()]:
            out.append((rel / name).as_posix())
        if not dirs and not files and rel != Path("."):
            out.append(rel.as_posix() + "/")
    return out


def inventory(out: Path, option: str) -> Inventory:
    if not out.exists():
        return Inventory(exists=False)
    files = [f for f in _files(out) if f != MANIFEST and not f.startswith(".zwgk-old-")]
    manifest = out / MANIFEST
    if manifest.is_file():
        try:
            listed = set(json.loads(manifest.read_text(encoding="utf-8"))["files"])
        except (ValueError, KeyError, TypeError, OSError) as exc:
            raise OutputError([f"{option} {out}：{MANIFEST} 无法读取（{exc}）；请删除该文件夹后重试"]) from exc
        return Inventory({f for f in files if f in listed}, {f for f in files if f not in listed})

    def legacy(f: str) -> bool:   # written by a zwgk without a manifest
        parts = f.split("/")
        return (len(parts) == 1 and f in LEGACY_TOP) or \
            (len(parts) == 2 and parts[0] == "notices" and parts[1].endswith(LEGACY_NOTICE_SUFFIXES))

    return Inventory({f for f in files if legacy(f)}, {f for f in files if not legacy(f)})


# --- checks before anything is written -------------------------------------------------------------

def _writable(path: Path) -> bool:
    """Writable for this process, and not made read-only by its owner (respected even when run as root)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return os.access(path, os.W_OK) and bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def check_out(out: Path, option: str) -> None:
    """Refuse an output path that cannot be published to, before any work is done."""
    here = out
    while not here.exists():   # the nearest existing ancestor must be a folder we may write into
        if here.is_symlink():
            raise OutputError([f"{option} {out}：{here} 是失效的符号链接"])
        here = here.parent
    if here == out:
        if not out.is_dir():
            raise OutputError([f"{option} {out} 是文件，不是文件夹；请指定一个文件夹"])
        if not _writable(out):
            raise OutputError([f"{option} {out} 是只读文件夹，无法写入；请修改权限或换一个文件夹"])
        if os.path.ismount(out):
            raise OutputError([f"{option} {out} 是挂载点，zwgk 无法把它整体替换；请指定其中的一个子文件夹"])
        here = out.parent
    if not here.is_dir():
        raise OutputError([f"{option} {out}：上级路径 {here} 是文件，不是文件夹"])
    if not _writable(here):
        raise OutputError([f"{option} {out}：所在的文件夹 {here} 不可写（zwgk 先在其中准备新结果，"
                           f"完成后整体替换 {out.name}）；请修改权限或换一个文件夹"])


# --- the swap ----------------------------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_SYS_RENAMEAT2 = {"x86_64": 316, "aarch64": 276}


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False when the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fa, fb = os.fsencode(a), os.fsencode(b)
        if hasattr(libc, "renameat2"):
            rc = libc.renameat2(_AT_FDCWD, fa, _AT_FDCWD, fb, _RENAME_EXCHANGE)
        else:
            nr = _SYS_RENAMEAT2.get(os.uname().machine)
            if nr is None:
                return False
            rc = libc.syscall(nr, _AT_FDCWD, fa, _AT_FDCWD, fb, _RENAME_EXCHANGE)
    except (OSError, AttributeError):
        return False
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False   # not supported here (old kernel, some file systems): fall back to two renames
    raise OSError(err, os.strerror(err), str(b))


def _swap_in(staging: Path, out: Path, old: Path, first: bool) -> None:
    """Put ``staging`` in place of ``out``; the previous ``out`` ends at ``staging`` or ``old``.

    ``first``: there was no ``out`` when this run looked; a rename then fails when
    another run has created it meanwhile (the later run stops, nothing is mixed).
    """
    if first:
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        return
    os.rename(out, old)
    try:
        os.rename(staging, out)
    except OSError:
        os.rename(old, out)
        raise


def _carry(src: Path, dest: Path) -> None:
    """A user's file into the new folder: a hard link (no copy) where the file system allows it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if src.is_symlink():
        os.symlink(os.readlink(src), dest)
    elif str(src).endswith("/") or src.is_dir():
        dest.mkdir(parents=True, exist_ok=True)
    else:
        try:
            os.link(src, dest)
        except OSError:
            shutil.copy2(src, dest)


def _overlaps(user_file: str, written: list[str]) -> bool:
    """The new set writes a file at this path, below this file, or where this is a folder of its file.

    A user's empty folder (``name/``) only clashes with a file of the same name.
    """
    if user_file.endswith("/"):
        return user_file.rstrip("/") in written
    return any(w == user_file or w.startswith(user_file + "/") or user_file.startswith(w.rstrip("/") + "/")
               for w in written)


def _summary(names: list[str], cap: int = 8) -> str:
    tops: dict[str, int] = {}
    for n in sorted(names):
        head = n.split("/")[0] + ("/" if "/" in n else "")
        tops[head] = tops.get(head, 0) + 1
    parts = [f"{k}（{v} 个文件）" if k.endswith("/") else k for k, v in tops.items()]
    return "、".join(parts[:cap]) + (f" 等 {len(parts)} 项" if len(parts) > cap else "")


def publish(out_dir: str | Path, fill: Callable[[Path], None], *, option: str = "--out",
            keep: Callable[[str], bool] | None = None, say: Callable[[str], None] | None = None) -> list[Path]:
    """Let ``fill`` write the new set into a staging folder, then swap it in for ``out_dir``.

    ``keep(rel)``: files zwgk wrote last time that stay in the set (``zwgk report``
    keeps results.json); every other file zwgk wrote last time is replaced or
    removed. Files zwgk did not write are kept. Returns the files ``fill`` wrote.
    Raises :class:`OutputError` (nothing changed) for an unusable output path.
    """
    out = Path(out_dir)
    if out.is_symlink():
        out = out.resolve()   # the folder it points to is replaced; the link keeps pointing at it
    say = say or (lambda s: None)
    try:
        clean_stale(out)
        check_out(out, option)
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError([f"{option} {out}：无法使用该路径（{exc.strerror or exc}）"]) from exc
    before = inventory(out, option)
    tag = f"{os.getpid()}-{secrets.token_hex(4)}"
    prefix = out.parent / f".{out.name}.zwgk-{tag}"
    lock_path, staging, old = Path(f"{prefix}.lock"), prefix, Path(f"{prefix}-old")
    try:
        lock = open(lock_path, "a+b")
    except OSError as exc:
        raise OutputError([f"{option} {out}：无法在 {out.parent} 中准备新结果（{exc.strerror or exc}）"]) from exc
    try:
        _try_lock(lock)
        staging.mkdir()
        try:
            fill(staging)
        except OSError as exc:
            raise OutputError([f"{option} {out}：写入新结果失败（{exc.strerror or exc}：{exc.filename or staging}）；"
                               "原有文件未改动"]) from exc
        written = sorted(f for f in _files(staging))
        kept = sorted(f for f in before.zwgk if keep is not None and keep(f) and f not in written)
        clash = sorted(f for f in before.user if _overlaps(f, written))
        if clash:
            raise OutputError([f"{option} {out} 中的 {f} 不是 zwgk 写出的文件，本次会写入同名文件；"
                               "请移走或改名后重试" for f in clash])
        for f in kept + sorted(before.user):
            _carry(out / f, staging / f)
        manifest = {"written_by": "zwgk", "files": sorted(written + kept)}
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        _announce(out, before, set(written) | set(kept), say)
        os.chmod(staging, _folder_mode(out))
        try:
            _swap_in(staging, out, old, first=not before.exists)
        except OSError as exc:
            raise OutputError([_swap_failure(out, option, exc)]) from exc
        return [out / f for f in written if not f.endswith("/")]
    finally:
        for p in (staging, old):
            if p.exists():
                shutil.rmtree(p, ignore_errors=True)
        lock.close()
        _remove(lock_path)


def _folder_mode(out: Path) -> int:
    """The old folder's permissions (the new one replaces it), else those of an ordinary new folder."""
    try:
        return stat.S_IMODE(out.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o777 & ~umask


def _announce(out: Path, before: Inventory, new: set[str], say: Callable[[str], None]) -> None:
    """Say on the terminal what the new set replaces, removes and keeps."""
    replaced = sorted(before.zwgk & new)
    gone = sorted(before.zwgk - new)
    if replaced:
        say(f"替换 {out} 中上次写出的：{_summary(replaced)}")
    if gone:
        say(f"删除 {out} 中上次写出、本次不再生成的：{_summary(gone)}")
    if before.user:
        say(f"保留 {out} 中不是 zwgk 写出的文件：{_summary(sorted(before.user))}")


def _swap_failure(out: Path, option: str, exc: OSError) -> str:
    if exc.errno in (errno.ENOTEMPTY, errno.EEXIST) and out.exists():
        return (f"{option} {out}：另一个 zwgk 进程刚刚写入了这个文件夹（两次运行同时写同一个 {option}）；"
                "本次结果未写入，请稍后重试")
    hint = "；如有文件在 Excel 或 Word 中打开，请先关闭" if os.name == "nt" else ""
    return f"{option} {out}：无法替换为新结果（{exc.strerror or exc}）{hint}；原有文件未改动"

