"""How numbers and tables read in every presenter.

Numbers: :func:`number` is ``solver.core.numbers.format_number`` (exact fractions stay fractions,
floats are rounded) with two things people need on top: a decimal written as a fraction with a
large denominator reads as a decimal again (``7247/1000`` → ``7.247``), and a real minus sign
(``−``) where the text is prose rather than something to copy. :func:`number_with_decimal` adds
``(≈0.778)`` to fractions that are hard to read.

Tables: :func:`columns` pads every column but the last to its widest cell; :func:`box_table` draws
a header and a rule with box-drawing characters; :func:`markdown_table` writes a Markdown table.

>>> number(Fraction(3, 10)), number(Fraction(7247, 1000)), number(Fraction(-20, 27), MINUS)
('3/10', '7.247', '−20/27')
>>> number_with_decimal(Fraction(1, 2)), number_with_decimal(Fraction(7, 9))
('1/2', '7/9 (≈0.778)')
>>> print("\\n".join(box_table(["Row ╲ Column", "L"], [["Top", "1, 2"]])))
Row ╲ Column │ L
─────────────┼─────
Top          │ 1, 2
>>> print("\\n".join(markdown_table(["a", "b"], [["1", "x|y"]])))
| a | b |
| --- | --- |
| 1 | x\\|y |
"""
from __future__ import annotations

import decimal
import itertools
from fractions import Fraction
from typing import Sequence

import numpy as np

from solver.core.numbers import format_number

MINUS = "−"
HYPHEN = "-"
#: A fraction with a terminating decimal and a denominator above this reads as a decimal.
DECIMAL_DENOMINATOR = 20
#: Beyond this many decimal places such a decimal is a float in disguise: it is rounded.
MAX_DECIMALS = 6


def _terminating(denominator: int) -> bool:
    for p in (2, 5):
        while denominator % p == 0:
            denominator //= p
    return denominator == 1


def number(value, minus: str = HYPHEN) -> str:
    """A number for people: ``format_number``, except that a fraction with a terminating decimal
    and a large denominator is written as that decimal (rounded to 6 significant digits when it
    has more than 6 decimals); ``minus`` is the sign written before negative numbers."""
    if isinstance(value, np.integer):
        value = int(value)
    text = format_number(value)
    if isinstance(value, (Fraction, int)):
        value = Fraction(value)
        if value.denominator > DECIMAL_DENOMINATOR and _terminating(value.denominator):
            with decimal.localcontext() as context:
                context.prec = 60
                text = format(decimal.Decimal(value.numerator) / decimal.Decimal(value.denominator), "f")
            if len(text.split(".")[-1]) > MAX_DECIMALS:
                text = format_number(float(value), MAX_DECIMALS)
    return minus + text[1:] if text.startswith(HYPHEN) else text


def number_with_decimal(value, exact: bool = True) -> str:
    """A payoff or probability in a report: an exact fraction stays a fraction, with its decimal
    beside it when the fraction is hard to read (``7/9 (≈0.778)``); ``exact=False`` writes
    fractions as decimals."""
    if not isinstance(value, (Fraction, int)):
        return format_number(value)
    value = Fraction(value)
    if value.denominator == 1:
        return str(value)
    if not exact:
        return format_number(float(value))
    if Fraction(round(float(value), 3)).limit_denominator(1000) == value:
        return str(value)     # 1/2, 3/8: the fraction is as clear as a decimal
    return f"{value} (≈{format_number(float(value), 3)})"


def columns(rows: Sequence[Sequence[str]], gaps: str | Sequence[str] = "  ", indent: str = "") -> list[str]:
    """One line a row, every column but the last padded to its widest cell; ``gaps`` is the text
    between columns (one for all, or one a gap). Trailing spaces are dropped."""
    count = max((len(r) for r in rows), default=0)
    gaps = [gaps] * max(0, count - 1) if isinstance(gaps, str) else list(gaps)
    widths = [max((len(r[c]) for r in rows if c < len(r)), default=0) for c in range(count)]
    lines = []
    for row in rows:
        cells = [cell.ljust(widths[c]) if c < len(row) - 1 else cell for c, cell in enumerate(row)]
        text = cells[0] + "".join(gap + cell for gap, cell in zip(gaps, cells[1:]))
        lines.append((indent + text).rstrip())
    return lines


def box_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A table for terminals: columns separated by ``│``, a rule of ``─┼─`` under the header."""
    lines = columns([header, *rows], " │ ")
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    return [lines[0], "─┼─".join("─" * w for w in widths), *lines[1:]]


def _markdown_cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown table; cells are escaped (``|``, line breaks)."""
    def line(cells):
        return "| " + " | ".join(_markdown_cell(c) for c in cells) + " |"
    return [line(header), "| " + " | ".join("---" for _ in header) + " |", *(line(r) for r in rows)]


def matrix_pages(shape: Sequence[int]) -> list[tuple[int, ...]]:
    """A payoff tensor laid out as 2-D tables: every profile of players 3.. (one table each); for
    two players one empty profile."""
    return list(itertools.product(*(range(n) for n in shape[2:])))
