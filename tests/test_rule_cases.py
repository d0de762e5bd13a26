"""Every rule kind's cases (tests/rule_cases/<kind>.yaml) give exactly the findings, points, vetoes
and states they state; every registered kind has a pass and a fail example for docs/RULES.md."""

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
