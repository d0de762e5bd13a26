"""Legacy word-processor files (.doc, Kingsoft .wps): converted to .docx with LibreOffice headless.

Both are OLE2 compound files that no Python library reads reliably; LibreOffice does. When
LibreOffice is not installed the file is refused with a message naming the missing converter.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from scoring.annual_report.document import SourceError

#: the first bytes of an OLE2 compound file (.doc, .wps, .xls, .ppt)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TIMEOUT = 120
SAVE_AS = "请用 Word 或 WPS 另存为 .docx（或导出为 PDF）后再提取"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(data: bytes, name: str = "") -> bytes:
    """The .docx LibreOffice makes of a .doc / .wps file; SourceError when it cannot."""
    exe = soffice()
    if exe is None:
        raise SourceError("这是旧版 Word（.doc）或 WPS（.wps）文件，需要 LibreOffice（soffice）转换后才能读取，"
                          f"但本机没有安装 LibreOffice（apt-get install libreoffice-writer-nogui）；或{SAVE_AS}")
    suffix = Path(name.split("?")[0]).suffix.lower()
    suffix = suffix if suffix in (".doc", ".wps") else ".doc"
    with tempfile.TemporaryDirectory(prefix="zwgk-legacy-") as tmp:
        src = Path(tmp) / f"report{suffix}"
        src.write_bytes(data)
        env = dict(os.environ, HOME=tmp)  # a private LibreOffice profile: no clash with a running instance
        cmd = [exe, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", f"{tmp}/out", str(src)]
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise SourceError(f"LibreOffice 转换该文件超过 {TIMEOUT} 秒仍未完成；{SAVE_AS}") from None
        out = Path(tmp) / "out" / "report.docx"
        if proc.returncode != 0 or not out.is_file():
            why = (proc.stderr or proc.stdout).strip().splitlines()
            raise SourceError("LibreOffice 无法把该文件转换为 .docx（不是 Word/WPS 文字文件，或文件已损坏）"
                              + (f"：{why[-1]}" if why else "") + f"；{SAVE_AS}")
        return out.read_bytes()
