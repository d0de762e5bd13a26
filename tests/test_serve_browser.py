"""`zwgk serve` in a real headless Chromium, on a store of the README's loop demo (two rounds and the urges).

What an office clerk and a unit's staff see and click: the rounds, the ranked table (sorted, filtered),
a unit's history across both rounds, the 待办 list against `zwgk overdue`, the 自查 upload of a filled
template against `zwgk check`, and a hostile zip refused. Screenshots of each page go to
/tmp/serve-shots/ for a person to look at. Skips like the check page's browser test when
Playwright or the system chromium is missing.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from browser_helpers import chromium_context
from evidence_fill import fill_unit_workbook
from serve_helpers import RECHECK, ROUND1, demo_store, running_server, zwgk
from test_loop_demo import SAMPLE
from scoring.cli import main
from scoring.web.app import Settings, create_app

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/serve-shots")


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve-demo")
    return folder, demo_store(folder)


@pytest.fixture(scope="module")
def base_url(demo):
    _, db = demo
    with running_server(create_app(db, Settings(today=lambda: dt.date(2026, 12, 21)))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    SHOTS.mkdir(exist_ok=True)
    with chromium_context(1200) as ctx:
        ctx.route("http*://**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                  else route.abort())
        yield ctx


@pytest.fixture
def page(browser, base_url):
    pg = browser.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.problems = problems
    pg.base = base_url
    yield pg
    pg.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def table_rows(page, selector: str) -> list[list[str]]:
    return page.locator(f"{selector} tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))")


def test_the_rounds_page_lists_every_recorded_round_with_its_grades(page, demo):
    folder, _ = demo
    page.goto(page.base + "/")
    cards = page.locator(".round-card")
    assert cards.evaluate_all("cs => cs.map(c => c.dataset.round)") == ["2026-12-18催办", RECHECK, ROUND1]
    results = json.loads((folder / "round1" / "results.json").read_text(encoding="utf-8"))
    grades = page.locator(f'.round-card[data-round="{ROUND1}"] .grades').inner_text()
    for grade in {u["grade"] for u in results["units"]}:
        n = sum(1 for u in results["units"] if u["grade"] == grade)
        assert f"{grade} {n}" in grades
    assert page.locator(f'.round-card[data-round="{ROUND1}"] svg.histogram rect').count() > 0
    shot(page, "rounds")
    assert page.problems == []


def test_the_ranked_table_shows_the_ranks_of_results_json_and_sorts_by_total(page, demo):
    folder, _ = demo
    results = json.loads((folder / "round1" / "results.json").read_text(encoding="utf-8"))
    ranks = {u["unit_id"]: u["rank"] for u in results["units"]}
    page.goto(page.base + f"/round?name={ROUND1}")
    rows = table_rows(page, "#ranking")
    assert {r[2]: int(r[1]) for r in rows} == ranks
    shot(page, "round")
    page.locator('a.sort[data-sort="total"]').click()
    page.wait_for_load_state("load")
    ascending = table_rows(page, "#ranking")
    for group in {r[0] for r in ascending}:
        totals = [float(r[4]) for r in ascending if r[0] == group]
        assert totals == sorted(totals)
    page.locator('a.sort[data-sort="total"]').click()
    page.wait_for_load_state("load")
    descending = table_rows(page, "#ranking")
    for group in {r[0] for r in descending}:
        totals = [float(r[4]) for r in descending if r[0] == group]
        assert totals == sorted(totals, reverse=True)
    assert "▼" in page.locator('a.sort[data-sort="total"]').inner_text()
    assert page.problems == []


def test_filtering_the_ranked_table_by_group_keeps_only_that_group(page, demo):
    folder, _ = demo
    results = json.loads((folder / "round1" / "results.json").read_text(encoding="utf-8"))
    group = results["units"][-1]["group"]
    page.goto(page.base + f"/round?name={ROUND1}")
    page.select_option('select[name="group"]', group)
    page.locator("#filter").click()
    page.wait_for_load_state("load")
    rows = table_rows(page, "#ranking")
    assert {r[0] for r in rows} == {group}
    assert len(rows) == sum(1 for u in results["units"] if u["group"] == group)


def test_a_units_findings_in_a_round_are_those_of_findings_csv(page, demo):
    folder, _ = demo
    page.goto(page.base + f"/round?name={ROUND1}")
    page.locator('tr[data-unit="QC-SZ-02"] a.findings-link').click()
    page.wait_for_load_state("load")
    expected = [r for r in read_csv(folder / "round1" / "findings.csv") if r["unit_id"] == "QC-SZ-02"]
    rows = table_rows(page, "#findings")
    assert [(r[0], r[2]) for r in rows] == [(f["indicator_id"], f["ref"]) for f in expected]
    shot(page, "round-unit")


def test_a_units_history_shows_both_rounds_and_its_score_line(page, demo):
    page.goto(page.base + "/unit?id=QC-SZ-02&as_of=2026-12-10")
    rounds = page.locator("#history tbody tr").evaluate_all("rs => rs.map(r => r.dataset.round)")
    assert rounds[:2] == [ROUND1, RECHECK]
    totals = page.locator("#history tbody tr td.total").all_inner_texts()
    assert totals[:2] == ["92.5", "93.5"]        # D3 fixed in the recheck (as `zwgk diff` says)
    assert page.locator("#history-chart circle").count() == 2
    deadline = page.locator("#deadline").inner_text()
    assert "2026-12-15" in deadline and "尚余 3 个工作日" in deadline
    assert "年度报告表中没有2025年度报告" in page.locator("#open-findings").inner_text()
    assert page.locator("#history a.doc").count() == 2      # the notice and the 复核意见
    shot(page, "unit")
    assert page.problems == []


def test_the_units_notice_downloads_as_a_word_document(page):
    page.goto(page.base + "/unit?id=QC-SZ-02")
    with page.expect_download() as info:
        page.locator("#history a.doc").nth(1).click()
    path = info.value.path()
    from docx import Document

    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "政务公开测评整改复核意见" in text and "2026年12月15日" in text


@pytest.mark.parametrize("as_of", ["2026-12-21", "2026-12-28"])
def test_the_todo_list_is_what_zwgk_overdue_writes(page, demo, as_of, tmp_path):
    _, db = demo
    zwgk("overdue", "--as-of", as_of, "--db", db, "--out", str(tmp_path / "late"))
    expected = read_csv(tmp_path / "late" / "overdue.csv")
    page.goto(page.base + f"/todo?as_of={as_of}")
    rows = table_rows(page, "#overdue")
    assert expected, "the demo has late units"
    assert [(r[1], r[3], r[4], r[5], r[0]) for r in rows] == \
        [(e["unit_id"], e["doc_number"], e["deadline"], e["workdays_overdue"], e["status"]) for e in expected]
    shot(page, f"todo-{as_of}")


def upload_and_check(page, upload: Path, evidence: Path, name: str) -> None:
    """Upload on the 自查 page; the page shows what `zwgk check EVIDENCE --json` says."""
    from fractions import Fraction

    from scoring.check.view import show_points

    r = CliRunner().invoke(main, ["check", str(evidence), "--as-of", "2026-11-20", "--json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    expected = json.loads(r.stdout)
    page.goto(page.base + "/check")
    shot(page, "check-form")
    page.locator('input[name="as_of"]').fill("2026-11-20")
    page.set_input_files("#evidence", str(upload))
    page.locator("#submit").click()
    page.wait_for_load_state("load")
    assert page.locator("#total").inner_text() == show_points(Fraction(expected["unit"]["total"]["exact"]))
    assert page.locator("#grade").inner_text() == expected["unit"]["grade"]
    assert expected["unit"]["name"] in page.locator("#unit-name").inner_text()
    shot(page, name)
    assert page.problems == []


def test_uploading_a_filled_template_shows_the_units_check(page, tmp_path):
    book = fill_unit_workbook(SAMPLE / "QC-SZ-04", tmp_path)
    upload_and_check(page, book, book, "check-result")


def test_uploading_a_zip_of_a_unit_folder_shows_the_units_check(page, tmp_path):
    folder = SAMPLE / "QC-SZ-02"
    upload = tmp_path / "QC-SZ-02.zip"
    with zipfile.ZipFile(upload, "w") as zf:
        for f in folder.iterdir():
            zf.write(f, f"QC-SZ-02/{f.name}")
    upload_and_check(page, upload, folder, "check-result-zip")


def test_a_zip_with_entries_outside_its_folder_is_refused(page, tmp_path):
    bad = tmp_path / "单位底稿.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("unit/unit.yaml", "unit_id: X\n")
        zf.writestr("../../evil.csv", "a,b\n")
    page.goto(page.base + "/check")
    page.set_input_files("#evidence", str(bad))
    page.locator("#submit").click()
    page.wait_for_load_state("load")
    errors = page.locator("#errors").inner_text()
    assert "../../evil.csv" in errors and "指向文件夹之外" in errors and "已拒绝" in errors
    shot(page, "check-refused")


def test_the_ranking_workbook_downloads_from_the_round_page(page, demo, tmp_path):
    from openpyxl import load_workbook

    folder, _ = demo
    page.goto(page.base + f"/round?name={ROUND1}")
    with page.expect_download() as info:
        page.locator("#dl-ranking").click()
    assert info.value.suggested_filename == f"{ROUND1}_ranking.xlsx"
    info.value.save_as(tmp_path / "ranking.xlsx")
    got = load_workbook(tmp_path / "ranking.xlsx", read_only=True)
    want = load_workbook(folder / "round1" / "ranking.xlsx", read_only=True)
    assert got.sheetnames == want.sheetnames
    first = got.sheetnames[0]
    assert [list(r) for r in got[first].iter_rows(values_only=True)] == \
        [list(r) for r in want[first].iter_rows(values_only=True)]
