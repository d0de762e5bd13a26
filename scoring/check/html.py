"""The self-check as one self-contained HTML file (inline CSS and JS, no network, A4 print).

Rendered with Jinja2, autoescape on: evidence text (messages, ids, file names)
is always text in the page, never markup.
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from scoring.check.view import POINT_KINDS, CheckView, IndicatorView, show_points
from scoring.evidence.schema import TABLES

TEMPLATES = Path(__file__).parent / "templates"

STATE_ZH = {"not_applicable": "不适用", "cannot_check": "无法核验", "not_provided": "未提供底稿", "scored": "已评分"}
KIND_ZH = {"cannot_check": "无法核验", "note": "提示", "deduction": "扣分", "veto": "否决",
           "not_provided": "未提供底稿"}


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
    env.globals.update(state_zh=lambda s: STATE_ZH.get(s, s), kind_zh=lambda k: KIND_ZH.get(k, k),
                       table_zh=_table_zh, top_vetoed=_top_vetoed, point_kinds=POINT_KINDS)
    return env


def render_html(view: CheckView) -> str:
    return environment().get_template("check.html.j2").render(v=view)


def write_html(view: CheckView, path: str | Path) -> Path:
    """Write the page atomically: a temp file beside the target, moved into place when complete."""
    target = Path(path)
    text = render_html(view)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
