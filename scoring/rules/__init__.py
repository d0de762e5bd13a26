"""Rule kinds: importing this package fills ``REGISTRY``."""

from scoring.rules.base import REGISTRY, RuleContext, RuleKind, RuleOutput, RuleParams, register

__all__ = ["REGISTRY", "RuleContext", "RuleKind", "RuleOutput", "RuleParams", "register"]
