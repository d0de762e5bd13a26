"""The self-check as one self-contained HTML file (inline CSS and JS, no network, A4 print).

Rendered with Jinja2, autoescape on: evidence text (messages, ids, file names)
is always text in the page, never markup.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from scoring.check.view import POINT_KINDS, CheckView, IndicatorView
from scoring.evidence.schema import TABLES
from scoring.results import FINDING_KIND_ZH, STATE_ZH, show_points
from scoring.staging import write_atomic

TEMPLATES = Path(__file__).parent / "templates"



def _table_zh(name: str) -> str:
    spec = TABLES.get(name)
    return f"{spec.alias}（{name}）" if spec is not None and getattr(spec, "alias", None) else name


def _top_vetoed(top: IndicatorView) -> bool:
    return any(node.veto for node in top.walk())


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["pts"] = show_points
    env.globals.update(state_zh=lambda s: STATE_ZH.get(s, s), kind_zh=lambda k: FINDING_KIND_ZH.get(k, k),
                       table_zh=_table_zh, top_vetoed=_top_vetoed, point_kinds=POINT_KINDS)
    return env


def render_html(view: CheckView) -> str:
    return environment().get_template("check.html.j2").render(v=view)


def write_html(view: CheckView, path: str | Path) -> Path:
    """Write the page atomically: a temp file beside the target, moved into place when complete."""
    text = render_html(view)
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
