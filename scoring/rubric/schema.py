"""The JSON Schema of the rubric format, generated from the pydantic models.

An editor with a YAML language server (VS Code, WPS/JetBrains plug-ins) reads
the first line of a shipped rubric::

    # yaml-language-server: $schema=rubric.schema.json

and then completes keys, lists the rule kinds with their documentation, and
checks each leaf's ``params`` against its kind's parameters. The schema is
generated, never written by hand: ``zwgk rubric schema`` prints it, and the
copy shipped beside the rubrics (``rubrics/rubric.schema.json``) is checked
against the generated one by a test.

A file with ``extends`` overrides only what it names (indicators merged by
id, ``remove: true`` drops one), so for such a file no key is required.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from scoring.rubric.model import Rubric

SCHEMA_FILE = "rubric.schema.json"
SCHEMA_LINE = f"# yaml-language-server: $schema={SCHEMA_FILE}"


def rubric_schema(registry: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a rubric file, with the rule kinds of ``registry``."""
    if registry is None:
        from scoring.rules import REGISTRY as registry
    full = Rubric.model_json_schema(mode="validation", by_alias=True)
    defs = full.pop("$defs")
    _describe_rule_kinds(defs["Indicator"], registry, defs)
    defs["Rubric"] = full
    defs["RubricExtension"] = _without_required(full, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "zwgk 评分细则（rubric）",
        "description": "zwgk 评分细则文件的格式；由 `zwgk rubric schema` 从程序的数据模型生成。",
        "if": {"required": ["extends"]},
        "then": {"$ref": "#/$defs/RubricExtension"},
        "else": {"$ref": "#/$defs/Rubric"},
        "$defs": defs,
    }


def _describe_rule_kinds(indicator: dict, registry: dict[str, Any], defs: dict) -> None:
    """``rule`` becomes an enum of the kinds; ``params`` is checked against the chosen kind's parameters."""
    names = sorted(registry)
    indicator["properties"]["rule"] = {
        "anyOf": [{"enum": names}, {"type": "null"}],
        "description": "规则类型（末级指标）：" + "、".join(names),
    }
    cases = []
    for name in names:
        params = registry[name].params.model_json_schema(mode="validation")
        for key, value in params.pop("$defs", {}).items():
            defs.setdefault(key, value)
        params["description"] = _first_line(registry[name].__doc__) or name
        cases.append({"if": {"properties": {"rule": {"const": name}}, "required": ["rule"]},
                      "then": {"properties": {"params": params}}})
    indicator["allOf"] = cases


def _without_required(schema: dict, defs: dict) -> dict:
    """A copy of the rubric schema for a file with ``extends``: nothing required, ``remove`` allowed."""
    patch = copy.deepcopy(schema)
    patch.pop("required", None)
    indicator = copy.deepcopy(defs["Indicator"])
    indicator.pop("required", None)
    indicator.pop("allOf", None)
    indicator["properties"]["remove"] = {"type": "boolean", "description": "true：删除被继承细则中的同 id 指标"}
    indicator["properties"]["children"] = {"type": "array", "items": {"$ref": "#/$defs/IndicatorExtension"}}
    defs["IndicatorExtension"] = indicator
    patch["properties"]["indicators"] = {"type": "array", "items": {"$ref": "#/$defs/IndicatorExtension"}}
    patch["properties"].pop("grades", None)
    patch["properties"]["grades"] = copy.deepcopy(schema["properties"]["grades"])
    patch["properties"]["grades"].pop("minItems", None)
    return patch


def _first_line(doc: str | None) -> str:
    return doc.strip().splitlines()[0].strip() if doc and doc.strip() else ""


def schema_text(registry: dict[str, Any] | None = None) -> str:
    """The schema as the shipped file holds it: stable key order, UTF-8, trailing newline."""
    return json.dumps(rubric_schema(registry), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
