"""The `zwgk check --html` page in a real headless Chromium: what a unit's staff see and click.

Needs the Debian ``chromium`` package and Playwright for Python (``pip install playwright``;
never ``playwright install``: the system chromium is used). Skips, saying which is missing,
when either is absent. ``.ci/run`` installs chromium when CI=true.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from browser_helpers import chromium_context
from check_helpers import (
    AS_OF,
    HOSTILE_COLUMN,
    LATE_REQUEST,
    UNIT_NAME,
    expected_total,
    write_rubric,
    write_unit,
)
from scoring.check.view import show_points
from scoring.cli import main

pytestmark = pytest.mark.browser

#: one copy for a person to look at after the run
SCREENSHOT = Path("/tmp/check-screenshot.png")

@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, dict]:
    """The HTML page of a unit with a veto and findings, and the same check as JSON."""
    root = tmp_path_factory.mktemp("check-html")
    unit, rubric = write_unit(root / "evidence"), write_rubric(root)
    html = root / "自查报告.html"
    args = ["check", str(unit), "--rubric", str(rubric), "--as-of", AS_OF]
    res = CliRunner().invoke(main, [*args, "--html", str(html)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    doc = json.loads(CliRunner().invoke(main, [*args, "--json"], catch_exceptions=False).stdout)
    return html, doc


@pytest.fixture(scope="module")
def browser_context():
    with chromium_context(1100) as ctx:
        # the page is self-contained: any request leaving file:// is a failure
        ctx.route("http*://**/*", lambda route: route.abort())
        yield ctx


@pytest.fixture
def page(browser_context, report):
    html, _ = report
    pg = browser_context.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    pg.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.on("request", lambda r: problems.append(f"request: {r.url}") if not r.url.startswith(("file:", "data:")) else None)
    pg.goto(html.as_uri())
    pg.wait_for_load_state("load")
    pg.problems = problems
    yield pg
    pg.close()


def test_the_page_shows_the_unit_total_and_grade_of_the_check(page, report):
    _, doc = report
    assert page.locator("#total").inner_text() == show_points(expected_total())
    assert page.locator("#total").inner_text() == show_points(Fraction(doc["unit"]["total"]["exact"]))
    assert page.locator("#grade").inner_text() == doc["unit"]["grade"]
    assert UNIT_NAME in page.locator("#unit-name").inner_text()
    assert page.problems == []


def test_the_veto_is_shown_before_everything_else(page):
    veto = page.locator("#vetoes")
    assert veto.is_visible()
    assert "单项否决" in veto.inner_text() and "A2" in veto.inner_text()
    first_fix = page.locator("#fixes > li").first
    assert "【否决】" in first_fix.inner_text()


def test_a_finding_shows_its_evidence_id_and_expands_on_click(page, tmp_path):
    finding = page.locator(f'details.finding[data-ref="{LATE_REQUEST}"]')
    assert finding.count() == 1
    assert LATE_REQUEST in finding.locator("summary").inner_text()
    body = finding.locator(".body")
    assert not body.is_visible()
    finding.locator("summary").click()
    assert body.is_visible()
    text = body.inner_text()
    assert "依申请公开.csv 第2行" in text and "严格在法定期限内答复" in text
    assert finding.evaluate("d => d.open") is True
    page.screenshot(path=str(tmp_path / "check.png"), full_page=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert (tmp_path / "check.png").stat().st_size > 0
    assert page.problems == []


def test_expand_all_opens_every_finding(page):
    page.locator("#expand-all").click()
    states = page.locator("details.finding").evaluate_all("ds => ds.map(d => d.open)")
    assert states and all(states)
    page.locator("#collapse-all").click()
    assert not any(page.locator("details.finding").evaluate_all("ds => ds.map(d => d.open)"))


def test_evidence_text_is_shown_as_text_never_run_as_markup(page):
    ref = page.locator("details.finding").filter(has_text="alert(").locator(".ref").first
    assert ref.inner_text() == HOSTILE_COLUMN
    assert page.locator("body script").count() == 1          # only the page's own script
    assert page.problems == []                                 # no alert() dialog


def test_the_fix_list_is_in_the_order_of_points_recoverable(page, report):
    _, doc = report
    items = page.locator("#fixes > li").all_inner_texts()
    assert len(items) == len(doc["fixes"])
    for text, fix in zip(items, doc["fixes"]):
        assert fix["indicator_id"] in text and (fix["ref"] == "" or fix["ref"].split("、")[0] in text)


def test_the_page_prints_on_a4(page, tmp_path):
    page.emulate_media(media="print")
    assert not page.locator(".toolbar").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert page.problems == []
