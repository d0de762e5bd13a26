"""Test-only rule kind and evidence builders for the engine tests.

``engine_test_messages`` judges the 留言办理 table: each message whose channel
is 差评 loses ``per_item``; a unit with ``veto_at`` such messages is vetoed;
with ``ratio: true`` the unit is awarded points × share of messages not 差评
(like C4); units listed in ``cannot_check`` get that state; ``fail_with`` makes it raise.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from scoring.rules.base import REGISTRY, RuleContext, RuleKind, RuleOutput, RuleParams, register
from scoring.rules.common import make_findings


class EngineTestParams(RuleParams):
    per_item: Decimal = Decimal(1)
    veto_at: int | None = None
    ratio: bool = False
    cannot_check: tuple[str, ...] = ()
    #: a message with this channel vetoes its unit (without a deduction)
    veto_channel: str | None = None
    #: the rule raises ValueError with this text (a bug in a rule kind)
    fail_with: str | None = None


class EngineTestMessages(RuleKind):
    """测试用规则：渠道为「差评」的留言每条扣分。"""

    name = "engine_test_messages"
    params = EngineTestParams
    needs = ("messages",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: EngineTestParams = ctx.params
        if p.fail_with is not None:
            raise ValueError(p.fail_with)
        out = RuleOutput()
        m = ctx.table("messages")
        bad = m[m["channel"].eq("差评").fillna(False).astype(bool)]
        out.findings = make_findings(bad, table="messages", ref=bad["message_id"],
                                     message="留言 " + bad["message_id"].astype(str) + " 答复敷衍",
                                     deduction=p.per_item)
        counts = bad.groupby("unit_id").size()
        if p.veto_at is not None:
            out.vetoes = {str(u): f"答复敷衍的留言 {n} 条" for u, n in counts.items() if n >= p.veto_at}
        if p.veto_channel is not None:
            hit = m.loc[m["channel"].eq(p.veto_channel).fillna(False).astype(bool), "unit_id"].unique()
            out.vetoes.update({str(u): f"留言答复{p.veto_channel}" for u in hit})
        if p.ratio:
            total = m.groupby("unit_id").size()
            for u, n in total.items():
                good = n - int(counts.get(u, 0))
                out.awarded[str(u)] = ctx.points * Fraction(good, int(n))
        out.states = {u: ("cannot_check", "测试：无法核验") for u in p.cannot_check}
        return out


@pytest.fixture(autouse=True)
def engine_test_kind():
    """Register the test-only kind for one test, then remove it (REGISTRY holds shipped kinds only)."""
    register(EngineTestMessages)
    try:
        yield EngineTestMessages
    finally:
        REGISTRY.pop(EngineTestMessages.name, None)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def units_csv(units: list[tuple[str, str, str]]) -> str:
    return "unit_id,name,kind\n" + "".join(f"{u},{n},{k}\n" for u, n, k in units)


def messages_csv(rows: list[tuple[str, str, str]]) -> str:
    """rows: (unit_id, message_id, channel)."""
    return "unit_id,message_id,received_on,replied_on,channel\n" + "".join(
        f"{u},{m},2026-03-02,2026-03-03,{c}\n" for u, m, c in rows)


def bonus_csv(rows: list[tuple[str, str, str]]) -> str:
    return "unit_id,item,points,basis\n" + "".join(f"{u},{i},{p},上级通报表扬\n" for u, i, p in rows)


def batch_with(tmp: Path, units, bad: dict[str, int], good: dict[str, int] | None = None,
               bonus: list[tuple[str, str, str]] | None = None, forged: tuple[str, ...] = ()) -> Path:
    """A folder batch: each unit gets ``bad[u]`` 差评 messages and ``good[u]`` 网站 messages."""
    good = good or {}
    rows = []
    for u, _, _ in units:
        rows += [(u, f"{u}-B{i}", "差评") for i in range(bad.get(u, 0))]
        rows += [(u, f"{u}-G{i}", "网站") for i in range(good.get(u, 0))]
        rows += [(u, f"{u}-F", "造假")] if u in forged else []
    d = tmp / "batch"
    write(d / "units.csv", units_csv(units))
    write(d / "messages.csv", messages_csv(rows))
    if bonus is not None:
        write(d / "bonus.csv", bonus_csv(bonus))
    return d


RUBRIC_HEAD = """\
id: engine-test
version: "1"
title: 引擎测试细则
grades:
  - {name: 优秀, min: 90}
  - {name: 良好, min: 80}
  - {name: 合格, min: 60}
  - {name: 不合格, min: 0}
groups: {by: kind}
"""


def rubric_file(tmp: Path, *, points: str = "10", params: str = "{per_item: 1}", na_allowed: bool = False,
                other_points: str | None = None, bonus: str = "") -> Path:
    """A rubric with leaf M1 (engine_test_messages) and optionally a second leaf M2 of the same kind."""
    body = RUBRIC_HEAD + bonus + f"""\
indicators:
  - id: M
    title: 留言
    points: {points}
    children:
      - id: M1
        title: 答复质量
        points: {points}
        rectify: 认真答复每一条留言
        rule: engine_test_messages
        params: {params}
        na_allowed: {'true' if na_allowed else 'false'}
"""
    if other_points is not None:
        body += f"""\
  - id: N
    title: 其他
    points: {other_points}
    children:
      - id: N1
        title: 其他留言
        points: {other_points}
        rule: engine_test_messages
        params: {{per_item: 0}}
"""
    return write(tmp / "engine-test.yaml", body)
