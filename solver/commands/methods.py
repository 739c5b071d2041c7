"""``solve methods``: the algorithms and when each applies."""
from __future__ import annotations

import click

from solver.equilibria.registry import method_summaries
from solver.present.table import columns


@click.command("methods")
def methods_command():
    """List the solution methods and when each one applies.

    \b
    Example:
      solve methods
    """
    click.echo("\n".join(columns(list(method_summaries().items()))))
