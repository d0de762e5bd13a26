"""Every rule kind's cases (tests/rule_cases/<kind>.yaml) give exactly the findings, points, vetoes
and states they state; every registered kind has a pass and a fail example for docs/RULES.md."""

import re

import pytest

from scoring.rules import REGISTRY
from scoring.rules.cases import all_cases, expected, outcomes, run_case

CASES = all_cases()


@pytest.mark.parametrize("case", [c for cs in CASES.values() for c in cs], ids=lambda c: c.id)
def test_rule_case(case):
    out, units = run_case(case)
    got = {u: o.as_expected() for u, o in outcomes(case, out, units).items()}
    assert got == expected(case, units)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_kind_has_a_pass_and_a_fail_example(name):
    examples = [c for c in CASES.get(name, []) if c.example]
    passing = [c for c in examples if not any(e.get("findings") or e.get("veto") for e in c.expect.values())]
    assert passing and len(passing) < len(examples), f"tests/rule_cases/{name}.yaml needs a pass and a fail example"


TIMELINESS = ["publication_timeliness", "interpretation_timeliness", "request_timeliness",
              "request_correction_timeliness", "message_timeliness"]
#: 「法定答复期限 2026-10-29（20个工作日），逾期 1 个工作日」: the deadline and the working days past it
LATE = re.compile(r"期限 \d{4}-\d{2}-\d{2}（[^）]+），逾期 [1-9]\d* 个工作日")


@pytest.mark.parametrize("name", TIMELINESS)
def test_every_timeliness_kind_states_the_deadline_and_the_working_days_past_it(name):
    late = [f["message"] for c in CASES[name] for e in c.expect.values() for f in e.get("findings") or []
            if f.get("kind", "deduction") == "deduction"]
    assert late and all(LATE.search(m) for m in late)
