"""Benchmark: the hostile files of issue 11's acceptance end quickly, in one line, in little memory.

    python benchmarks/bench_hostile.py [--repeats K] [--no-peer]

Each case is a small file written here: a YAML alias bomb (9^10 values if expanded), a payoff of
``9**9**9**9``, a 10,000-deep tree (.efg), and a two-player 5,000 × 5,000 game (.nfg, the outcome
form: 25 million profile entries, 50 MB). Each runs as the program (``python -m solver.cli
validate FILE`` and ``solve FILE``, subprocesses timed from before Python starts, so starting
Python and importing count) and the table gives the best wall time of ``--repeats`` runs, the
peak resident memory of the process (``ru_maxrss`` from ``wait4``), the exit status and the
first words of the message, which must be one line. The acceptance asks for under 2 s and
under 1 GB each.

The peer, in the same run: pygambit (when installed) reading the same Gambit files, in a
subprocess stopped after ``--cap`` seconds, with its time and peak memory, and ``python -c
pass`` for the cost of starting Python alone.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from benchmarks.common import fmt_ratio, fmt_time, machine_info, print_table  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NORMAL = ("title: t\nplayers: [A, B]\nstrategies: {{A: [a1, a2], B: [b1, b2]}}\npayoffs:\n"
          "  a1: {{b1: [{x}, 0], b2: [0, 0]}}\n  a2: {{b1: [0, 0], b2: [1, 1]}}\n")


def write_cases(directory: str) -> dict[str, str]:
    def save(name: str, text: str) -> str:
        path = os.path.join(directory, name)
        with open(path, "w") as handle:
            handle.write(text)
        return path

    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"b{i}: &a{i} [{', '.join(['*' + ('a' if i == 0 else f'a{i - 1}')] * 9)}]\n" for i in range(9))
    deep = 'EFG 2 R "deep" { "A" "B" } ""\n' + "".join(
        f'p "" {1 + k % 2} {k + 1} "" {{ "stop" "go" }} 0\nt "" 0\n' for k in range(10_000)) + 't "" 1 "end" { 1, 1 }\n'
    size = 5000
    labels = " ".join(f'"s{k}"' for k in range(size))
    large = (f'NFG 1 R "2 x 5000 x 5000" {{ "A" "B" }}\n\n{{ {{ {labels} }}\n{{ {labels} }}\n}}\n""\n\n'
             '{\n{ "x" 1, 0 }\n{ "y" 0, 1 }\n}\n' + "1 2 " * (size * size // 2) + "\n")
    return {"YAML alias bomb": save("bomb.yaml", NORMAL.format(x=1) + bomb),
            "payoff 9**9**9**9": save("power.yaml", NORMAL.format(x='"9**9**9**9"')),
            "10,000-deep tree": save("deep.efg", deep),
            "2 × 5,000 × 5,000 game": save("large.nfg", large)}


def run(command: list[str], cap: float) -> tuple[float, float, int | None, str]:
    """Wall seconds, peak resident MB, exit status (None when stopped at ``cap``) and stderr.
    The child is reaped with ``wait4`` here (not by Popen) to read its own peak memory."""
    with tempfile.TemporaryFile(mode="w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, text=True)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > cap:
                process.kill()
                os.wait4(process.pid, 0)
                return time.perf_counter() - started, float("nan"), None, ""
            time.sleep(0.005)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)      # reaped here; Popen must not wait again
        err.seek(0)
        return elapsed, usage.ru_maxrss / 1024, process.returncode, err.read()


def best(command: list[str], repeats: int, cap: float):
    runs = [run(command, cap) for _ in range(repeats)]
    wall = min(r[0] for r in runs)
    peak = max(r[1] for r in runs)
    status, err = runs[-1][2], runs[-1][3]
    return wall, peak, status, err


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cap", type=float, default=120.0, help="stop a run after this many seconds")
    parser.add_argument("--no-peer", action="store_true", help="skip pygambit")
    options = parser.parse_args()
    print(machine_info())
    start_python, _, _, _ = best([sys.executable, "-c", "pass"], options.repeats, options.cap)
    print(f"starting Python alone: {fmt_time(start_python)}")
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        cases = write_cases(directory)
        for name, path in cases.items():
            for command in ("validate", "solve"):
                wall, peak, status, err = best([sys.executable, "-m", "solver.cli", command, path], options.repeats, options.cap)
                lines = err.count("\n")
                message = err.strip().split("\n")[-1][:70] if err else ""
                rows.append([name, command, fmt_time(wall), f"{peak:.0f} MB", status, lines, message])
        print_table(["case", "command", "best wall", "peak memory", "exit", "stderr lines", "message"], rows)
        if options.no_peer:
            return
        try:
            import pygambit  # noqa: F401 - only to know whether the peer can run
        except ImportError:
            print("\npygambit is not installed: no peer run (pip install pygambit==16.7.0)")
            return
        peer_rows = []
        for name in ("10,000-deep tree", "2 × 5,000 × 5,000 game"):
            path = cases[name]
            reader = "read_efg" if path.endswith(".efg") else "read_nfg"
            ours, our_peak, _, _ = best([sys.executable, "-m", "solver.cli", "solve", path], 1, options.cap)
            wall, peak, status, err = best([sys.executable, "-c", f"import pygambit; pygambit.{reader}({path!r})"], 1, options.cap)
            shown = fmt_time(wall) if status is not None else f"> {options.cap:g} s"
            peer_rows.append([name, fmt_time(ours), f"{our_peak:.0f} MB", shown, f"{peak:.0f} MB",
                              "read" if status == 0 else "stopped" if status is None else f"exit {status}", fmt_ratio(wall, ours)])
        print(f"\npygambit {pygambit.__version__} reading the same file (one run each):")
        print_table(["case", "solve", "solve memory", "pygambit", "pygambit memory", "pygambit result", "ratio"], peer_rows)


if __name__ == "__main__":
    main()
