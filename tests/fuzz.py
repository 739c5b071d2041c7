"""A seeded mutation fuzzer over the game files the project ships and reads.

Every file in ``games/`` and ``tests/data`` (the Gambit corpus included) is mutated: YAML files
structurally (keys and nodes dropped, duplicated, swapped, renamed, given the wrong type, numbers
made huge, tiny, negative, NaN, infinite or ``9**9**9``-style) and as text (lines dropped,
duplicated, swapped; tags, anchors, control characters, ``extends`` outside the game's folder);
``.nfg``/``.efg`` files token by token. Each case runs the command line in-process (click's
``CliRunner``) on ``validate``, ``solve --timeout 2`` and one of ``explain``/``convert`` (two
ninths of the cases each), ``draw`` and ``report`` (a ninth each), or ``explain``, ``draw`` or
``report`` with ``--concept pbe``/``sequential --timeout 2`` (a ninth each).

A case fails on an exception escaping a command (a traceback), an exit status other than 0 or 2,
or a command that overruns its deadline by the margin below. Cases run in worker processes that
the parent stops when a case overruns its hard limit (a hang in C code cannot be interrupted
from inside), so hangs are caught too. Every failure is saved (the mutated file, shrunk while it
still fails the same way, and the command) under ``tests/data/fuzz_regressions/``, where
``tests/test_fuzz.py`` replays it.

    python -m tests.fuzz --cases 2000 --seed 1 --jobs 2
    python -m tests.fuzz --replay tests/data/fuzz_regressions

A case is a pure function of (seed, index): ``--only INDEX`` reruns one.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGRESSIONS = os.path.join(ROOT, "tests", "data", "fuzz_regressions")
SOLVE_TIMEOUT = 2
#: A command may take its own deadline plus this long (the machine is shared) before it counts as hanging.
MARGIN = 6.0
#: A case (all its commands) that takes longer than this is stopped and counted as a hang.
HARD_LIMIT = 45.0
#: Worker memory cap: a run past it ends in MemoryError, which counts as a failure.
MEMORY_BYTES = 3 * 1024 ** 3

HOSTILE_NUMBERS = [
    "1e400", "-1e400", "1e-400", "1e-320", "1e308*10", "10**400", "9**9**9", "9**9**9**9", "2**-1074",
    "exp(1000)", "log(0)", "0**-1", "1/0", "sqrt(-2)", "sqrt(2)", "(-1)**(1/3)", ".nan", ".inf", "-.inf",
    "nan", "inf", "0", "-1", "-0.0", "1/3", "1e-300", "1e300", "99999999999999999999", "9" * 5000,
    "-" * 5000 + "1", "+".join(["x"] * 3000), "+".join(["1"] * 3000), "min(" * 400 + "1" + ",1)" * 400,
    "(" * 300 + "1" + ")" * 300, "2**2**2**2**2", "10**10**10", "1/3**200", "0.1**400", "(2**64)**(2**20)",
]
HOSTILE_TEXT = [
    "\x00", "\x07", "\x1b[31m", "\r", "\t", "\u2028", "\ufeff", "\\ud800", "é", "{", "}", "[", "]", ":", ": :",
    "&a", "*a", "*nosuch", "!!int abc", "!!timestamp abc", "!!float xyz", "!!python/name:os.system",
    "!!python/object/apply:os.system [echo hi]", "!!binary aGk=", "!!set {a, b}", "<<: {a: 1}", "? [a]", "---", "...",
    '"' + "x" * 6000 + '"', "'\\n\\x1b'",
]
HOSTILE_TOKENS = [
    "1e399", "-1e399", "1e-400", "1e-320", "99999999999999999999999", "1000000000000", "0", "-1", "1/0", "1/3",
    "nan", "inf", "9" * 5000, "{", "}", '""', '"\x00"', '"\\"', "p", "c", "t", "NFG", "EFG", "R", "D", "2", "1.5",
]


# ---- mutation ----------------------------------------------------------------------------------
def seed_files() -> list[str]:
    """Every game file the project ships or tests with, relative to the repository, sorted."""
    found = []
    for top in ("games", os.path.join("tests", "data")):
        for folder, dirs, files in os.walk(os.path.join(ROOT, top)):
            dirs[:] = sorted(d for d in dirs if d != "fuzz_regressions")
            for name in sorted(files):
                if name.endswith((".yaml", ".yml", ".nfg", ".efg")):
                    found.append(os.path.relpath(os.path.join(folder, name), ROOT))
    return found


def _paths(value, prefix=(), most=20_000):
    """Every (path, value) in a loaded YAML document, containers included; ``ValueError`` for a
    document with more than ``most`` values once aliases are expanded (or a cycle), so the
    parent and the memory-limited worker make the same mutants."""
    out, stack = [], [(prefix, value)]
    while stack:
        path, current = stack.pop()
        out.append((path, current))
        if len(out) > most:
            raise ValueError("too many values to mutate structurally")
        if isinstance(current, dict):
            stack.extend((path + (k,), v) for k, v in current.items())
        elif isinstance(current, list):
            stack.extend((path + (i,), v) for i, v in enumerate(current))
    return out


def _set(document, path, value):
    if not path:
        return value
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return document


def _structural(document, rng: random.Random):
    """One structural mutation of a loaded YAML document (returns the new document)."""
    paths = _paths(document)
    path, value = rng.choice(paths)
    kind = rng.randrange(9)
    if kind == 0 and path:                                     # drop a key or an item
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        del parent[path[-1]]
        return document
    if kind == 1 and isinstance(value, list) and value:       # duplicate an item
        value.insert(rng.randrange(len(value) + 1), json.loads(json.dumps(rng.choice(value), default=str)))
        return document
    if kind == 2:                                              # swap with another subtree
        other, other_value = rng.choice(paths)
        if path[:len(other)] != other and other[:len(path)] != path:
            _set(document, path, other_value)
            return _set(document, other, value)
        return document
    if kind == 3:                                              # the wrong type
        return _set(document, path, rng.choice([None, True, "text", 3, 2.5, [], {}, [1, 2], {"a": 1}, [[1, 2], [3]]]))
    if kind == 4 and isinstance(value, dict) and value:        # rename a key
        key = rng.choice(list(value))
        value[rng.choice([key + "s", key[:-1], "", "__x", "chance", "1", key.upper(), "x" * 300])] = value.pop(key)
        return document
    if kind == 5:                                              # graft a copy of another subtree
        _, other_value = rng.choice(paths)
        return _set(document, path, json.loads(json.dumps(other_value, default=str)))
    if kind == 6:                                              # wrap in a container
        return _set(document, path, rng.choice([[value], {"x": value}, [value, value]]))
    return _set(document, path, rng.choice(HOSTILE_NUMBERS))  # a hostile number


def _textual(text: str, rng: random.Random) -> str:
    """One mutation of a file's text."""
    lines = text.split("\n")
    kind = rng.randrange(9)
    k = rng.randrange(len(lines))
    if kind == 0:
        del lines[k]
    elif kind == 1:
        lines.insert(k, lines[rng.randrange(len(lines))])
    elif kind == 2:
        j = rng.randrange(len(lines))
        lines[k], lines[j] = lines[j], lines[k]
    elif kind == 3:
        column = rng.randrange(len(lines[k]) + 1)
        lines[k] = lines[k][:column] + rng.choice(HOSTILE_TEXT) + lines[k][column:]
    elif kind == 4:
        numbers = list(re.finditer(r"-?\d+(?:\.\d+)?(?:/\d+)?", text))
        if numbers:
            m = rng.choice(numbers)
            return text[:m.start()] + rng.choice(HOSTILE_NUMBERS) + text[m.end():]
    elif kind == 5:
        return text[:rng.randrange(len(text) + 1)]
    elif kind == 6:
        return text + "\n" + rng.choice(_APPENDED)
    elif kind == 7:
        lines[k] = " " * rng.randrange(1, 6) + lines[k]
    else:
        return re.sub(r"(?m)^(extends: ).*$", lambda m: m.group(1) + rng.choice(_EXTENDS), text) if "extends" in text \
            else "extends: " + rng.choice(_EXTENDS) + "\n" + text
    return "\n".join(lines)


