"""The 日查网 月度通报 files: monitor.xlsx (with a per-day trend chart), monitor.md and monitor.docx.

The documents follow the 通报 layout of the other documents (GB/T 9704 styles of
:mod:`scoring.report.docx_format`: title, 一、二、 headings, a table, the signature). Evidence text
(URLs, contexts) reaches them only as cell or run text, never as a formula or markup.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference

from scoring.monitor import Period, percent, rate
from scoring.report.workbook import _Sheet

UNIT_COLUMNS = [("单位编码", 16), ("检测次数", 10), ("打开次数", 10), ("可用率", 10), ("可用性否决", 12),
                ("失效链接", 10), ("已修复链接", 10), ("超期栏目", 10), ("期间变为超期", 12),
                ("表述错误", 10), ("已更正错误", 10), ("未更正严重错误", 14)]


def _cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def unit_rows(p: Period) -> list[list]:
    return [[u.unit_id, u.polls, u.opened, percent(rate(u.opened, u.polls)), "否决" if u.vetoed else "",
             u.dead_links, u.dead_fixed, u.stale_columns, u.went_stale, u.text_errors, u.text_fixed,
             u.serious_errors] for u in p.units.itertuples()]


def write_workbook(p: Period, path: Path) -> Path:
    wb = Workbook()
    head = f"政府网站日常监测汇总（{_cn(p.start)}至{_cn(p.end)}）"
    s = _Sheet(wb, "汇总", head, UNIT_COLUMNS, first=True)
    for row in unit_rows(p):
        s.add(row, numeric={1, 2, 5, 6, 7, 8, 9, 10, 11})
    s.finish()
    t = _Sheet(wb, "每日趋势", "每日趋势", [("日期", 14), ("检测次数", 10), ("打开次数", 10), ("可用率（%）", 12),
                                        ("失效链接", 10), ("表述错误", 10)])
    for d in p.trend.itertuples():
        r = rate(d.opened, d.polls)
        t.add([d.day.isoformat(), int(d.polls), int(d.opened), float(round(r * 100, 2)) if r is not None else None,
               int(d.dead_links), int(d.text_errors)], numeric={1, 2, 3, 4, 5})
    t.finish()
    if len(p.trend):
        chart = LineChart()
        chart.title = "每日可用率、失效链接和表述错误"
        chart.y_axis.title = "数量 / 可用率（%）"
        chart.x_axis.title = "日期"
        last = 2 + len(p.trend)
        chart.add_data(Reference(t.ws, min_col=4, max_col=6, min_row=2, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(t.ws, min_col=1, min_row=3, max_row=last))
        chart.width, chart.height = 24, 10
        t.ws.add_chart(chart, "H3")
    d = _Sheet(wb, "失效链接", "失效链接", [("单位编码", 16), ("链接", 50), ("所在页面", 40), ("首次发现", 12),
                                       ("已修复", 8)])
    for r in p.dead_links.itertuples():
        d.add([r.unit_id, r.url, r.found_on, r.first_day.isoformat(), "是" if r.fixed else "否"])
    d.finish()
    e = _Sheet(wb, "表述错误", "表述错误", [("单位编码", 16), ("页面", 40), ("错误→正确", 30), ("上下文", 50),
                                       ("首次发现", 12), ("已更正", 8)])
    for r in p.text_errors.itertuples():
        e.add([r.unit_id, r.url, r.detail, r.context, r.first_day.isoformat(), "是" if r.fixed else "否"], wrap={3})
    e.finish()
    wb.properties.creator = "zwgk"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def paragraphs(p: Period, issuer: str) -> list[tuple[str, str]]:
    """The 通报 as (style, text): title, h1, body, table (a marker), sign."""
    u = p.units
    vetoed = u[u["vetoed"]]
    share = percent(p.veto_share)
    out = [("title", f"关于{_cn(p.start)}至{_cn(p.end)}政府网站日常监测情况的通报"),
           ("body", f"按照政府网站日常监测（日查网）工作安排，{_cn(p.start)}至{_cn(p.end)}共对 {len(u)} 个单位的网站"
                    f"进行了 {len(p.trend)} 天的监测，累计检测首页 {int(u['polls'].sum())} 次。现将有关情况通报如下。"),
           ("h1", "一、网站可用性")]
    if len(vetoed):
        names = "、".join(f"{r.unit_id}（可用率 {percent(rate(r.opened, r.polls))}）" for r in vetoed.itertuples())
        out.append(("body", f"以下单位网站首页无法访问的次数达到检测次数的 {share} 以上，按国办秘函〔2019〕19号属单项否决情形：{names}。"))
    else:
        out.append(("body", f"各单位网站首页无法访问的次数均低于检测次数的 {share}。"))
    out.append(("h1", "二、失效链接和栏目更新"))
    out.append(("body", f"监测期间共发现失效链接 {int(u['dead_links'].sum())} 个，已修复 {int(u['dead_fixed'].sum())} 个；"
                        f"期末超期未更新栏目 {int(u['stale_columns'].sum())} 个，其中期间变为超期 {int(u['went_stale'].sum())} 个。"))
    out.append(("h1", "三、表述错误"))
    out.append(("body", f"共发现表述错误 {int(u['text_errors'].sum())} 处，已更正 {int(u['text_fixed'].sum())} 处；"
                        f"期末仍有严重表述错误 {int(u['serious_errors'].sum())} 处。"))
    out.append(("h1", "四、各单位监测情况"))
    out.append(("table", ""))
    out.append(("body", "请各单位对照问题清单（monitor.xlsx）逐项整改，严重表述错误须立即更正。"))
    out.append(("sign", issuer))
    out.append(("sign", _cn(p.end)))
    return out


def markdown(p: Period, issuer: str) -> str:
    lines = []
    for style, text in paragraphs(p, issuer):
        if style == "title":
            lines += [f"# {text}", ""]
        elif style == "h1":
            lines += [f"## {text}", ""]
        elif style == "table":
            cols = [c for c, _ in UNIT_COLUMNS]
            lines += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
            lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in unit_rows(p)]
            lines.append("")
        elif style == "sign":
            lines += [f"<div align=\"right\">{_md_cell(text)}</div>", ""]
        else:
            lines += [text, ""]
    return "\n".join(lines)


def _md_cell(v) -> str:
    """Text as data in Markdown: no markup, no HTML, no table breaks."""
    s = str(v)
    for ch in "\\|*_`[]<>#":
        s = s.replace(ch, "\\" + ch)
    return " ".join(s.split())


def write_docx(p: Period, path: Path, issuer: str) -> Path:
    import docx

    from scoring.report.docx_format import add_page_number_footer, add_styles, setup_page

    doc = docx.Document()
    setup_page(doc)
    styles = add_styles(doc)
    for style, text in paragraphs(p, issuer):
        if style == "table":
            cols = [c for c, _ in UNIT_COLUMNS]
            table = doc.add_table(rows=1, cols=len(cols))
            table.style = "Table Grid"
            for j, c in enumerate(cols):
                table.rows[0].cells[j].text = c
            for row in unit_rows(p):
                cells = table.add_row().cells
                for j, v in enumerate(row):
                    cells[j].text = str(v)
            for r in table.rows:
                for c in r.cells:
                    for para in c.paragraphs:
                        para.style = styles["table"]
        else:
            doc.add_paragraph(text, style=styles["normal" if style == "body" else style])
    add_page_number_footer(doc)
    doc.core_properties.author = "zwgk"
    doc.save(path)
    return path
