"""The rubric format's JSON Schema: generated from the models, shipped beside the rubrics, used by editors."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from scoring.cli import main
from scoring.rubric.schema import SCHEMA_FILE, SCHEMA_LINE, schema_text

RUBRICS = Path(__file__).resolve().parent.parent / "rubrics"
SHIPPED = sorted(RUBRICS.glob("*.yaml"))


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((RUBRICS / SCHEMA_FILE).read_text(encoding="utf-8")))


def _as_json(path: Path) -> dict:
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_shipped_schema_is_the_generated_one():
    shipped = (RUBRICS / SCHEMA_FILE).read_text(encoding="utf-8")
    assert shipped == schema_text(), "rubrics/rubric.schema.json 已过期：运行 zwgk rubric schema --out rubrics/rubric.schema.json"


def test_rubric_schema_command_prints_the_schema():
    result = CliRunner().invoke(main, ["rubric", "schema"])
    assert result.exit_code == 0
    assert result.output == schema_text()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_rubric_names_the_schema_and_conforms(path):
    assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE
    errors = list(_validator().iter_errors(_as_json(path)))
    assert errors == []


def test_schema_flags_a_misspelt_parameter_and_an_unknown_rule_kind():
    rubric = _as_json(RUBRICS / "provincial-2026.yaml")
    bad = copy.deepcopy(rubric)
    leaf = bad["indicators"][0]["children"][0]
    leaf["params"]["per_itme"] = 1
    bad["indicators"][0]["children"][1]["rule"] = "blank_colums"
    paths = sorted(tuple(e.path) for e in _validator().iter_errors(bad))
    assert (*("indicators", 0, "children", 0), "params") in paths
    assert (*("indicators", 0, "children", 1), "rule") in paths


def test_a_rubric_that_extends_another_needs_no_complete_tree():
    child = {"id": "local-2026", "version": "1", "extends": "provincial-2026",
             "indicators": [{"id": "A", "children": [{"id": "A2", "remove": True}]}]}
    assert list(_validator().iter_errors(child)) == []
    child_missing_id_of_base = {"extends": "provincial-2026", "grades": []}
    assert list(_validator().iter_errors(child_missing_id_of_base)) == []