_EXTENDS = ["/etc/passwd", "../../../../etc/passwd", "/dev/zero", "..", "nosuch.yaml", "mutant.yaml", "/proc/self/environ", "''"]
_APPENDED = [
    "bomb: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"b{i}: &a{i} [*{'a' if i == 0 else f'a{i - 1}'}"
                                                         f"{(', *' + ('a' if i == 0 else f'a{i - 1}')) * 8}]\n" for i in range(9)),
    "deep: " + "[" * 5000 + "]" * 5000,
    "deep: " + "{a: " * 3000 + "1" + "}" * 3000,
    "rec: &r [*r]",
    "x: !!int abc",
    "title: again",
]


def _tokens(text: str, rng: random.Random) -> str:
    """One token mutation of a Gambit file."""
    tokens = re.findall(r'"(?:[^"\\]|\\.)*"|[^\s"]+|\s+', text)
    words = [i for i, t in enumerate(tokens) if not t.isspace()]
    if not words:
        return text + rng.choice(HOSTILE_TOKENS)
    i = rng.choice(words)
    kind = rng.randrange(6)
    if kind == 0:
        tokens[i] = rng.choice(HOSTILE_TOKENS)
    elif kind == 1:
        tokens[i] = ""
    elif kind == 2:
        tokens.insert(i, tokens[i] + " ")
    elif kind == 3:
        j = rng.choice(words)
        tokens[i], tokens[j] = tokens[j], tokens[i]
    elif kind == 4:
        numbers = [w for w in words if re.fullmatch(r"-?[\d./]+", tokens[w])]
        tokens[rng.choice(numbers) if numbers else i] = rng.choice(HOSTILE_TOKENS)
    else:
        return _textual(text, rng)
    return "".join(tokens)


