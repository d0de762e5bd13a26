"""Print docs/RULES.md from the rule kinds' docstrings, parameter models and cases.

    python -m scoring.rules.doc > docs/RULES.md

What and why come from each kind's docstring (``什么：`` and ``为什么：``); the pass and fail
examples are the kind's cases marked ``example: true`` in tests/rule_cases/<kind>.yaml, rendered
with what the kind gives for them now (scoring.rules.cases) — so an example cannot drift from the
code: tests/test_rule_registry.py fails when docs/RULES.md is not what this prints.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import sys
from decimal import Decimal

from pydantic_core import PydanticUndefined

from scoring.evidence.schema import TABLES
from scoring.results import display_text
from scoring.rules import REGISTRY
from scoring.rules.base import RuleKind
from scoring.rules.cases import UNITS, Case, UnitOutcome, all_cases, outcomes, run_case

SECTIONS = ("什么", "为什么")


def parse_doc(cls: type[RuleKind]) -> tuple[str, dict[str, str]]:
    """(title, {section: text}) from a docstring in the fixed shape; raises if a section is missing."""
    doc = inspect.getdoc(cls) or ""
    lines = doc.splitlines()
    title = lines[0].strip() if lines else ""
    parts: dict[str, list[str]] = {}
    current = None
    for line in lines[1:]:
        head = next((s for s in SECTIONS if line.startswith(s + "：")), None)
        if head:
            current = head
            parts[current] = [line[len(head) + 1:].strip()]
        elif current:
            parts[current].append(line.strip())
    missing = [s for s in SECTIONS if s not in parts]
    if not title or missing:
        raise ValueError(f"rule kind {cls.name}: docstring lacks {missing or 'a title'}")
    return title, {k: "".join(v).strip() for k, v in parts.items()}


def _default(field) -> str:
    if field.default is PydanticUndefined and field.default_factory is None:
        return "（必填）"
    value = field.get_default(call_default_factory=True)

    def plain(v):
        if isinstance(v, Decimal):
            return str(v)
        if hasattr(v, "model_dump"):
            return {k: plain(x) for k, x in v.model_dump().items() if x not in (None, ())}
        if isinstance(v, dict):
            return {str(k): plain(x) for k, x in v.items()}
        if isinstance(v, (tuple, list)):
            return [plain(x) for x in v]
        return v

    text = json.dumps(plain(value), ensure_ascii=False)
    return f"`{text}`" if len(text) <= 120 else f"`{text[:117]}…`"


def _comments(cls) -> dict[str, str]:
    """The ``#:`` comment above each field of a params model (its only documentation)."""
    out: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        try:
            src = inspect.getsource(klass)
        except (OSError, TypeError):
            continue
        pending: list[str] = []
        for line in src.splitlines():
            s = line.strip()
            if s.startswith("#:"):
                pending.append(s[2:].strip())
            elif ":" in s and not s.startswith(("#", "@", "def ", "class ", "return", '"')) and pending:
                out[s.split(":")[0].strip()] = " ".join(pending)
                pending = []
            elif not s.startswith("#:"):
                pending = []
    return out


HEAD = """\
# 规则类型（rule kinds）

由 `python -m scoring.rules.doc` 从代码生成，请勿手改。每种规则类型对所有单位一次性计算，产出问题（findings：单位、证据表、证据编号、说明、扣分）；评分细则（rubric）决定用哪种规则、参数取何值，引擎把问题换算成指标得分（封顶、保底为 0、否决）。

问题的 `kind`：`deduction` 扣分；`cannot_check` 无法核验（扣 0 分，照样报告）。时效类规则只看起始日期落在测评期（默认 as_of 当年 1 月 1 日至 as_of）内的证据；工作日一律按国务院节假日安排（含调休）计算，起始日当日不计。时效类问题（B5、C3、D1、D2、E1）一律写明期限和逾期的工作日数，如「法定答复期限 2026-10-29（20个工作日），逾期 1 个工作日」。

各底稿表、各列的写法（类型、可填的值、留空的含义）见 `docs/EVIDENCE.md`。

每种规则类型的通过、不通过示例取自 `tests/rule_cases/<规则类型>.yaml` 中标为 `example: true` 的用例，结果是规则现在实际给出的问题和得分（这些用例同时作为测试运行）。示例的本项分值为 10 分（另有说明的除外），单位 QC-SZ-01 为市直部门。

## 规则运行出错时

规则类型运行中抛出异常（规则本身的程序错误，不是底稿的问题）时，整批评分中止：`zwgk assess` 和 `zwgk check` 以退出码 2 结束，不写出任何结果，并给出一条中文消息，写明出错的指标、规则类型和异常内容，例如：

    错误：评分中止：指标 C4 的规则类型 interpretation_forms 运行出错：ZeroDivisionError: division by zero。这是评分规则的程序错误，不是底稿的问题，未写出任何结果；请把本消息和底稿报告给维护者。

不采用“该指标记为出错、其余照常评分”的做法：部分评分的结果不能用于排名和通报，宁可不出结果。测评年度的节假日安排缺失（日历错误）不属于规则出错，仍按日历错误提示（可用 `--calendar` 补充）。
"""

