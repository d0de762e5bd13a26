"""Rule kinds from other installed packages (entry-point group ``zwgk.rules``).

A package that declares, in its pyproject.toml::

    [project.entry-points."zwgk.rules"]
    my_rules = "my_package.rules"

has ``my_package.rules`` imported when the registry is first used; the module
registers its kinds with ``scoring.rules.register`` exactly as the built-in
modules do, and a rubric names them in ``rule:`` like any other kind. A
plugin that cannot be loaded (an import error, a kind name already taken) is
left out and named in ``PLUGIN_PROBLEMS``; a rubric that uses one of its
kinds then fails to load as "unknown rule kind", with the problem quoted.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

GROUP = "zwgk.rules"

#: one Chinese sentence per plugin that could not be loaded
PLUGIN_PROBLEMS: list[str] = []


def load_plugins() -> list[str]:
    """Import every ``zwgk.rules`` entry point; the names of the plugins loaded."""
    loaded = []
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        try:
            importlib.import_module(ep.value.split(":")[0])
        except Exception as exc:  # a broken plugin must not take the built-in kinds down with it
            where = f"{ep.dist.name} " if ep.dist is not None else ""
            PLUGIN_PROBLEMS.append(f"规则插件 {where}{ep.name}（{ep.value}）无法加载：{type(exc).__name__}: {exc}")
            continue
        loaded.append(ep.name)
    return loaded