MILD_NUMBERS = ["0", "1", "-1", "2", "1/3", "0.5", "1e-300", "1e300", "1e15", "-1e15", "123456789/7", "3", "3", "0", "0"]


def _numbers(text: str, rng: random.Random) -> str:
    """Many numbers replaced by ordinary ones (zeros, ties, extremes within range): the file stays
    valid more often, so the solvers, not only the reader, see strange games."""
    share = rng.choice((0.1, 0.3, 1.0))
    pool = rng.sample(MILD_NUMBERS, rng.choice((2, 3, len(MILD_NUMBERS))))

    def change(token: str) -> str:
        return rng.choice(pool) if rng.random() < share else token
    if text.lstrip().startswith(("NFG", "EFG")):
        return _gambit_payoffs(text, change)
    number = r"-?\d+(?:\.\d+)?(?:/\d+)?(?![\w.\"/])"
    return re.sub(r"(?m)(^\s*-?\s*[^:#\n]*:\s*|\[|, )(" + number + ")", lambda m: m.group(1) + change(m.group(2)), text)


def _gambit_payoffs(text: str, change) -> str:
    """``change(token)`` applied to the payoffs of a Gambit file (not to counts, numbers of
    information sets or outcomes, or chance probabilities)."""
    tokens = re.findall(r'"(?:[^"\\]|\\.)*"|[{}]|[^\s"{},]+|[\s,]+', text)
    nfg = text.lstrip().startswith("NFG")
    depth, groups, previous = 0, 0, ""             # groups: brace groups opened at the top level
    for i, token in enumerate(tokens):
        if token == "{":
            groups += depth == 0
            depth += 1
        elif token == "}":
            depth -= 1
        elif re.fullmatch(r"-?[\d.]+(?:/\d+)?", token):
            payoff = ((depth, groups) in ((0, 2), (2, 3))) if nfg else (depth == 1 and not previous.startswith('"'))
            if payoff:
                tokens[i] = change(token)
        if not token.isspace() and token != ",":
            previous = token
    return "".join(tokens)


def mutate(text: str, extension: str, rng: random.Random) -> str:
    """One to three mutations of ``text``, a file of type ``extension``."""
    import yaml          # only the fuzzer needs PyYAML's dumper here

    if rng.random() < 0.35:
        return _numbers(text, rng)
    for _ in range(rng.choice((1, 1, 2, 3))):
        if extension in (".nfg", ".efg"):
            text = _tokens(text, rng)
            continue
        structured = len(text) < 200_000 and text.count("[") + text.count("{") < 500   # PyYAML is quadratic on deep [[[
        if structured and rng.random() < 0.5:
            try:
                document = yaml.safe_load(text)
                text = yaml.safe_dump(_structural(document, rng), sort_keys=False, allow_unicode=True, width=10 ** 6)
                continue
            except Exception:            # the text is already broken: mutate it as text
                pass
        text = _textual(text, rng)
    return text


