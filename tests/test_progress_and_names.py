"""Progress reports for long solves (issue 10): the polynomial method reports support systems
solved, the registry hands ``progress`` only to methods that take it, and ``solve`` draws a bar
on stderr only when it is a terminal (and not ``--quiet``)."""
import io
import itertools

import numpy as np
from click.testing import CliRunner

from solver.api import solve
from solver.cli import main
from solver.commands import solve as solve_module
from solver.equilibria import registry
from solver.equilibria.polynomial import enumerate_polynomial
from solver.model.normal import NormalFormGame
from solver.present import progress


def matching_pennies_3() -> np.ndarray:
    payoffs = np.zeros((3, 2, 2, 2), dtype=object)
    for a, b, c in np.ndindex(2, 2, 2):
        payoffs[0, a, b, c], payoffs[1, a, b, c], payoffs[2, a, b, c] = int(a == b), int(b == c), int(c != a)
    return payoffs


class Reports(list):
    def __call__(self, what, done, total):
        self.append((what, done, total))


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_polynomial_reports_done_out_of_total():
    reports = Reports()
    result = enumerate_polynomial(matching_pennies_3(), progress=reports)
    assert result.complete and reports
    totals = {total for _, _, total in reports}
    assert len(totals) == 1 and totals.pop() > 0
    done = [d for _, d, _ in reports]
    assert done == sorted(done) and done[0] == 0 and done[-1] == reports[-1][2]


def test_float_payoffs_report_too():
    reports = Reports()
    payoffs = matching_pennies_3().astype(float) + np.pi / 1000       # not small-denominator rationals
    enumerate_polynomial(payoffs, progress=reports)
    assert reports and reports[-1][1] == reports[-1][2]


def test_registry_passes_progress_only_where_accepted():
    game = NormalFormGame.from_arrays(["A", "B"], [["C", "D"], ["C", "D"]], [[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    reports = Reports()
    assert registry.run("enumerate", game.evaluated(), progress=reports).complete    # takes no progress
    assert reports == []
    three = NormalFormGame(("A", "B", "C"), (("h", "t"),) * 3, matching_pennies_3())
    registry.run("polynomial", three, progress=reports)
    assert reports and reports[-1][1] == reports[-1][2]


def test_api_solve_passes_progress():
    reports = Reports()
    three = NormalFormGame(("A", "B", "C"), (("h", "t"),) * 3, matching_pennies_3())
    solution = solve(three, method="polynomial", progress=reports)
    assert solution.complete and reports


def _nfg(tmp_path) -> str:
    payoffs = matching_pennies_3()
    flat = [str(payoffs[i, a, b, c]) for c, b, a in itertools.product(range(2), repeat=3) for i in range(3)]
    path = tmp_path / "pennies.nfg"
    path.write_text('NFG 1 R "pennies" { "A" "B" "C" } { 2 2 2 }\n' + " ".join(flat) + "\n")
    return str(path)


def _run(monkeypatch, tmp_path, stream, *extra) -> str:
    """Run ``solve`` with the progress bar drawing on ``stream``; what was drawn on it."""
    monkeypatch.setattr(progress, "DELAY_SECONDS", 0)
    monkeypatch.setattr(solve_module, "progress_bar", lambda quiet, _stderr: progress.progress_bar(quiet, stream))
    result = CliRunner().invoke(main, [_nfg(tmp_path), "--method", "polynomial", *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return stream.getvalue()


def test_cli_draws_on_a_terminal(monkeypatch, tmp_path):
    drawn = _run(monkeypatch, tmp_path, Terminal())
    assert "solving support systems [" in drawn and drawn.endswith("\n")


def test_cli_draws_nothing_on_a_plain_stream_or_when_quiet(monkeypatch, tmp_path):
    assert _run(monkeypatch, tmp_path, io.StringIO()) == ""
    assert _run(monkeypatch, tmp_path, Terminal(), "--quiet") == ""
