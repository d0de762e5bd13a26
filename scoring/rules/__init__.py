"""Rule kinds: importing this package fills ``REGISTRY``."""

from scoring.rules.base import REGISTRY, RuleContext, RuleKind, RuleOutput, RuleParams, register

# importing the modules registers their kinds
from scoring.rules import (  # noqa: E402,F401  isort: skip
    catalog,
    site,
    documents,
    interpretations,
    requests,
    messages,
    annual_reports,
    annual_narrative,
    media,
    participation,
    website,
)

__all__ = ["REGISTRY", "RuleContext", "RuleKind", "RuleOutput", "RuleParams", "register"]

from scoring.rules.plugins import load_plugins  # noqa: E402

load_plugins()
