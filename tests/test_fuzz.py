"""The mutation fuzzer (``tests/fuzz.py``) in the test suite: a fixed budget of seeded cases, and
every failure it ever found replayed from ``tests/data/fuzz_regressions/``.

A failure prints the seed and case index (``python -m tests.fuzz --seed S --only I`` reruns it)
and the mutated file. Signatures listed in ``tests/data/fuzz_regressions/known_failures.txt`` are
tolerated, each with the reason it is there; that list is meant to be emptied, never grown
silently.
"""
import glob
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGRESSIONS = os.path.join(ROOT, "tests", "data", "fuzz_regressions")
#: The CI budget: cases of the fixed seed, run by two worker processes.
CASES, SEED = 1000, 20261202


def fuzz(*args, timeout):
    return subprocess.run([sys.executable, "-m", "tests.fuzz", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def explain_failures(output: str, saved_in: str) -> str:
    """The fuzzer's report with each saved (shrunk) mutant and its command appended."""
    parts = [output]
    for record in sorted(glob.glob(os.path.join(saved_in, "*.json"))):
        with open(record, encoding="utf-8") as handle:
            data = json.load(handle)
        with open(os.path.join(saved_in, data["file"]), encoding="utf-8", errors="replace") as handle:
            parts.append(f"--- {data['file']} (seed {data['seed']}, case {data['index']}, {data['commands']}):\n{handle.read()[:2000]}")
    return "\n".join(parts)


def test_fuzz_budget(tmp_path):
    result = fuzz("--cases", str(CASES), "--seed", str(SEED), "--jobs", "2", "--save", str(tmp_path), "--allow-known", timeout=1800)
    assert result.returncode == 0, explain_failures(result.stdout + result.stderr, str(tmp_path))
    assert f"{CASES} cases" in result.stdout


def test_fuzz_regressions_replay():
    saved = glob.glob(os.path.join(REGRESSIONS, "*.json"))
    assert saved, "the regression folder holds the failures the fuzzer found"
    result = fuzz("--replay", REGRESSIONS, "--jobs", "2", "--allow-known", timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(saved)} cases" in result.stdout


def test_fuzz_detects_tracebacks_and_hangs(tmp_path):
    """The fuzzer fails on a command that raises, and stops and reports one that hangs (the
    worker's command is replaced by a deliberately broken one)."""
    for kind, expected in (("crash", "FAIL traceback: RuntimeError"), ("hang", "FAIL hang")):
        env = dict(os.environ, FUZZ_SELF_TEST=kind)
        result = subprocess.run([sys.executable, "-m", "tests.fuzz", "--cases", "1", "--seed", "1", "--jobs", "1", "--save", "",
                                 "--hard-limit", "3"], cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
        assert result.returncode == 1, result.stdout
        assert expected in result.stdout, result.stdout
