"""One vocabulary: every indicator state and finding kind has one Chinese name, shown the same in every view."""

import typing

from scoring.check.html import environment
from scoring.report.common import KIND_ZH
from scoring.results import FINDING_KIND_ZH, STATE_ZH, FindingKind, State


def test_every_state_and_finding_kind_has_one_chinese_name():
    assert set(STATE_ZH) == set(typing.get_args(State))
    assert set(FINDING_KIND_ZH) == set(typing.get_args(FindingKind))
    assert FINDING_KIND_ZH["cannot_check"] == STATE_ZH["cannot_check"] == "无法核验"
    assert FINDING_KIND_ZH["veto"] == "单项否决"


def test_the_notices_and_the_self_check_page_name_kinds_as_the_results_do():
    env = environment()
    for kind, zh in FINDING_KIND_ZH.items():
        assert KIND_ZH[kind] == zh
        assert env.globals["kind_zh"](kind) == zh
    for state, zh in STATE_ZH.items():
        assert env.globals["state_zh"](state) == zh
