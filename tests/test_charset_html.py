"""One HTML charset decoder for the website checks and the annual-report extraction."""

from scoring.annual_report.document import read_bytes
from scoring.collect.page import decode
from scoring.evidence.charset import decode_html


def test_a_gbk_page_declared_after_a_long_head_reads_the_same_in_collect_and_annual_report():
    body = ("<html><head>" + "<meta name='x' content='y'>" * 200
            + "<meta charset='gbk'></head><body><table><tr><td>政府信息公开工作年度报告</td></tr></table></body></html>")
    data = body.encode("gbk")
    assert decode(data, "text/html") == decode_html(data) == body
    doc = read_bytes(data, "text/html")
    assert "政府信息公开工作年度报告" in repr(doc.grids)


def test_the_http_header_charset_wins_over_a_wrong_meta():
    page = "<meta charset='utf-8'><p>通知公告</p>"
    assert decode_html(page.encode("gb18030"), "text/html; charset=GB2312") == page


def test_an_undeclared_page_mixing_utf8_and_gbk_lines_is_still_read():
    data = "第一行 通知公告\n".encode("utf-8") + "第二行 政策文件\n".encode("gbk")
    text = decode_html(data)
    assert "第二行 政策文件" in text and text == data.decode("gb18030", "replace")


def test_a_utf16_page_with_a_bom_is_read():
    assert decode_html("<p>政务公开</p>".encode("utf-16")) == "<p>政务公开</p>"
