"""通报: the ranking by group, the vetoed units and why, the most common problems with counts.

Rendered from results.json alone into ``bulletin.docx`` (docxtpl, the shipped
``templates/bulletin.docx``) and ``bulletin.md``.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pandas as pd
from scoring.report.common import (
    PROBLEM_KINDS,
    TEMPLATES,
    clean_text,
    cn_date,
    cn_ordinal,
    has_problems,
    issue_date,
    md_template,
    pts,
    render_docx,
)
from scoring.report.options import ReportOptions
from scoring.results import Results, display_text

DOCX_TEMPLATE = TEMPLATES / "bulletin.docx"
MD_TEMPLATE = TEMPLATES / "bulletin.md.j2"
#: how many indicators the 共性问题 section lists
TOP_PROBLEMS = 10


def findings_frame(results: Results) -> pd.DataFrame:
    """One row per problem finding: unit_id, indicator_id, kind, deduction (Fraction)."""
    rows = [(u.unit_id, i.id, f.kind, f.deduction.fraction)
            for u in results.units for i in u.indicators for f in i.findings if f.kind in PROBLEM_KINDS]
    return pd.DataFrame(rows, columns=["unit_id", "indicator_id", "kind", "deduction"])


def common_problems(results: Results, top: int = TOP_PROBLEMS) -> list[dict]:
    """Indicators ranked by how many units they hit, then by how many problems (rubric order breaks ties)."""
    df = findings_frame(results)
    if df.empty:
        return []
    order = {ind.id: k for k, ind in enumerate(results.indicators)}
    titles = {ind.id: ind.title for ind in results.indicators}
    g = df.groupby("indicator_id").agg(units=("unit_id", "nunique"), problems=("unit_id", "size"),
                                       deduction=("deduction", lambda s: sum(s, Fraction(0))))
    g["order"] = g.index.map(order)
    g = g.sort_values(["units", "problems", "order"], ascending=[False, False, True]).head(top)
    out = []
    for k, (iid, row) in enumerate(g.iterrows(), 1):
        out.append({
            "no": k, "id": iid, "title": clean_text(titles.get(iid, iid)),
            "units": int(row["units"]), "problems": int(row["problems"]),
            "deduction": display_text(row["deduction"]),
            "label": f"（{cn_ordinal(k)}）{clean_text(iid)} {clean_text(titles.get(iid, iid))}：",
            "text": (f"涉及{int(row['units'])}个单位，共{int(row['problems'])}个问题，"
                     f"合计扣{display_text(row['deduction'])}分。"),
        })
    return out


def bulletin_context(results: Results, opts: ReportOptions, compare=None) -> dict:
    """Everything the bulletin templates show; ``compare`` (a workbook.Comparison) adds 较上轮."""
    day = issue_date(results, opts.issue_date)
    as_of = dt.date.fromisoformat(results.as_of)
    rubric = clean_text(results.rubric.title)
    units = results.units
    grade_names = [g.name for g in results.grades]
    counts = pd.Series([u.grade for u in units], dtype="object").value_counts()
    n_veto = sum(u.vetoed for u in units)
    mean = sum((u.total.fraction for u in units), Fraction(0)) / len(units) if units else Fraction(0)
    grade_text = "、".join(f"{clean_text(g)}{int(counts.get(g, 0))}个" for g in grade_names)
    overview = (f"本次测评共{len(units)}个单位，分{len(results.groups)}组排名"
                f"（{'、'.join(f'{clean_text(g.name)}{g.size}个' for g in results.groups)}），"
                f"平均得分{display_text(mean)}分（满分{pts(results.full_points)}分）。"
                f"其中{grade_text}；单项否决{n_veto}个。")
    groups = []
    for k, g in enumerate(results.groups, 1):
        rows = [{"rank": u.rank, "name": clean_text(u.name), "unit_id": clean_text(u.unit_id),
                 "total": pts(u.total), "grade": clean_text(u.grade),
                 "remark": "单项否决" if u.vetoed else "",
                 "change": compare.label(u.unit_id) if compare else ""}
                for u in units if u.group == g.name]
        groups.append({"name": clean_text(g.name), "heading": f"（{cn_ordinal(k)}）{clean_text(g.name)}（{g.size}个）",
                       "rows": rows})
    veto_lines = [f"{clean_text(u.name)}（{clean_text(u.group)}）：{clean_text(v.indicator_id)} {clean_text(v.title)}，"
                  f"{clean_text(v.reason)}。"
                  for u in units if u.vetoed for v in u.veto_reasons]
    if not veto_lines:
        veto_lines = ["本次测评未发现单项否决事项。"]
    problems = common_problems(results)
    problems_intro = ("按涉及单位数排列，测评发现的主要问题如下：" if problems
                      else "本次测评未发现需要整改的问题。")
    requirements = ("各单位要对照测评结果和整改通知书，逐项整改发现的问题，按期报送整改情况；"
                    "对共性问题举一反三，健全政务公开工作机制，切实提升政务公开质量和实效。"
                    f"{clean_text(opts.issuer)}将适时组织复核，复核结果纳入年度考核。")
    return {
        "issuer": clean_text(opts.issuer),
        "issuer_mark": clean_text(opts.issuer),
        # the bulletin takes the number after the notices' (they are numbered 1..n)
        "doc_number": clean_text(opts.doc_number.format(n=sum(has_problems(u) for u in units) + 1,
                                                        year=day.year, unit_id="")),
        "title": f"关于{rubric}测评结果的通报",
        "addressee": "各有关单位",
        "intro": (f"根据《{rubric}》，{clean_text(opts.issuer)}组织对{len(units)}个单位的政务公开工作开展了第三方测评"
                  f"（评估基准日{cn_date(as_of)}）。现将测评结果通报如下。"),
        "overview": overview,
        "groups": groups,
        "veto_lines": veto_lines,
        "problems_intro": problems_intro,
        "common_problems": problems,
        "requirements": requirements,
        "issue_date": day.isoformat(),
        "issue_date_cn": cn_date(day),
        "as_of_cn": cn_date(as_of),
        "rubric_title": rubric,
        "compare_round": clean_text(compare.round_name) if compare else "",
    }


def bulletin_markdown(ctx: dict) -> str:
    """The Markdown version; every value passes the ``md`` filter (literal text)."""
    return md_template(MD_TEMPLATE).render(ctx)


def render_bulletin(results: Results, out_dir: Path, opts: ReportOptions, compare=None) -> list[Path]:
    ctx = bulletin_context(results, opts, compare)
    docx_path = out_dir / "bulletin.docx"
    render_docx(DOCX_TEMPLATE, ctx, docx_path)
    md_path = out_dir / "bulletin.md"
    md_path.write_text(bulletin_markdown(ctx), encoding="utf-8")
    return [docx_path, md_path]
