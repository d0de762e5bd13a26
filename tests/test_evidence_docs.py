"""docs/EVIDENCE.md is the declarations of scoring/evidence/schema.py, rendered; the docs stand alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scoring.evidence.docs import render
from scoring.evidence.schema import OUTCOMES, TABLES, VALIDITY

ROOT = Path(__file__).resolve().parents[1]


def test_evidence_md_is_what_the_declarations_render():
    on_disk = (ROOT / "docs" / "EVIDENCE.md").read_text(encoding="utf-8")
    assert on_disk == render(), "docs/EVIDENCE.md 已过期：运行 make docs（python -m scoring.evidence.docs > docs/EVIDENCE.md）"


def test_the_generator_runs_as_a_module_and_writes_utf8():
    out = subprocess.run([sys.executable, "-m", "scoring.evidence.docs"], capture_output=True, check=True).stdout
    assert out.decode("utf-8") == render()


def test_every_table_and_column_is_documented_with_both_names_type_example_and_blank_meaning():
    text = render()
    for t in TABLES.values():
        assert t.purpose and t.keys and set(t.keys) <= set(t.column_names), t.name
        heading = f"### {t.alias}（`{t.name}`）"
        assert heading in text
        section = text.split(heading, 1)[1].split("\n### ", 1)[0]
        for c in t.columns:
            assert c.example, f"{t.name}.{c.name} has no example"
            row = next(line for line in section.splitlines() if line.startswith(f"| `{c.name}` | {c.alias} |"))
            assert c.example in row
            assert c.type_name in row and c.blank_meaning in row


def test_enumerations_the_loader_enforces_are_declared_on_their_columns():
    assert TABLES["requests"].column("outcome").values == OUTCOMES
    assert TABLES["documents"].column("validity").values == VALIDITY
    assert not TABLES["requests"].column("outcome").open_values
    assert "县区政府" in TABLES["units"].column("kind").values


def test_readme_and_docs_refer_to_no_file_outside_the_repository():
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        assert "shared/" not in text, path.name
        for outside in ("CONTRACT.md", "DOMAIN.md", "RUBRIC.md"):
            assert outside not in text, f"{path.name} mentions {outside}"


def test_readme_points_to_the_evidence_reference():
    assert "docs/EVIDENCE.md" in (ROOT / "README.md").read_text(encoding="utf-8")
