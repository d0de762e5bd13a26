"""The registry of rule kinds: every RUBRIC.md rule has a registered kind, and every registered kind
documents what and why, rejects unknown parameters and is what docs/RULES.md describes."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from scoring.rules import REGISTRY
from scoring.rules.doc import SECTIONS, parse_doc, render

#: the rule kinds the shipped rubric's indicators (RUBRIC.md) need
RUBRIC_RULES = {
    "catalog_required_columns", "blank_columns", "stale_columns", "site_availability", "document_fields",
    "publication_timeliness", "interpretation_coverage", "interpretation_elements", "interpretation_timeliness",
    "interpretation_forms", "interpretation_linked", "request_timeliness", "request_correction_timeliness",
    "request_reply_standard", "message_timeliness", "message_long_unanswered", "annual_report_on_time",
    "annual_report_identities",
}
KINDS = sorted(REGISTRY)


def test_every_rubric_rule_has_a_registered_kind():
    assert RUBRIC_RULES <= set(REGISTRY)


@pytest.mark.parametrize("name", KINDS)
def test_each_kind_documents_what_and_why(name):
    title, sections = parse_doc(REGISTRY[name])
    assert title and all(sections[s] for s in SECTIONS)


@pytest.mark.parametrize("name", KINDS)
def test_each_kind_needs_known_evidence_tables(name):
    from scoring.evidence.schema import TABLES

    assert REGISTRY[name].needs and set(REGISTRY[name].needs) <= set(TABLES)


@pytest.mark.parametrize("name", KINDS)
def test_a_misspelt_parameter_is_rejected(name):
    with pytest.raises(ValidationError, match="per_itme"):
        REGISTRY[name].params(per_itme=1)


def test_rules_md_is_generated_from_the_code_and_the_cases():
    doc = Path(__file__).parent.parent / "docs" / "RULES.md"
    assert doc.read_text(encoding="utf-8") == render(), "docs/RULES.md 已过期：python -m scoring.rules.doc > docs/RULES.md"
