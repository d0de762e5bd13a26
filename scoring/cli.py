"""The `zwgk` command line: thin click commands over the library."""

from __future__ import annotations

import click

from scoring import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zwgk")
def main() -> None:
    """zwgk — 政务公开第三方测评评分引擎（离线）。"""


from scoring.commands.deadline import deadline  # noqa: E402

main.add_command(deadline)

# --- command registrations (one line each) ---
