"""C2's bulk substring search gives exactly ``str.contains`` of the alternation, per text."""

from __future__ import annotations

import random

import pytest

from scoring.rules import text as mod


def _brute(texts: list[str], groups: list[tuple[str, ...]]) -> list[list[bool]]:
    return [[any(x in t for x in g) for t in texts] for g in groups]


@pytest.mark.parametrize("chunk", [3, 17, 1_000_000])
def test_matches_brute_force(monkeypatch, chunk):
    monkeypatch.setattr(mod, "CHUNK_CHARS", chunk)
    rng = random.Random(7)
    alphabet = "主要内容背景依据目标任务措施\x00a𠀀，"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(400)]
    texts += ["", "主要", "内容", "主要内容", "𠀀𠀀", "\x00主要内容\x00"]
    groups = [("主要内容", "内容背景"), ("主",), ("a𠀀",), ("要内容背景依据目标",), ("依据", "据目"), ("", "不在"),
              ("容背", "容背")]
    got = mod.contains_any_texts(texts, groups)
    assert [g.tolist() for g in got] == _brute(texts, groups)


def test_empty_inputs():
    assert [g.tolist() for g in mod.contains_any_texts([], [("主要",)])] == [[]]
    assert [g.tolist() for g in mod.contains_any_texts(["主要", ""], [()])] == [[False, False]]


def test_nfkc_joined_is_joined_nfkc_all():
    from scoring.textnorm import nfkc_all, nfkc_joined

    texts = ["主要内容：　ａｂｃ", "", " 背景 依据\n", "①②", "e\u0301"]
    for rs in (False, True):
        assert nfkc_joined(texts, rs) == "\x00".join(nfkc_all(texts, rs))
    assert nfkc_joined(["a\x00b", "c"]) is None


def test_find_any_compares_texts_as_names_are_compared():
    # full-width letters, ideographic spaces and line breaks do not hide a spelling
    texts = ["一、出台　背景\n……", "ＡＢＣ主要\n内容", "无关"]
    got = mod.find_any(texts, [("出台背景",), ("ABC主要内容", "不在"), ()])
    assert [g.tolist() for g in got] == [[True, False, False], [False, True, False], [False, False, False]]
