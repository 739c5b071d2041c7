"""``solve methods``: the algorithms and when each applies."""
from __future__ import annotations

import click

from solver.api import METHODS


@click.command("methods")
def methods_command():
    """List the solution methods and when each one applies.

    \b
    Example:
      solve methods
    """
    width = max(len(m) for m in METHODS)
    for name, text in METHODS.items():
        click.echo(f"{name:<{width}}  {text}")
