"""Render a notice and the workbook's first sheet with LibreOffice headless (skips without it)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

import check_helpers as ch
import report_helpers as h
from scoring.report.pdf import fontconfig_file, soffice_path, to_pdf, to_png

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) 未安装：apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"),
    pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
                       reason="poppler-utils (pdftotext/pdftoppm) 未安装"),
]


def _pdf_text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return h.assess_batch(tmp_path_factory.mktemp("pdf"), *h.ISSUER_ARGS)


def test_font_aliases_map_the_official_faces_to_simplified_chinese_noto(tmp_path):
    if shutil.which("fc-match") is None:
        pytest.skip("fc-match 未安装")
    conf = fontconfig_file(tmp_path)
    env = {"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin"}
    for face, expected in [("仿宋_GB2312", "Noto Serif CJK SC"), ("方正小标宋简体", "Noto Serif CJK SC"),
                           ("黑体", "Noto Sans CJK SC")]:
        got = subprocess.run(["fc-match", "--format", "%{family}", face], env=env,
                             capture_output=True, text=True).stdout
        if "Noto" not in got:
            pytest.skip("fonts-noto-cjk 未安装")
        assert expected in got, (face, got)


def test_notice_renders_to_a_pdf_with_header_title_body_and_signature(out, tmp_path):
    pdf = to_pdf(out / "notices" / f"{h.VETOED}.docx", tmp_path)
    text = _pdf_text(pdf)
    for expected in ("青川市人民政府办公室", "青政务公开办〔2026〕", "政务公开测评问题限期整改通知书",
                     f"{h.VETOED_NAME}：", "一、存在的问题", ch.LATE_REQUEST, "2026 年 11 月 20 日"):
        assert expected.replace(" ", "") in text.replace(" ", ""), expected
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "NotoSerifCJK" in fonts and "NotoSansCJK" in fonts   # 仿宋/小标宋 -> Serif, 黑体 -> Sans
    pngs = to_png(pdf, tmp_path / "notice")
    assert pngs and pngs[0].stat().st_size > 10_000


def test_workbooks_first_sheet_renders_with_title_and_units(out, tmp_path):
    pdf = to_pdf(out / "ranking.xlsx", tmp_path)
    first_page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
                                capture_output=True, text=True, check=True).stdout
    assert "测评结果" in first_page and h.AS_OF in first_page
    assert h.VETOED_NAME in first_page and h.CLEAN_NAME in first_page
    assert to_png(pdf, tmp_path / "ranking")
