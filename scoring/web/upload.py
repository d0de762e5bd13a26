"""The self-check upload: a filled 底稿 workbook, a unit's table files, or a zip of its folder.

Only .xlsx, .csv and .zip are taken; the upload is capped in size, and a zip
whose entries would land outside the folder (``../``, absolute paths, links)
or expand beyond the cap is refused whole, with a Chinese message. Everything
lives in a temporary folder the caller removes (``UploadFolder`` is a context
manager).
"""

from __future__ import annotations

import shutil
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

#: largest upload taken (all files together), and the most a zip may expand to
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000
KINDS = (".xlsx", ".csv", ".zip")


class UploadError(ValueError):
    """An upload refused; the message is Chinese and names the file."""


class UploadFolder:
    """A temporary folder holding one upload; ``evidence`` is what the loader reads."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="zwgk-upload-"))
        self.evidence: Path | None = None

    def __enter__(self) -> "UploadFolder":
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def take(self, files: list[tuple[str, bytes]]) -> Path:
        """Place the uploaded (file name, bytes) and return the evidence path for ``load_inputs``."""
        files = [(f, b) for f, b in files if f]
        if not files:
            raise UploadError("请选择要上传的底稿：填好的 .xlsx 工作簿、单位文件夹中的 .csv/.xlsx 文件，或单位文件夹的 .zip")
        total = sum(len(b) for _, b in files)
        if total > MAX_UPLOAD_BYTES:
            raise UploadError(f"上传的文件共 {total // 1024 // 1024} MB，超过上限 {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
        names = [safe_name(f) for f, _ in files]
        zips = [n for n in names if n.lower().endswith(".zip")]
        if zips and len(files) > 1:
            raise UploadError(f"上传 .zip（{zips[0]}）时只能上传这一个文件")
        if zips:
            self.evidence = self._unzip(names[0], files[0][1])
        elif len(files) == 1 and names[0].lower().endswith(".xlsx"):
            self.evidence = self.root / names[0]
            self.evidence.write_bytes(files[0][1])
        else:
            folder = self.root / "底稿"
            folder.mkdir()
            for n, (_, data) in zip(names, files):
                (folder / n).write_bytes(data)
            self.evidence = folder
        return self.evidence

    def _unzip(self, name: str, data: bytes) -> Path:
        import io

        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise UploadError(f"{name} 不是有效的 zip 文件") from None
        with zf:
            entries = zf.infolist()
            check_entries(name, entries)
            target = self.root / "底稿"
            target.mkdir()
            written = [0]
            for e in entries:
                dest = target.joinpath(*PurePosixPath(e.filename).parts)
                if e.is_dir():
                    dest.mkdir(parents=True, exist_ok=True)
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(e) as src, open(dest, "wb") as out:
                    _copy_capped(name, src, out, written)
        return _single_top_folder(target)


def safe_name(filename: str) -> str:
    """The uploaded file's own name (no folders), when its kind is taken; UploadError otherwise."""
    base = PurePosixPath(filename.replace("\\", "/")).name
    if not base or base in (".", "..") or not base.lower().endswith(KINDS):
        raise UploadError(f"不接受文件「{base or filename}」：只能上传 .xlsx、.csv 或 .zip 文件")
    return base


def check_entries(name: str, entries: list[zipfile.ZipInfo]) -> None:
    """Refuse the whole zip when an entry escapes the folder, is a link, or the zip expands beyond the caps."""
    if len(entries) > MAX_ZIP_ENTRIES:
        raise UploadError(f"{name} 中有 {len(entries)} 个文件，超过上限 {MAX_ZIP_ENTRIES} 个，已拒绝")
    bad = []
    for e in entries:
        p = PurePosixPath(e.filename.replace("\\", "/"))
        mode = e.external_attr >> 16
        if p.is_absolute() or ".." in p.parts or ":" in e.filename or stat.S_ISLNK(mode):
            bad.append(e.filename)
    if bad:
        shown = "、".join(f"「{b}」" for b in bad[:5]) + (f" 等 {len(bad)} 个" if len(bad) > 5 else "")
        raise UploadError(f"{name} 中的条目 {shown} 指向文件夹之外（含 ../、绝对路径或链接），为安全起见已拒绝整个压缩包")
    expanded = sum(e.file_size for e in entries)
    if expanded > MAX_EXPANDED_BYTES:
        raise UploadError(f"{name} 解压后共 {expanded // 1024 // 1024} MB，超过上限 "
                          f"{MAX_EXPANDED_BYTES // 1024 // 1024} MB，已拒绝")


def _copy_capped(name: str, src, out, written: list[int], chunk: int = 1 << 20) -> None:
    """Copy one entry, stopping when all entries together pass the cap, whatever the headers claim
    (a zip bomb lies about sizes); ``written`` counts the bytes of the entries so far."""
    while block := src.read(chunk):
        written[0] += len(block)
        if written[0] > MAX_EXPANDED_BYTES:
            raise UploadError(f"{name} 解压后超过上限 {MAX_EXPANDED_BYTES // 1024 // 1024} MB，已拒绝")
        out.write(block)


def _single_top_folder(folder: Path) -> Path:
    """A zip of one folder (单位文件夹.zip holding 单位文件夹/…) is read as that folder."""
    inside = [p for p in folder.iterdir() if not p.name.startswith(("__MACOSX", "."))]
    if len(inside) == 1 and inside[0].is_dir():
        return inside[0]
    return folder
