"""Print docs/RULES.md from the rule kinds' docstrings and parameter models.

    python -m scoring.rules.doc > docs/RULES.md
"""

from __future__ import annotations

import inspect
import json
import sys
from decimal import Decimal

from pydantic_core import PydanticUndefined

from scoring.evidence.schema import TABLES
from scoring.rules import REGISTRY
from scoring.rules.base import RuleKind

SECTIONS = ("什么", "为什么", "通过示例", "不通过示例")


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


def render() -> str:
    out = [
        "# 规则类型（rule kinds）",
        "",
        "由 `python -m scoring.rules.doc` 从代码生成，请勿手改。每种规则类型对所有单位一次性计算，"
        "产出问题（findings：单位、证据表、证据编号、说明、扣分）；评分细则（rubric）决定用哪种规则、"
        "参数取何值，引擎把问题换算成指标得分（封顶、保底为 0、否决）。",
        "",
        "问题的 `kind`：`deduction` 扣分；`cannot_check` 无法核验（扣 0 分，照样报告）。时效类规则只看起始日期落在"
        "测评期（默认 as_of 当年 1 月 1 日至 as_of）内的证据；工作日一律按国务院节假日安排（含调休）计算，"
        "起始日当日不计。",
        "",
        "各底稿表、各列的写法（类型、可填的值、留空的含义）见 `docs/EVIDENCE.md`。",
        "",
    ]
    for name, cls in REGISTRY.items():
        title, sec = parse_doc(cls)
        needs = "、".join(f"{t}（{TABLES[t].alias}）" for t in cls.needs)
        out += [f"## `{name}` — {title}", "", f"需要的底稿：{needs}；状态：{cls.status}", ""]
        for s in SECTIONS:
            out += [f"**{s}**：{sec[s]}", ""]
        comments = _comments(cls.params)
        fields = cls.params.model_fields
        if fields:
            out += ["| 参数 | 默认值 | 说明 |", "|---|---|---|"]
            for f, info in fields.items():
                out.append(f"| `{f}` | {_default(info)} | {comments.get(f, '')} |")
            out.append("")
    return "\n".join(out)


def main() -> None:
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
