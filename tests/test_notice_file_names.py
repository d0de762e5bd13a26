"""整改通知书 file names: every unit with problems gets its own notice, on every platform.

A unit id is used as the file name when it can be one as it stands; otherwise (or when two
names would differ only by letter case) the name gets "-" and 8 hex digits of the id's
SHA-256, and the ranking workbook and the command's output show which file is whose.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import openpyxl
import pytest

import report_helpers as h
from scoring.report.common import NoticeNameError, notice_stems

WINDOWS_RESERVED = ["CON", "prn", "Aux", "nul", "COM1", "lpt9", "CON.txt", "nul.tar.gz", "com¹"]


def _distinct_on_case_insensitive_disks(stems: dict[str, str]) -> bool:
    folded = {unicodedata.normalize("NFC", s).casefold() for s in stems.values()}
    return len(folded) == len(stems)


@pytest.mark.parametrize("ids", [
    ["abc", "abc.", "abc.."],
    ["a/b", "a_b", "a:b", "a\\b", "a*b"],
    [".", "..", "_", "..."],
    ["QC-SZ-01", "qc-sz-01", "Qc-Sz-01"],
    [unicodedata.normalize("NFC", "Café"), unicodedata.normalize("NFD", "Café")],
    ["Straße", "STRASSE"],
])
def test_ids_that_would_share_a_file_each_get_their_own_name(ids):
    stems = notice_stems(ids)
    assert set(stems) == set(ids)
    assert _distinct_on_case_insensitive_disks(stems)


def test_an_id_that_is_a_safe_file_name_is_the_file_name():
    assert notice_stems(["QC-SZ-01", "青川市教育局", "A_1.2"]) == {
        "QC-SZ-01": "QC-SZ-01", "青川市教育局": "青川市教育局", "A_1.2": "A_1.2"}


@pytest.mark.parametrize("unit_id", WINDOWS_RESERVED)
def test_windows_device_names_are_never_a_notice_file_name(unit_id):
    stem = notice_stems([unit_id])[unit_id]
    assert stem.split(".")[0].casefold() not in {"con", "prn", "aux", "nul", "com1", "lpt9", "com¹"}


@pytest.mark.parametrize("unit_id", ["abc.", "abc ", "abc. .", "-rf", "--help", ".hidden", "a\x00b", "a\nb"])
def test_trailing_dots_and_spaces_leading_dash_and_control_characters_are_made_safe(unit_id):
    stem = notice_stems([unit_id])[unit_id]
    assert not stem.startswith(("-", ".")) and not stem.endswith((".", " "))
    assert all(ch.isprintable() and ch not in '/\\:*?"<>| ' for ch in stem)
    assert stem != unit_id


@pytest.mark.parametrize("unit_id", ["长" * 100, "x" * 300, "😀" * 80])
def test_names_longer_than_a_file_system_allows_are_shortened_and_stay_distinct(unit_id):
    other = unit_id[:-1] + "y"
    stems = notice_stems([unit_id, other])
    for stem in stems.values():
        assert len(f"{stem}.docx".encode("utf-8")) <= 255
        assert len(f"{stem}.docx".encode("utf-16-le")) // 2 <= 255
    assert _distinct_on_case_insensitive_disks(stems)


def test_names_do_not_depend_on_the_order_of_the_units():
    ids = ["abc", "ABC", "a/b", "a_b", "CON", "x"]
    assert notice_stems(ids) == notice_stems(list(reversed(ids)))


def test_an_id_equal_to_another_ids_disambiguated_name_still_gets_its_own_file():
    first = notice_stems(["a/b"])["a/b"]          # a_b-<hash>
    stems = notice_stems(["a/b", first])
    assert _distinct_on_case_insensitive_disks(stems)


def test_the_same_id_twice_is_refused_not_merged():
    with pytest.raises(NoticeNameError, match="QC-1"):
        notice_stems(["QC-1", "QC-2", "QC-1"])


# --- through `zwgk assess` and `zwgk report` -------------------------------

AWKWARD_IDS = ["abc", "abc.", "abc..", "a/b", "a_b", "a:b", ".", "..", "_", "ABC", "CON", "con.txt",
               "-x", "长" * 100, "QC-SZ-01"]


def _batch(root: Path, ids: list[str]) -> Path:
    ev = root / "ev"
    ev.mkdir()
    with open(ev / "units.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["unit_id", "name", "kind"])
        for k, u in enumerate(ids):
            w.writerow([u, f"测试单位{k:02d}", "市直部门"])
    return ev


@pytest.fixture(scope="module")
def awkward(tmp_path_factory):
    """A batch whose units provide no evidence (so each has problems and gets a notice)."""
    root = tmp_path_factory.mktemp("ids")
    ev = _batch(root, AWKWARD_IDS)
    out = root / "out"
    r = h.run("assess", ev, "--as-of", h.AS_OF, "--out", out)
    assert r.exit_code == 0, r.output
    return out, r.output


def test_every_unit_with_problems_gets_its_own_notice(awkward):
    out, _ = awkward
    docx = sorted((out / "notices").glob("*.docx"))
    assert len(docx) == len(AWKWARD_IDS)
    names = {p.read_text(encoding="utf-8").split("：")[0].splitlines()[-1] for p in (out / "notices").glob("*.md")}
    assert names == {f"测试单位{k:02d}" for k in range(len(AWKWARD_IDS))}


def test_the_workbook_shows_which_notice_file_belongs_to_which_unit(awkward):
    out, _ = awkward
    ws = openpyxl.load_workbook(out / "ranking.xlsx")["总体排名"]
    header = [c.value for c in ws[2]]
    rows = [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=3)]
    mapping = {r["单位编码"]: r["整改通知书"] for r in rows}
    assert set(mapping) == set(AWKWARD_IDS)
    assert mapping["QC-SZ-01"] == "notices/QC-SZ-01.docx"
    for unit_id, file in mapping.items():
        assert (out / file).is_file(), unit_id
    assert len(set(mapping.values())) == len(AWKWARD_IDS)


def test_the_command_lists_the_notices_not_named_by_their_unit_id(awkward):
    _, output = awkward
    assert "a/b → notices/a_b-" in output and "ABC → notices/ABC-" in output
    assert "QC-SZ-01 →" not in output


def test_ids_differing_only_by_case_give_the_same_files_on_every_platform(tmp_path):
    ev = _batch(tmp_path, ["ab", "AB", "Ab"])
    r = h.run("assess", ev, "--as-of", h.AS_OF, "--out", tmp_path / "out")
    assert r.exit_code == 0, r.output
    files = sorted(p.name for p in (tmp_path / "out" / "notices").glob("*.docx"))
    assert files == sorted(f"{stem}.docx" for stem in notice_stems(["ab", "AB", "Ab"]).values())
    assert len({f.casefold() for f in files}) == 3


def test_names_that_cannot_be_made_distinct_stop_the_report_with_exit_2(awkward, tmp_path, monkeypatch):
    import scoring.report.common as common

    out, _ = awkward
    monkeypatch.setattr(common, "_with_hash", lambda stem, unit_id: stem + "-0")   # a hash collision
    r = h.CliRunner().invoke(h.main, ["report", str(out / "results.json"), "--out", str(tmp_path / "again")])
    assert r.exit_code == 2, r.output
    assert "「a/b」" in r.output and "「a:b」" in r.output
    assert not (tmp_path / "again" / "notices").exists()