def make_case(seed: int, index: int, seeds: list[str]) -> dict:
    """Case ``index`` of run ``seed``: the seed file, the mutated text and the commands to run."""
    rng = random.Random(f"{seed}:{index}")
    source = seeds[rng.randrange(len(seeds))]
    extension = os.path.splitext(source)[1]
    with open(os.path.join(ROOT, source), encoding="utf-8", errors="surrogateescape") as handle:
        text = handle.read()
    mutated = mutate(text, extension, rng)
    target = rng.choice(["yaml", "efg", "nfg"])
    concept = ["--concept", ["pbe", "sequential"][index % 2], "--timeout", str(SOLVE_TIMEOUT)]
    other = [["explain", "FILE"], ["convert", "FILE", "--to", target, "-o", "OUT"], ["explain", "FILE"],
             ["convert", "FILE", "--to", target, "-o", "OUT"], ["draw", "FILE", "-o", "OUT.svg"],
             ["report", "FILE", "--sweep-points", "5", "-o", "OUT.html"], ["explain", "FILE", *concept],
             ["draw", "FILE", "-o", "OUT.svg", *concept], ["report", "FILE", "--sweep-points", "5", "-o", "OUT.html", *concept]
             ][index % 9]
    commands = [["validate", "FILE"], ["solve", "FILE", "--timeout", str(SOLVE_TIMEOUT)], other]
    return {"seed": seed, "index": index, "source": source, "extension": extension, "text": mutated, "commands": commands}


# ---- running a case (in a worker) ---------------------------------------------------------------
def _allowed(command: list[str]) -> float:
    timeout = float(command[command.index("--timeout") + 1]) if "--timeout" in command else 0.0
    return timeout + MARGIN


def run_command(main, command: list[str], path: str, out: str) -> dict:
    """Run one command in-process; its exit status, time and the escaping exception, if any."""
    from click.testing import CliRunner

    args = [path if a == "FILE" else out if a == "OUT" else os.path.splitext(out)[0] + a[3:] if a.startswith("OUT.") else a
            for a in command]
    started = time.monotonic()
    result = CliRunner().invoke(main, args, catch_exceptions=True)
    elapsed = time.monotonic() - started
    report = {"command": command, "exit": result.exit_code, "seconds": round(elapsed, 2)}
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        frames = traceback.extract_tb(result.exception.__traceback__)
        where = next((f"{os.path.relpath(f.filename, ROOT)}:{f.lineno}" for f in reversed(frames)
                      if f.filename.startswith(os.path.join(ROOT, "solver"))), "?")
        report["exception"] = f"{type(result.exception).__name__} at {where}: {str(result.exception)[:200]}"
        report["signature"] = f"{type(result.exception).__name__}@{where}"
        report["traceback"] = "".join(traceback.format_exception(result.exception))[-3000:]
    elif result.exit_code not in (0, 2):
        report.update(_internal_error(result.output or "", result.exit_code))
    elif elapsed > _allowed(command):
        report["signature"] = "slow"
    if "signature" in report:
        report["output"] = (result.output or "")[-500:]
    return report


def _internal_error(output: str, code: int) -> dict:
    """The signature of a run that exited with a status other than 0 or 2: the command line
    reports a bug as one line (exit 70) and, under SOLVE_DEBUG=1, prints its traceback first."""
    frames = re.findall(r'File "([^"]*/solver/[^"]*)", line (\d+)', output)
    where = f"{os.path.relpath(frames[-1][0], ROOT)}:{frames[-1][1]}" if frames else "?"
    kind = re.search(r"internal error \((\w+)", output)
    name = kind.group(1) if kind else f"exit{code}"
    return {"signature": f"{name}@{where}" if kind else f"exit{code}", "exception": f"{name} at {where}: {output.strip()[-300:]}",
            "traceback": output[-3000:]}


