"""The command line's one home: every command listed once, loaded only when used."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import scoring
from scoring.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent


def test_help_lists_every_command_once():
    out = CliRunner().invoke(main, ["--help"]).output
    for name in COMMANDS:
        assert out.count(f"  {name} ") == 1, name


def test_every_command_module_loads_and_has_chinese_help():
    runner = CliRunner()
    for name in COMMANDS:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in result.output), name


def test_deadline_does_not_load_pandas_or_the_crawler():
    code = ("import sys; from scoring.cli import main\n"
            "try:\n    main(['deadline', '2026-09-24'])\nexcept SystemExit:\n    pass\n"
            "print('\\n' + ','.join(m for m in ('pandas', 'httpx', 'scoring.collect.crawler', 'openpyxl')"
            " if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert "2026-10-29" in done.stdout
    loaded_heavy_modules = done.stdout.splitlines()[-1]
    assert loaded_heavy_modules == ""


def test_score_from_python_equals_the_assess_command(tmp_path):
    results = scoring.score(ROOT / "sample_units", as_of=dt.date(2026, 11, 20))
    CliRunner().invoke(main, ["assess", str(ROOT / "sample_units"), "--as-of", "2026-11-20",
                              "--out", str(tmp_path), "--no-reports"], catch_exceptions=False)
    written = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    by_unit = {u["unit_id"]: u["total"] for u in written["units"]}
    assert {u.unit_id: u.model_dump(mode="json")["total"] for u in results.units} == by_unit
    assert len(by_unit) == 10
