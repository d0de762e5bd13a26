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
from scoring.check.cli import check  # noqa: E402
main.add_command(check)
from scoring.commands.assess import assess_cmd  # noqa: E402
from scoring.commands.rubric import rubric_group  # noqa: E402

main.add_command(assess_cmd)
main.add_command(rubric_group)

from scoring.collect.cli import collect  # noqa: E402
main.add_command(collect)
from scoring.annual_report.cli import annual_report  # noqa: E402

main.add_command(annual_report, name="annual-report")
from scoring.commands.report import report  # noqa: E402
main.add_command(report)