def run_case(main, case: dict, folder: str, announce=None) -> dict:
    """Every command of ``case`` on its file written into ``folder``; the worst outcome.
    ``announce(command)`` is called before each command (the watchdog learns what hangs)."""
    path = os.path.join(folder, os.path.dirname(case["source"]), "mutant" + case["extension"])
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as handle:
        handle.write(case["text"])
    out = os.path.join(folder, "out.txt")
    reports = []
    for command in case["commands"]:
        command = with_timeout(main, command)
        if announce is not None:
            announce(command)
        report = run_command(main, command, path, out)
        reports.append(report)
        if "signature" in report:
            break
    failed = next((r for r in reports if "signature" in r), None)
    outcome = "failure" if failed else ("exit2" if any(r["exit"] == 2 for r in reports) else "ok")
    return {"index": case["index"], "outcome": outcome, "failed": failed,
            "seconds": {r["command"][0]: r["seconds"] for r in reports}}


def with_timeout(main, command: list[str]) -> list[str]:
    """``command`` with ``--timeout`` added when the command takes one and it is not given."""
    target = main.commands.get(command[0]) if hasattr(main, "commands") else None
    takes = target is not None and any("--timeout" in p.opts for p in target.params)
    return command + ["--timeout", str(SOLVE_TIMEOUT)] if takes and "--timeout" not in command else command


def shrink(main, case: dict, failed: dict, folder: str, budget: int = 150, seconds: float = 25.0) -> str:
    """The case's text with lines (then characters) removed while the failing command still
    fails with the same signature; for saved regressions."""
    text = case["text"]
    if failed["signature"] == "slow":
        return text
    stop = time.monotonic() + seconds

    def still_fails(candidate: str) -> bool:
        trial = dict(case, text=candidate, commands=[failed["command"]])
        result = run_case(main, trial, folder)
        return result["failed"] is not None and result["failed"]["signature"] == failed["signature"]

    for unit in ("\n", None):
        pieces = text.split("\n") if unit else list(text)
        if unit is None and len(pieces) > 400:
            break
        chunk = max(1, len(pieces) // 2)
        while chunk >= 1 and budget > 0 and time.monotonic() < stop:
            start, changed = 0, False
            while start < len(pieces) and budget > 0 and time.monotonic() < stop:
                candidate = pieces[:start] + pieces[start + chunk:]
                budget -= 1
                if candidate and still_fails((unit or "").join(candidate)):
                    pieces, changed = candidate, True
                else:
                    start += chunk
            if not changed:
                chunk //= 2
        text = (unit or "").join(pieces)
    return text


def _copy_seeds(folder: str, seeds: list[str]) -> None:
    """The seed files next to each mutant, so ``extends`` of a sibling reads as it does in the repo."""
    for source in seeds:
        target = os.path.join(folder, source)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(ROOT, source), target)


def worker(seed: int, folder: str) -> None:
    """Read case indices (or replay files) from stdin, one a line; answer one JSON line each."""
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    except (ImportError, ValueError, OSError):
        pass
    from solver.cli import main

    if os.environ.get("FUZZ_SELF_TEST"):
        main = _self_test_command(os.environ["FUZZ_SELF_TEST"])
    seeds = seed_files()
    _copy_seeds(folder, seeds)
    os.chdir(folder)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        case = request if isinstance(request, dict) else make_case(seed, request, seeds)
        def announce(command, index=case["index"]):
            print(json.dumps({"started": index, "command": command}), flush=True)
        result = run_case(main, case, folder, announce)
        if result["failed"] is not None and not request_is_replay(request):
            print(json.dumps({"started": case["index"]}), flush=True)        # the watchdog restarts its clock
            result["text"] = shrink(main, case, result["failed"], folder)
        print(json.dumps(result), flush=True)


def _self_test_command(kind: str):
    """A command that fails the way ``kind`` says ("crash" or "hang"), to show the fuzzer catches it."""
    import click

    @click.command()
    @click.argument("args", nargs=-1)
    def broken(args):
        if kind == "hang":
            time.sleep(10 ** 6)
        raise RuntimeError("deliberate failure")
    return broken


def request_is_replay(request) -> bool:
    return isinstance(request, dict)


