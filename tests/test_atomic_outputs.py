"""Nothing half-written (issue 11, item 6): every output file is written to a temporary file in the
same directory and renamed when complete. Each command that writes a file is interrupted (a
file-size limit in a subprocess, a renderer or a rename that fails midway, a kill at the deadline)
and the directory must then hold neither the file nor the temporary one."""
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from solver.cli import main
from solver.commands import common

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TREE = os.path.join(ROOT, "games", "tech_transfer.yaml")
MATRIX = os.path.join(ROOT, "games", "prisoners_dilemma.yaml")

BELIEF = ["--dist", "ammo_gain=uniform(0,10)", "--samples", "200", "--sobol-samples", "0", "--no-thresholds", "--workers", "1",
          "--quiet"]
#: Every command that writes a file: its arguments with OUT (the file) in the output directory.
WRITERS = {
    "solve": ["solve", TREE, "-o", "OUT.txt"],
    "explain": ["explain", TREE, "-o", "OUT.txt"],
    "convert": ["convert", TREE, "--to", "efg", "-o", "OUT.efg"],
    "thresholds": ["thresholds", TREE, "--param", "ammo_gain", "--no-check", "-o", "OUT.txt"],
    "sweep": ["sweep", TREE, "--param", "ammo_gain=0:10:11", "--format", "csv", "-o", "OUT.csv"],
    "sweep-plot": ["sweep", TREE, "--param", "ammo_gain=0:10:11", "--plot", "OUT.svg"],
    "draw": ["draw", TREE, "-o", "OUT.svg"],
    "report": ["report", TREE, "--sweep-points", "0", "-o", "OUT.html"],
    "dynamics": ["dynamics", MATRIX, "--steps", "50", "-o", "OUT.svg"],
    "robustness": ["robustness", TREE] + BELIEF + ["-o", "OUT.txt"],
    "robustness-csv": ["robustness", TREE] + BELIEF + ["--csv", "OUT.csv"],
    "robustness-plot": ["robustness", TREE] + BELIEF + ["--plot", "OUT.svg"],
}


def _arguments(name, directory):
    return [a.replace("OUT", os.path.join(directory, "out")) for a in WRITERS[name]]


def _run_with_file_limit(args, limit_bytes):
    """Run ``solve`` with ``RLIMIT_FSIZE`` set: a write past it fails (Python ignores SIGXFSZ)."""
    code = (f"import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, ({limit_bytes}, {limit_bytes})); "
            f"sys.argv = ['solve'] + {args!r}; from solver.cli import main; main()")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_file_size_limit_leaves_no_partial_file(name, tmp_path):
    done = _run_with_file_limit(_arguments(name, str(tmp_path)), 100)
    assert done.returncode == 2, done.stderr
    assert os.listdir(tmp_path) == [], f"{name} left {os.listdir(tmp_path)}"
    lines = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and "File too large" in lines[0], done.stderr


@pytest.mark.parametrize("name", list(WRITERS))
def test_the_same_commands_write_the_whole_file_without_a_limit(name, tmp_path):
    result = CliRunner().invoke(main, _arguments(name, str(tmp_path)))
    assert result.exit_code == 0, result.output
    files = os.listdir(tmp_path)
    assert len(files) == 1 and files[0].startswith("out.") and os.path.getsize(tmp_path / files[0]) > 100


def _failing_rename(source, target):
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_failed_rename_removes_the_temporary_file(name, tmp_path, monkeypatch):
    monkeypatch.setattr(common.os, "replace", _failing_rename)
    result = CliRunner().invoke(main, _arguments(name, str(tmp_path)))
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert os.listdir(tmp_path) == []


def _half_a_picture(figure, path):
    with open(path, "w") as handle:
        handle.write("<svg")
    raise RuntimeError("the renderer failed midway")


def _half_a_plot(result, path, title=None):
    _half_a_picture(None, path)


@pytest.mark.parametrize("name", ["draw", "dynamics", "sweep-plot", "robustness-plot"])
def test_a_renderer_failing_midway_leaves_nothing(name, tmp_path, monkeypatch):
    monkeypatch.setattr(common, "save_figure", _half_a_picture)
    monkeypatch.setattr("solver.commands.sweep.plot_sweep", _half_a_plot)
    monkeypatch.setattr("solver.commands.robustness.plot_robustness", _half_a_plot)
    result = CliRunner().invoke(main, _arguments(name, str(tmp_path)))
    assert result.exit_code == 70 and "internal error" in result.stderr
    assert os.listdir(tmp_path) == []


def _half_a_picture_then_hang(figure, path):
    with open(path, "w") as handle:
        handle.write("<svg")
        handle.flush()
        while True:
            pass


def test_a_kill_at_the_deadline_leaves_no_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "save_figure", _half_a_picture_then_hang)
    result = CliRunner().invoke(main, _arguments("draw", str(tmp_path)) + ["--timeout", "1"])
    assert result.exit_code == 2 and "stopped by the time limit" in result.stderr
    assert os.listdir(tmp_path) == []


def test_a_device_is_written_in_place_and_a_full_one_is_a_one_line_error():
    result = CliRunner().invoke(main, ["solve", MATRIX, "-o", "/dev/full"])
    assert result.exit_code == 2
    assert result.stderr == "Error: /dev/full: cannot write the report (No space left on device)\n"


@pytest.mark.parametrize("name", list(WRITERS))
def test_an_output_in_a_missing_directory_is_refused_before_any_work(name, tmp_path):
    args = _arguments(name, str(tmp_path / "nodir"))
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "no such directory" in result.stderr or "No such file or directory" in result.stderr
    assert not os.path.exists(tmp_path / "nodir")


def test_an_existing_file_is_replaced_whole(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old contents that are longer than the new ones " * 100)
    result = CliRunner().invoke(main, ["solve", MATRIX, "--format", "json", "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_text().startswith("{") and "old contents" not in target.read_text()
    assert os.listdir(tmp_path) == ["out.txt"]
