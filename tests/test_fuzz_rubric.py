"""Fuzz: `zwgk rubric validate` on random rubric YAML answers exit 0, or exit 2 naming the file.

Random edits of a valid rubric (values, dropped keys, repeated items) and hostile YAML
fragments (mapping keys, alias bombs, deep nesting, tags, bad dates). Small budget by
default; `make fuzz` (ZWGK_FUZZ=long) runs many more examples.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import check_helpers as ch
import fuzz_helpers as fz
from scoring.cli import main

with tempfile.TemporaryDirectory() as _tmp:
    BASE_TEXT = ch.write_rubric(Path(_tmp)).read_text(encoding="utf-8")
BASE = yaml.safe_load(BASE_TEXT)

FRAGMENTS = [
    "? {a: 1}\n: 2\n", "? [1, 2]\n: x\n", "x: &a [*a]\n", "deep: " + "[" * 300 + "]" * 300 + "\n",
    "b0: &b0 [lol, lol]\nb1: &b1 [*b0, *b0, *b0, *b0, *b0, *b0, *b0, *b0]\nb2: &b2 [*b1, *b1, *b1, *b1, *b1, *b1, *b1]\n"
    "b3: &b3 [*b2, *b2, *b2, *b2, *b2, *b2, *b2, *b2]\nb4: &b4 [*b3, *b3, *b3, *b3, *b3, *b3, *b3, *b3]\n"
    "b5: &b5 [*b4, *b4, *b4, *b4, *b4, *b4, *b4, *b4]\nversion: [*b5]\n",
    "period: {start: 2026-02-30}\n", "period: {start: 2026-12-01, end: 2026-01-01}\n",
    "x: !!python/object/apply:os.system [echo]\n", "calendar: " + "c" * 3000 + "\n", "extends: \x00\n",
    "extends: " + "e" * 5000 + "\n", "extends: fuzz.yaml\n", "%YAML 9.9\n---\n", "---\na: 1\n---\nb: 2\n",
    "\t- tab\n", "x: 1e100000000\n", "x: " + "9" * 10000 + "\n", "x: 0x" + "f" * 5000 + "\n",
    "<<: {id: y}\n", "<<: 5\n", "x: '\n",
]


def _yaml_text(tree) -> str:
    try:
        return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, ValueError, TypeError):
        return BASE_TEXT


@st.composite
def rubric_texts(draw) -> str:
    text = _yaml_text(draw(fz.mutated(BASE)))
    if draw(st.booleans()):
        lines = text.splitlines(keepends=True)
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(FRAGMENTS)))
        text = "".join(lines)
    return text


def _validate_answers_cleanly(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.yaml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass"))
        with fz.bounded():
            r = CliRunner().invoke(main, ["rubric", "validate", str(path)])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code in (0, 2), r.output
    if r.exit_code == 2:
        assert "fuzz.yaml" in r.output, r.output
        assert len(r.output) < 60_000


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rubric_texts())
def test_fuzz_rubric_validate_on_edited_rubrics_exits_0_or_2(text):
    _validate_answers_cleanly(text)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_fuzz_rubric_validate_on_arbitrary_bytes_exits_0_or_2(raw):
    _validate_answers_cleanly(BASE_TEXT.encode("utf-8")[: len(raw)] + raw)
