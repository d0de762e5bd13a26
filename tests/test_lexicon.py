"""The lexicon of wrong expressions: shipped entries sourced, exceptions honoured, text compared after NFKC."""

from __future__ import annotations

import pytest

from scoring import lexicon


def test_every_shipped_entry_says_where_its_right_form_is_fixed():
    entries = lexicon.load()
    assert entries and all(e.source for e in entries)
    assert {e.severity for e in entries} == {"严重", "一般"}


def test_a_correct_longer_word_holding_a_wrong_form_is_not_an_error():
    hits = lexicon.scan("按排名先后公布署名文章，多重迭代。", lexicon.load())
    assert hits == []


def test_the_first_occurrence_outside_an_exception_is_reported_with_its_sentence():
    [h] = lexicon.scan("按排名公布。请按排好时间。下一句。", lexicon.load())
    assert h.entry.label == "按排→安排（一般）" and h.context == "请按排好时间。"


def test_full_width_letters_match_after_nfkc_and_the_context_keeps_the_page_as_written():
    mine = [lexicon.Entry("ICP备案号码", "ICP备案编号", "一般")]
    [h] = lexicon.scan("请核对ＩＣＰ备案号码，谢谢。", mine)
    assert h.context == "请核对ＩＣＰ备案号码，谢谢。"


def test_bad_entries_are_all_reported_naming_file_entry_and_key(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("entries:\n  - {wrong: 布署, right: 部署, severity: 很严重}\n  - {wrong: 按排, right: 安排, severity: 一般,"
                 " except: [排名]}\n  - {wrong: 甲, right: 乙, severity: 一般, colour: red}\n", encoding="utf-8")
    with pytest.raises(lexicon.LexiconError) as exc:
        lexicon.load([f])
    text = "\n".join(exc.value.problems)
    assert "第1条" in text and "severity" in text
    assert "第2条" in text and "「排名」不包含错误写法「按排」" in text
    assert "第3条" in text and "未知的键「colour」" in text
