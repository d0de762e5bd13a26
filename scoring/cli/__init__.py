"""The `zwgk` command line: every command lives in this package, one module each.

Commands are thin: parse options, call one library function, print. The group
imports a command's module only when that command runs (``zwgk deadline`` does
not import pandas or the crawler); ``COMMANDS`` is the one list of them.

To add a command: write ``scoring/cli/NAME.py`` with a click command (or group)
and add one line to ``COMMANDS``.
"""

from __future__ import annotations

import importlib

import click

from scoring import __version__

#: command name -> "module:attribute" of its click command, in the order of ``zwgk --help``
COMMANDS: dict[str, str] = {
    "assess": "scoring.cli.assess:assess_cmd",
    "report": "scoring.cli.report:report",
    "check": "scoring.cli.check:check",
    "validate": "scoring.cli.validate:validate",
    "template": "scoring.cli.template:template",
    "collect": "scoring.cli.collect:collect",
    "annual-report": "scoring.cli.annual_report:annual_report",
    "rubric": "scoring.cli.rubric:rubric_group",
    "deadline": "scoring.cli.deadline:deadline",
    "history": "scoring.cli.history:history_cmd",
    "diff": "scoring.cli.diff:diff_cmd",
    "recheck": "scoring.cli.recheck:recheck",
    "overdue": "scoring.cli.overdue:overdue",
    "cache": "scoring.cli.scale:cache_group",
    "monitor": "scoring.cli.monitor:monitor_group",
    "serve": "scoring.cli.serve:serve",
}


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module only when it is used."""

    def __init__(self, *args, lazy_commands: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*self.lazy_commands, *sorted(super().list_commands(ctx))]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy_commands:
            return self._load(name)
        return super().get_command(ctx, name)

    def _load(self, name: str) -> click.Command:
        module_name, attr = self.lazy_commands[name].split(":")
        command = getattr(importlib.import_module(module_name), attr)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.lazy_commands[name]} is not a click command")
        return command


@click.group(cls=LazyGroup, lazy_commands=COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zwgk")
def main() -> None:
    """zwgk — 政务公开第三方测评评分引擎（离线）。"""