# ---- the parent: workers, watchdog, counts ------------------------------------------------------
class Pool:
    """Worker processes fed one case at a time; a worker whose case overruns ``HARD_LIMIT`` is
    killed (the case counts as a hang) and replaced."""

    def __init__(self, seed: int, jobs: int, hard_limit: float = HARD_LIMIT):
        self.seed, self.jobs, self.hard_limit = seed, jobs, hard_limit
        self.selector = selectors.DefaultSelector()
        self.workers: dict = {}                   # process → (request, started at) or None
        self.buffers: dict = {}                   # process → bytes read after its last whole line
        self.ready: set = set()                   # workers that have imported the solver
        self.folders: dict = {}                   # process → its scratch folder
        for _ in range(jobs):
            self._start()

    def _start(self):
        folder = tempfile.mkdtemp(prefix="fuzz-")             # removed by the parent, even after a kill
        command = [sys.executable, "-m", "tests.fuzz", "--worker", "--seed", str(self.seed), "--folder", folder]
        env = dict(os.environ, PYTHONHASHSEED="0", MPLBACKEND="Agg", SOLVE_DEBUG="1")
        process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, env=env, start_new_session=True)
        self.selector.register(process.stdout, selectors.EVENT_READ, process)
        self.workers[process] = None
        self.folders[process] = folder

    def _stop(self, process):
        self.selector.unregister(process.stdout)
        del self.workers[process]
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        shutil.rmtree(self.folders.pop(process), ignore_errors=True)

    def run(self, requests, on_result) -> None:
        pending = list(requests)[::-1]
        while pending or any(v is not None for v in self.workers.values()):
            for process, busy in list(self.workers.items()):
                if busy is None and pending and process in self.ready:
                    request = pending.pop()
                    process.stdin.write((json.dumps(request) + "\n").encode())
                    process.stdin.flush()
                    self.workers[process] = (request, time.monotonic())
            for key, _ in self.selector.select(timeout=0.5):
                process = key.data
                chunk = os.read(process.stdout.fileno(), 1 << 20)     # not readline: it would buffer lines the selector never reports
                if not chunk:                                 # the worker died (e.g. killed by the OS)
                    request = (self.workers[process] or (None, 0))[0]
                    self._stop(process)
                    if request is not None:
                        on_result(request, {"outcome": "failure", "failed": {"signature": "worker-died", "command": None}})
                    self._start()
                    continue
                self.buffers[process] = self.buffers.get(process, b"") + chunk
                *lines, self.buffers[process] = self.buffers[process].split(b"\n")
                for line in lines:
                    message = json.loads(line)
                    if os.environ.get("FUZZ_VERBOSE"):
                        print("worker", process.pid, str(message)[:200], flush=True)
                    if "ready" in message:
                        self.ready.add(process)
                        continue
                    request = self.workers[process][0]
                    if "started" in message:
                        self.workers[process] = (request, time.monotonic(), message.get("command"))
                    else:
                        self.workers[process] = None
                        on_result(request, message)
            now = time.monotonic()
            for process, busy in list(self.workers.items()):
                if busy is not None and now - busy[1] > self.hard_limit:
                    self._stop(process)
                    command = busy[2] if len(busy) > 2 else None
                    on_result(busy[0], {"outcome": "hang", "failed": {"signature": f"hang in {command[0] if command else '?'}",
                                                                      "command": command}})
                    self._start()

    def close(self):
        for process in list(self.workers):
            process.stdin.close()
            process.wait(timeout=10)
            self.selector.unregister(process.stdout)
            shutil.rmtree(self.folders.pop(process), ignore_errors=True)


def known_failures() -> set[str]:
    """Signatures the CI budget tolerates for now (``tests/data/fuzz_regressions/known_failures.txt``,
    one per line with a comment); the list is meant to be emptied, never grown silently."""
    path = os.path.join(REGRESSIONS, "known_failures.txt")
    if not os.path.exists(path):
        return set()
    with open(path, encoding="utf-8") as handle:
        return {line.split("#")[0].strip() for line in handle if line.split("#")[0].strip()}


