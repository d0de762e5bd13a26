"""Rubric files (评分细则): model and loader."""

from scoring.rubric.load import DEFAULT_RUBRIC, LoadedRubric, RubricError, RubricIssue, load_rubric

__all__ = ["DEFAULT_RUBRIC", "LoadedRubric", "RubricError", "RubricIssue", "load_rubric"]
