"""A unit folder and a small rubric for the `zwgk check` tests.

The rubric's points and per-item deductions are constants here, so tests derive
what a unit should score from them instead of copying numbers from the output.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

AS_OF = "2026-11-20"
UNIT_ID = "QC-SZ-01"
UNIT_NAME = "青川市教育局"

#: leaf id -> (title, points, per-item deduction)
A2 = ("空白栏目", Fraction(4), Fraction(1))
B1 = ("文号", Fraction(1), Fraction(2))        # one finding deducts more than the indicator has
D1 = ("答复时效", Fraction(12), Fraction(3))
E1 = ("留言答复时效", Fraction(6), Fraction(3, 2))
VETO_AT = 5

#: evidence text that must stay text (terminal, JSON, HTML)
HOSTILE_COLUMN = '政务公开/重点领域/<script>alert("x")</script>'
LONG_COLUMN = "政务公开/重点领域/义务教育阶段学校招生入学政策及划片范围与学位预警信息公开专栏"
BLANK_COLUMNS = ["政务公开/人事信息", "政务公开/财政预决算", "政务公开/重点领域/教育收费",
                 HOSTILE_COLUMN, LONG_COLUMN]
LATE_REQUEST = "YSQ-2026-003"      # received 2026-09-24, due 2026-10-29, replied 2026-11-05
LATE_MESSAGE = "LY-2026-017"       # received 2026-10-09, replied 16 working days later
UNNUMBERED_DOC = "WJ-001"          # a 规范性文件 without 文号


def expected_total(blank_columns: int = len(BLANK_COLUMNS)) -> Fraction:
    """What the unit scores: each indicator's points less its deductions, floored at 0."""
    lost = [
        (A2[1], blank_columns * A2[2]),
        (B1[1], 1 * B1[2]),
        (D1[1], 1 * D1[2]),
        (E1[1], 1 * E1[2]),
    ]
    return sum((max(Fraction(0), pts - ded) for pts, ded in lost), Fraction(0))


def full_points() -> Fraction:
    return A2[1] + B1[1] + D1[1] + E1[1]


def _leaf(iid: str, spec: tuple, rule: str, params: str, rectify: str) -> str:
    title, points, _ = spec
    return (f"      - id: {iid}\n        title: {title}\n        points: {points}\n"
            f"        rule: {rule}\n        params: {params}\n        rectify: {rectify}\n")


def write_rubric(folder: Path) -> Path:
    def top(iid: str, title: str, points: Fraction, leaf: str) -> str:
        return f"  - id: {iid}\n    title: {title}\n    points: {points}\n    children:\n{leaf}"

    text = (
        'id: check-test\nversion: "1"\ntitle: 自查测试细则\n'
        "grades:\n  - {name: 优秀, min: 90}\n  - {name: 良好, min: 80}\n"
        "  - {name: 合格, min: 60}\n  - {name: 不合格, min: 0}\n"
        "indicators:\n"
        + top("A", "目录与平台", A2[1], _leaf("A2", A2, "blank_columns",
              f"{{per_item: {A2[2]}, veto_at: {VETO_AT}}}", "对空白栏目补充内容，或按规定整合、撤并栏目。"))
        + top("B", "政策文件", B1[1], _leaf("B1", B1, "document_fields",
              f"{{fields: [doc_number], normative_only: true, per_item: {B1[2]}}}", "规范性文件须标注文号。"))
        + top("D", "依申请公开", D1[1], _leaf("D1", D1, "request_timeliness",
              f"{{per_item: {D1[2]}}}", "严格在法定期限内答复，需延期的书面告知申请人。"))
        + top("E", "互动回应", E1[1], _leaf("E1", E1, "message_timeliness",
              f"{{max_workdays: 5, per_item: {float(E1[2])}}}", "5 个工作日内答复网民留言。"))
    )
    path = folder / "rubric.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def write_unit(folder: Path, unit_id: str = UNIT_ID, name: str = UNIT_NAME,
               blank_columns: list[str] | None = None) -> Path:
    """A unit folder with 5 blank columns (a veto), one unnumbered 规范性文件, one late
    request and one late message."""
    blank = BLANK_COLUMNS if blank_columns is None else blank_columns
    d = folder / unit_id
    d.mkdir(parents=True)
    (d / "unit.yaml").write_text(f"unit_id: {unit_id}\nname: {name}\nkind: 市直部门\n", encoding="utf-8")
    catalog = "栏目名称,信息条数,最近更新日期\n政务公开/机构职能,12,2026-11-01\n" + "".join(
        f'"{c.replace(chr(34), chr(34) * 2)}",0,\n' for c in blank)
    (d / "目录栏目.csv").write_text(catalog, encoding="utf-8")
    (d / "政策文件.csv").write_text(
        "文件编号,文件标题,文号,成文日期,发布日期,规范性文件\n"
        f"{UNNUMBERED_DOC},青川市教育局关于规范校外培训的通知,,2026-03-02,2026-03-05,是\n"
        "WJ-002,青川市教育局2026年工作要点,青教〔2026〕1号,2026-02-02,2026-02-05,否\n", encoding="utf-8")
    (d / "依申请公开.csv").write_text(
        "申请编号,收到日期,答复日期,答复结果,说明理由,告知救济\n"
        f"{LATE_REQUEST},2026-09-24,2026-11-05,予以公开,是,是\n"
        "YSQ-2026-004,2026-10-09,2026-10-20,予以公开,是,是\n", encoding="utf-8")
    (d / "留言办理.csv").write_text(
        "留言编号,留言日期,答复日期,渠道\n"
        f"{LATE_MESSAGE},2026-10-09,2026-10-30,网站\n"
        "LY-2026-018,2026-10-12,2026-10-13,网站\n", encoding="utf-8")
    return d