def save_regression(case: dict, result: dict, folder: str = REGRESSIONS) -> str | None:
    """The failing (shrunk) file and its command, once per signature and text."""
    failed = result["failed"]
    text = result.get("text", case["text"])
    digest = hashlib.sha1((failed["signature"] + text).encode("utf-8", "surrogateescape")).hexdigest()[:10]
    name = f"{re.sub(r'[^A-Za-z0-9]+', '_', failed['signature'])[:60]}_{digest}"
    os.makedirs(folder, exist_ok=True)
    target = os.path.join(folder, name + ".json")
    if os.path.exists(target):
        return None
    with open(os.path.join(folder, name + case["extension"]), "w", encoding="utf-8", errors="surrogateescape") as handle:
        handle.write(text)
    record = {"file": name + case["extension"], "source": case["source"], "seed": case.get("seed"), "index": case.get("index"),
              "commands": [failed["command"]] if failed.get("command") else case["commands"],
              "signature": failed["signature"], "exception": failed.get("exception", "")}
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=1)
    return target


def replay_requests(folder: str) -> list[dict]:
    """Saved regressions as cases (their files placed where the seed was, for ``extends``)."""
    requests = []
    for number, name in enumerate(sorted(f for f in os.listdir(folder) if f.endswith(".json"))):
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            record = json.load(handle)
        with open(os.path.join(folder, record["file"]), encoding="utf-8", errors="surrogateescape") as handle:
            text = handle.read()
        requests.append({"index": number, "name": name, "source": record["source"], "text": text, "commands": record["commands"],
                         "extension": os.path.splitext(record["file"])[1], "seed": record.get("seed")})
    return requests


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0, help="first case index")
    parser.add_argument("--only", type=int, default=None, help="run this one case index")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--save", default=REGRESSIONS, help="where failures are saved ('' for nowhere)")
    parser.add_argument("--replay", default=None, help="replay the saved regressions in this folder")
    parser.add_argument("--allow-known", action="store_true", help="do not fail on signatures in known_failures.txt")
    parser.add_argument("--hard-limit", type=float, default=HARD_LIMIT, help="seconds after which a case counts as hanging")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--folder", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.seed, args.folder or tempfile.mkdtemp(prefix="fuzz-"))
        return 0
    seeds = seed_files()
    if args.replay:
        requests = replay_requests(args.replay)
    elif args.only is not None:
        requests = [args.only]
    else:
        requests = list(range(args.start, args.start + args.cases))
    counts = {"ok": 0, "exit2": 0, "traceback": 0, "bad-exit": 0, "slow": 0, "hang": 0}
    failures = []
    known = known_failures() if args.allow_known else set()
    started = time.monotonic()

    seconds: dict[str, float] = {}

    def on_result(request, result):
        case = request if isinstance(request, dict) else make_case(args.seed, request, seeds)
        failed = result.get("failed")
        for command, spent in result.get("seconds", {}).items():
            seconds[command] = seconds.get(command, 0.0) + spent
        if sum(counts.values()) % 500 == 499:
            print(f"progress: {sum(counts.values()) + 1} cases in {time.monotonic() - started:.0f} s: "
                  + ", ".join(f"{k} {v}" for k, v in counts.items()), flush=True)
        if result["outcome"] in ("ok", "exit2"):
            counts[result["outcome"]] += 1
            return
        signature = failed["signature"]
        kind = "hang" if signature.startswith("hang") or signature == "worker-died" else "slow" if signature == "slow" else \
            "bad-exit" if signature.startswith("exit") else "traceback"         # an internal error (exit 70) is a traceback
        counts[kind] += 1
        where = case.get("name") or f"--seed {args.seed} --only {case['index']} (mutant of {case['source']})"
        print(f"FAIL {kind}: {signature}: {where}: {failed.get('command') or ''} {failed.get('exception', '')}", flush=True)
        if args.save and not args.replay:
            saved = save_regression(case, result, args.save)
            if saved:
                print(f"  saved {os.path.relpath(saved, ROOT)}", flush=True)
        if signature not in known:
            failures.append(signature)

    pool = Pool(args.seed, max(1, args.jobs), args.hard_limit)
    try:
        pool.run(requests, on_result)
    finally:
        pool.close()
    total = sum(counts.values())
    print(f"{total} cases in {time.monotonic() - started:.0f} s (seed {args.seed}): "
          + ", ".join(f"{k} {v}" for k, v in counts.items()), flush=True)
    print("seconds spent per command: " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(seconds.items())), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
