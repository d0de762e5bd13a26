"""Bulk NFKC (scoring/textnorm.py) gives exactly what unicodedata gives, text by text."""

from __future__ import annotations

import unicodedata

import pandas as pd

from scoring.textnorm import nfkc_all, nfkc_series

TEXTS = [
    "一、出台背景\n为深入贯彻落实……，结合本地实际（试行）。",   # full-width punctuation
    "二、主要措施：第１条　第２条",                             # full-width digits, ideographic space
    "⼀⼆⽂件",                                                 # Kangxi radicals -> unified ideographs
    "Ａ\u0301 and e\u0301",                                     # combining marks compose after mapping
    "ｶﾞｲﾄﾞ ﬁle ①②",                                          # half-width kana, ligature, circled digits
    "\u1100\u1161\u11a8",                                       # conjoining jamo compose
    "",
    "\u00a8 \u00a0x",                                           # compatibility chars that bring in a space
]


def test_bulk_nfkc_equals_unicodedata_for_every_text():
    assert nfkc_all(TEXTS) == [unicodedata.normalize("NFKC", t) for t in TEXTS]


def test_bulk_nfkc_without_spaces_equals_normalising_then_dropping_whitespace():
    expected = ["".join(unicodedata.normalize("NFKC", t).split()) for t in TEXTS]
    assert nfkc_all(TEXTS, remove_space=True) == expected


def test_a_text_holding_nul_is_still_normalised_exactly():
    texts = ["甲\x00（乙）", "丙，丁"]
    assert nfkc_all(texts) == [unicodedata.normalize("NFKC", t) for t in texts]


def test_missing_text_stays_missing_and_the_index_is_kept():
    s = pd.Series(["关于背景依据，", None, "主要内容：　"], index=[7, 8, 9])
    out = nfkc_series(s, remove_space=True)
    assert out.index.tolist() == [7, 8, 9]
    assert out.tolist() == ["关于背景依据,", None, "主要内容:"]
