"""Click commands, one module each; ``solver.cli`` assembles them into the ``solve`` group."""