WALKTHROUGH = """\
## 新增一种规则类型

1. 在 `scoring/rules/` 的相应模块（或新模块，并在 `scoring/rules/__init__.py` 中导入）写参数模型和规则类：参数模型继承 `RuleParams`，每个参数上方用 `#:` 注释说明（生成本文件的参数表）；规则类继承 `RuleKind`，用 `@register` 登记，写明 `name`、`params`、`needs`（需要的底稿表），文档字符串第一行是标题，随后是 `什么：` 和 `为什么：` 两段。
2. `run(ctx)` 对所有单位一次性计算（向量化 pandas，不按证据行循环），用 `scoring.rules.common.make_findings` 产出问题：每条问题指向用户的底稿行（表、编号、文件、行号），扣分按参数。可用的工具：`common.lateness`（工作日时效：期限、用时、逾期工作日）、`scoring.rules.text`（读取解读正文及正文文件，`find_any` 在全部正文中一次查找要素）。
3. 在 `tests/rule_cases/<规则类型>.yaml` 写用例：底稿（CSV 文本）、参数、as_of、期望的问题和得分；至少一个通过、一个不通过的用例标 `example: true`。`python -m scoring.rules.cases tests/rule_cases/<规则类型>.yaml` 打印规则现在给出的结果，核对无误后写入 `expect`。
4. 运行 `python -m scoring.rules.doc > docs/RULES.md` 重新生成本文件，再运行 `python -m pytest tests/test_rule_cases.py tests/test_rule_registry.py`。
5. 在评分细则中使用：指标的 `rule:` 写规则类型名，`params:` 写参数（未知参数会报错并指出行号）。
"""


def _table(text: str) -> list[str]:
    """A CSV text as a Markdown table."""
    rows = list(csv.reader(io.StringIO(text.strip("\n"))))
    cell = lambda v: v.replace("|", "\\|") or " "  # noqa: E731
    out = ["| " + " | ".join(cell(v) for v in rows[0]) + " |", "|" + "---|" * len(rows[0])]
    out += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows[1:]]
    return out


def _outcome(o: UnitOutcome, case: Case) -> list[str]:
    lines = []
    for f in o.findings:
        if f["kind"] == "cannot_check":
            lines.append(f"- 无法核验：「{f['message']}」（不扣分）")
        else:
            lines.append(f"- 「{f['message']}」，扣 {display_text(f['deduction'])} 分")
    if o.veto:
        lines.append(f"- 单项否决：{o.veto}")
    if o.state is not None:
        lines.append("- 本项记为“无法核验”，不计分，从满分中扣除")
    elif lines:
        lines.append(f"- 得 {display_text(o.score)} 分（本项 {display_text(case.points)} 分）")
    else:
        lines.append(f"- 没有问题，得 {display_text(o.score)} 分（本项 {display_text(case.points)} 分）")
    return lines


def render_case(case: Case) -> list[str]:
    """One example: pass or fail, what it shows, its evidence as tables, what the kind gives."""
    res = outcomes(case, *run_case(case))
    failed = any(o.veto or any(f["kind"] == "deduction" for f in o.findings) for o in res.values())
    label = "不通过示例" if failed else "通过示例"
    note = f"（{case.note}）" if case.note else ""
    setting = [f"as_of {case.as_of}"]
    if case.params:
        setting.append("参数 `" + json.dumps(case.params, ensure_ascii=False) + "`")
    if case.points != 10:
        setting.append(f"本项 {display_text(case.points)} 分")
    out = [f"**{label}**：{case.title}{note}。{'；'.join(setting)}。", ""]
    tables = ({"units": case.units} if case.units != UNITS else {}) | case.evidence
    for name, text in tables.items():
        out += [f"{TABLES[name].alias}（{name}）：", "", *_table(text), ""]
    many = len(res) > 1
    out.append("结果：")
    out.append("")
    for u, o in res.items():
        lines = _outcome(o, case)
        out += [f"- {u}：" + lines[0][2:], *lines[1:]] if many else lines
    out.append("")
    return out


def render(cases: dict[str, list[Case]] | None = None) -> str:
    cases = all_cases() if cases is None else cases
    out = [HEAD]
    for name, cls in REGISTRY.items():
        title, sec = parse_doc(cls)
        needs = "、".join(f"{t}（{TABLES[t].alias}）" for t in cls.needs)
        out += [f"## `{name}` — {title}", "", f"需要的底稿：{needs}；状态：{cls.status}", ""]
        for s in SECTIONS:
            out += [f"**{s}**：{sec[s]}", ""]
        for case in (c for c in cases.get(name, []) if c.example):
            out += render_case(case)
        comments = _comments(cls.params)
        fields = cls.params.model_fields
        if fields:
            out += ["| 参数 | 默认值 | 说明 |", "|---|---|---|"]
            for f, info in fields.items():
                out.append(f"| `{f}` | {_default(info)} | {comments.get(f, '')} |")
            out.append("")
    out.append(WALKTHROUGH)
    return "\n".join(out)


def main() -> None:
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
