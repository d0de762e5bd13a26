"""A small batch scored by the real pipeline, for the report tests.

Three 市直部门 units, scored with the `zwgk check` test rubric (tests/check_helpers.py):
- QC-SZ-01 青川市教育局: 5 blank columns (a veto), an unnumbered 规范性文件, a late request
  (received 2026-09-24, due 2026-10-29) and a late message;
- QC-SZ-03 青川市住建局: a 规范性文件 titled like an Excel formula and without 文号, and a blank
  catalog column whose name holds jinja syntax (evidence text that must stay text);
- QC-SZ-09 青川市统计局: nothing wrong (gets no notice).
"""

from __future__ import annotations

from pathlib import Path

import docx
from click.testing import CliRunner

import check_helpers as ch
from scoring.cli import main

AS_OF = ch.AS_OF
VETOED = ch.UNIT_ID
VETOED_NAME = ch.UNIT_NAME
HOSTILE = "QC-SZ-03"
CLEAN = "QC-SZ-09"
CLEAN_NAME = "青川市统计局"
FORMULA_TITLE = '=HYPERLINK("http://x","y")'
FORMULA_DOC = "WJ-301"
JINJA_COLUMN = "政务公开/{{ 7*7 }}{% for x in range(3) %}循环{% endfor %}"


def _unit_folder(root: Path, unit_id: str, name: str) -> Path:
    d = root / unit_id
    d.mkdir(parents=True)
    (d / "unit.yaml").write_text(f"unit_id: {unit_id}\nname: {name}\nkind: 市直部门\n", encoding="utf-8")
    return d


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def write_batch(root: Path) -> Path:
    ev = root / "evidence"
    ch.write_unit(ev)
    d = _unit_folder(ev, HOSTILE, "青川市住建局")
    (d / "目录栏目.csv").write_text(
        f"栏目名称,信息条数,最近更新日期\n政务公开/机构职能,3,2026-11-01\n{_csv_field(JINJA_COLUMN)},0,\n",
        encoding="utf-8")
    (d / "政策文件.csv").write_text(
        "文件编号,文件标题,文号,成文日期,发布日期,规范性文件\n"
        f"{FORMULA_DOC},{_csv_field(FORMULA_TITLE)},,2026-03-02,2026-03-05,是\n", encoding="utf-8")
    (d / "依申请公开.csv").write_text("申请编号,收到日期,答复日期,答复结果,说明理由,告知救济\n", encoding="utf-8")
    (d / "留言办理.csv").write_text("留言编号,留言日期,答复日期,渠道\n", encoding="utf-8")
    d = _unit_folder(ev, CLEAN, CLEAN_NAME)
    (d / "目录栏目.csv").write_text("栏目名称,信息条数,最近更新日期\n政务公开/机构职能,9,2026-11-01\n", encoding="utf-8")
    (d / "政策文件.csv").write_text(
        "文件编号,文件标题,文号,成文日期,发布日期,规范性文件\n"
        "WJ-901,青川市统计局关于统计调查的通知,青统〔2026〕3号,2026-03-02,2026-03-05,是\n", encoding="utf-8")
    (d / "依申请公开.csv").write_text(
        "申请编号,收到日期,答复日期,答复结果,说明理由,告知救济\nYSQ-901,2026-10-09,2026-10-20,予以公开,是,是\n",
        encoding="utf-8")
    (d / "留言办理.csv").write_text("留言编号,留言日期,答复日期,渠道\nLY-901,2026-10-12,2026-10-13,网站\n",
                                   encoding="utf-8")
    return ev


def outputs(folder: Path) -> set[str]:
    """The names in an output folder as a user lists them (zwgk's hidden manifest aside)."""
    return {p.name for p in folder.iterdir() if p.name != ".zwgk-manifest.json"}


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


#: the issuer options an office passes to `assess` or `report`
ISSUER_ARGS = ("--issuer", "青川市人民政府办公室", "--doc-number", "青政务公开办〔{year}〕{n}号")


def assess_run(root: Path, *extra: str):
    """Write the batch and score it with `zwgk assess` (plus ``extra`` options); (result, output folder)."""
    ev = write_batch(root)
    rubric = ch.write_rubric(root)
    out = root / "out"
    return run("assess", ev, "--rubric", rubric, "--as-of", AS_OF, "--out", out, *extra), out


def assess_batch(root: Path, *extra: str) -> Path:
    """Write the batch, score it with `zwgk assess`, return the output folder (holding results.json)."""
    r, out = assess_run(root, *extra)
    assert r.exit_code == 0, r.output
    return out


def report(out: Path, *extra: str):
    r = run("report", out / "results.json", "--out", out, *extra)
    assert r.exit_code == 0, r.output
    return r


def docx_text(path: Path) -> str:
    """All paragraph and table text of a Word file, as a reader sees it."""
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)
