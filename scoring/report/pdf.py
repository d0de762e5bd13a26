"""Render .docx / .xlsx to PDF with LibreOffice headless, with the project's font aliases.

The official 公文 faces (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) are
licensed and not installable here; without help fontconfig hands LibreOffice a
Japanese CJK face for them. ``fontconfig_file`` writes a config that includes
the system one plus ``templates/fonts/zwgk-fonts.conf`` (which maps those names
to Noto Serif/Sans CJK SC), and ``to_pdf`` runs ``soffice`` with
``FONTCONFIG_FILE`` pointing at it. On a machine with the licensed fonts the
real faces win by name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from scoring.report.common import TEMPLATES

FONT_ALIASES = TEMPLATES / "fonts" / "zwgk-fonts.conf"
SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")


class RenderError(RuntimeError):
    """LibreOffice or pdftoppm failed to produce the PDF or PNG asked for."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def fontconfig_file(folder: Path) -> Path:
    """A fonts.conf in ``folder``: the system configuration plus the project's aliases."""
    system = os.environ.get("FONTCONFIG_FILE") or str(SYSTEM_FONTCONFIG)
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{system}</include>\n'
        f"  <include>{FONT_ALIASES}</include>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def to_pdf(source: Path, out_dir: Path, timeout: float = 180) -> Path:
    """Convert ``source`` to ``out_dir/<stem>.pdf`` with LibreOffice; returns the PDF's path."""
    exe = soffice_path()
    if exe is None:
        raise RenderError("未找到 LibreOffice（soffice），无法生成 PDF")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="zwgk-soffice-") as tmp:
        tmp_path = Path(tmp)
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(fontconfig_file(tmp_path))
        env["HOME"] = str(tmp_path)   # a private LibreOffice profile: no clash with a running instance
        cmd = [exe, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
               "--convert-to", "pdf", "--outdir", str(out_dir), str(source)]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    pdf = out_dir / (source.stem + ".pdf")
    if proc.returncode != 0 or not pdf.is_file():
        raise RenderError(f"LibreOffice 转换 {source.name} 失败：{proc.stderr.strip() or proc.stdout.strip()}")
    return pdf


def to_png(pdf: Path, out_prefix: Path, dpi: int = 80, first_page_only: bool = True) -> list[Path]:
    """PNG pages of a PDF with pdftoppm (poppler-utils)."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise RenderError("未找到 pdftoppm（poppler-utils），无法生成 PNG")
    cmd = [exe, "-png", "-r", str(dpi)]
    if first_page_only:
        cmd += ["-f", "1", "-l", "1"]
    subprocess.run(cmd + [str(pdf), str(out_prefix)], check=True, capture_output=True, timeout=120)
    return sorted(out_prefix.parent.glob(out_prefix.name + "*.png"))


def pdf_fonts(pdf: Path) -> str:
    """``pdffonts`` output (which faces the PDF embeds), or '' when the tool is absent."""
    exe = shutil.which("pdffonts")
    if exe is None:
        return ""
    return subprocess.run([exe, str(pdf)], capture_output=True, text=True, timeout=60).stdout
