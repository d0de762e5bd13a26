"""Options of the rendered reports (notices, bulletin): command line, or a YAML config file.

A config file holds the same keys as the command-line options, in English or
Chinese::

    issuer: 青川市人民政府办公室            # 发文机关
    doc_number: 青政务公开办〔{year}〕{n}号  # 文号
    issue_date: 2026-11-25                  # 印发日期
    rectify_workdays: 15                    # 整改工作日
    notice_template: my-notice.docx         # 通知书模板 (relative to the config file)
    contact: 联系人：张三，电话：0000-12345678   # 联系方式
    calendar: calendar-2027.yaml            # 日历 (years the official tables lack)

Options given on the command line win over the file. Unknown keys, a bad date,
a non-positive number of working days or an unknown ``{placeholder}`` in the
文号 pattern are errors that say what was expected.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import string
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from scoring.safe_yaml import clip, load_positioned

DEFAULT_RECTIFY_WORKDAYS = 15
DEFAULT_ISSUER = "政务公开工作办公室"
DEFAULT_DOC_NUMBER = "政务公开整改〔{year}〕{n}号"

#: placeholders a 文号 pattern may use
DOC_NUMBER_FIELDS = {"n": "通知书序号（按分组、名次排列，从 1 起）", "year": "印发年份", "unit_id": "单位编码"}

#: config key aliases (Chinese -> option name)
ALIASES = {
    "发文机关": "issuer",
    "文号": "doc_number",
    "印发日期": "issue_date",
    "整改工作日": "rectify_workdays",
    "通知书模板": "notice_template",
    "联系方式": "contact",
    "日历": "calendar",
}


class ReportOptionsError(ValueError):
    """Bad report options; ``problems`` lists every one found."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ReportOptions:
    #: 发文机关 (issuing office): the red mark at the top and the signature
    issuer: str = DEFAULT_ISSUER
    #: 文号 pattern; placeholders in DOC_NUMBER_FIELDS
    doc_number: str = DEFAULT_DOC_NUMBER
    #: the notices' date; None: the results' as-of date (reproducible)
    issue_date: dt.date | None = None
    #: the rectification period: working days after the issue date
    rectify_workdays: int = DEFAULT_RECTIFY_WORKDAYS
    #: a restyled .docx template (docxtpl); None: the one shipped in the package
    notice_template: Path | None = None
    #: contact line under 整改情况反馈 (empty: left out)
    contact: str = ""
    #: a calendar file adding years the official holiday tables lack
    calendar: Path | None = None

    def merged(self, **overrides: Any) -> "ReportOptions":
        """These options with every override that is not None applied."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


OPTION_NAMES = [f.name for f in fields(ReportOptions)]


def parse_issue_date(text: Any, where: str) -> dt.date:
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    from scoring.dates import parse_date_text

    try:
        return parse_date_text(str(text))
    except ValueError:
        raise ReportOptionsError([f"{where}「{text}」不是日期，应写作 2026-11-25、2026/11/25 或 2026年11月25日"])


#: the widest field a 文号 placeholder may ask for ({n:03d} is 3): a width of 20,000,000 wrote 200 MB
DOC_NUMBER_MAX_WIDTH = 20
#: the longest 文号 pattern accepted
DOC_NUMBER_MAX_LENGTH = 200


def check_doc_number(pattern: str, where: str = "文号（--doc-number，配置键 doc_number）") -> list[str]:
    """Problems with a 文号 pattern (unknown placeholders, unbalanced braces, huge widths)."""
    shown = clip(pattern, 60)
    if len(pattern) > DOC_NUMBER_MAX_LENGTH:
        return [f"{where}「{shown}」过长（至多 {DOC_NUMBER_MAX_LENGTH} 个字符）"]
    try:
        fields = [(name, spec or "") for _, name, spec, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as exc:
        return [f"{where}「{shown}」的花括号不成对（{exc}）；占位符写作 {{n}}、{{year}}，文字中的花括号写作 {{{{ }}}}"]
    unknown = [n for n, _ in fields if n.split(":")[0] not in DOC_NUMBER_FIELDS]
    if unknown:
        known = "、".join(f"{{{k}}}（{v}）" for k, v in DOC_NUMBER_FIELDS.items())
        return [f"{where}「{shown}」中有未知的占位符 {'、'.join('{' + clip(u, 20) + '}' for u in unknown)}；可用：{known}"]
    for name, spec in fields:
        if "{" in spec or any(int(d) > DOC_NUMBER_MAX_WIDTH for d in re.findall(r"[0-9]+", spec)):
            return [f"{where}「{shown}」中 {{{name}:{clip(spec, 20)}}} 的宽度或精度过大（至多 {DOC_NUMBER_MAX_WIDTH}，如 {{n:03d}}）"]
    try:
        pattern.format(n=1, year=2026, unit_id="X")
    except (ValueError, IndexError, KeyError) as exc:
        return [f"{where}「{shown}」无法生成文号：{exc}"]
    return []


#: environment variable: how many processes render the notices (1: no pool); default: the cores
WORKERS_ENV = "ZWGK_WORKERS"


def workers_from_env() -> int | None:
    """The ``ZWGK_WORKERS`` setting, or None when unset; raises ReportOptionsError when not a positive integer."""
    text = os.environ.get(WORKERS_ENV, "").strip()
    if not text:
        return None
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise ReportOptionsError([f"环境变量 {WORKERS_ENV}「{text}」应为正整数（渲染整改通知书的进程数，1 表示不并行）"])
    return n


def validate(opts: ReportOptions) -> ReportOptions:
    problems = check_doc_number(opts.doc_number)
    try:
        workers_from_env()
    except ReportOptionsError as exc:
        problems += exc.problems
    if not isinstance(opts.rectify_workdays, int) or isinstance(opts.rectify_workdays, bool) \
            or opts.rectify_workdays < 1:
        problems.append(f"整改期限「{clip(str(opts.rectify_workdays), 20)}」应为正整数（工作日数），如 15")
    if not str(opts.issuer).strip():
        problems.append("发文机关不能为空")
    if opts.notice_template is not None:
        p = Path(opts.notice_template)
        if not p.is_file():
            problems.append(f"通知书模板 {p} 不存在")
        elif p.suffix.lower() != ".docx":
            problems.append(f"通知书模板 {p} 应为 .docx 文件")
    if opts.calendar is not None and not Path(opts.calendar).is_file():
        problems.append(f"日历文件 {opts.calendar} 不存在")
    if problems:
        raise ReportOptionsError(problems)
    return opts


def read_config(path: str | Path) -> dict[str, Any]:
    """A YAML config file as option overrides (paths resolved against the file's folder)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ReportOptionsError([f"报告配置文件 {p} 无法读取：{exc.strerror or exc}"])
    except UnicodeDecodeError:
        raise ReportOptionsError([f"报告配置文件 {p} 应为 UTF-8 编码"])
    data, issues = load_positioned(text, str(p))
    if issues:
        raise ReportOptionsError([f"报告配置文件 {p}" + (f" 第{i.line}行" if i.line else "") + f"：{i.message}"
                                  for i in issues])
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ReportOptionsError([f"报告配置文件 {p} 应为键值映射（issuer、doc_number、rectify_workdays 等）"])
    out: dict[str, Any] = {}
    problems = []
    for key, value in data.items():
        name = ALIASES.get(str(key), str(key))
        if name not in OPTION_NAMES:
            expected = "、".join(f"{n}" for n in OPTION_NAMES) + "（或中文：" + "、".join(ALIASES) + "）"
            problems.append(f"报告配置文件 {p}：未知的键「{clip(str(key), 40)}」；可用的键：{expected}")
            continue
        if value is None:
            continue
        try:
            if name == "issue_date":
                value = parse_issue_date(value, f"报告配置文件 {p} 的 {key}")
            elif name == "rectify_workdays":
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ReportOptionsError([f"报告配置文件 {p} 的 {key}「{clip(str(value), 40)}」应为正整数（工作日数）"])
            elif name in ("notice_template", "calendar"):
                value = (p.parent / str(value)).resolve()
            else:
                value = str(value)
        except ReportOptionsError as exc:
            problems += exc.problems
            continue
        out[name] = value
    if problems:
        raise ReportOptionsError(problems)
    return out
