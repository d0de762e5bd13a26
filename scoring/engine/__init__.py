"""The scoring engine: rules -> indicator scores -> totals, vetoes, bonus, grades, ranks."""

from scoring.engine.assess import assess, assessment_period, indicator_table
from scoring.engine.leaves import RuleError
from scoring.engine.write import write_outputs

__all__ = ["RuleError", "assess", "assessment_period", "indicator_table", "write_outputs"]
