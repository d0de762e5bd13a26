"""zwgk — 政务公开第三方测评评分引擎."""

__version__ = "0.1.0"


def __getattr__(name: str):
    """``scoring.score``: the library entry point, imported on first use (keeps ``import scoring`` light)."""
    if name == "score":
        from scoring.api import score

        return score
    raise AttributeError(f"module 'scoring' has no attribute {name!r}")
