"""The registry of rule kinds: every RUBRIC.md rule has a documented kind with strict parameters."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from scoring.rules import REGISTRY
from scoring.rules.doc import SECTIONS, parse_doc, render

PLANNED = {
    "catalog_required_columns", "blank_columns", "stale_columns", "site_availability", "document_fields",
    "publication_timeliness", "interpretation_coverage", "interpretation_elements", "interpretation_timeliness",
    "interpretation_forms", "interpretation_linked", "request_timeliness", "request_correction_timeliness",
    "request_reply_standard", "message_timeliness", "message_long_unanswered", "annual_report_on_time",
    "annual_report_identities",
}


def test_every_rubric_rule_has_a_registered_kind():
    assert PLANNED <= set(REGISTRY)


@pytest.mark.parametrize("name", sorted(PLANNED))
def test_each_kind_documents_what_why_a_pass_and_a_fail(name):
    title, sections = parse_doc(REGISTRY[name])
    assert title and all(sections[s] for s in SECTIONS)


@pytest.mark.parametrize("name", sorted(PLANNED - {"document_fields"}))
def test_a_misspelt_parameter_is_rejected(name):
    with pytest.raises(ValidationError, match="per_itme"):
        REGISTRY[name].params(per_itme=1)


def test_rules_md_is_generated_from_the_code():
    assert (Path(__file__).parent.parent / "docs" / "RULES.md").read_text(encoding="utf-8") == render()
