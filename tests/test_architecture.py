"""The package's shape, checked: layers import in one direction, imports inside functions are only
for optional or heavy dependencies, every registered algorithm returns the shared result type, and
modules and functions stay small enough to hold in one's head.

The layer order is the one in docs/architecture.md:
core → model → io → equilibria → api/results → analysis → present → commands/cli.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import pathlib
import typing

import numpy as np
import pytest

from solver.equilibria import registry
from solver.equilibria.result import AlgorithmResult
from solver.model.tree import Decision, Terminal, build_tree

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "solver"

#: Rank of each layer; a module may import its own layer or lower ones only.
LAYERS = {
    "solver.core": 0,
    "solver.model": 1,
    "solver.io": 2,
    "solver.equilibria": 3,
    "solver.api": 4,
    "solver.results": 4,
    "solver.analysis": 5,
    "solver.present": 6,
    "solver.commands": 7,
    "solver.serve": 7,       # the explorer (solve serve): beside the commands
    "solver.cli": 7,
    "solver.__main__": 8,
    "solver": 8,             # solver/__init__.py: the public API re-exports
}

#: Third-party modules that may be imported inside a function (optional extras or slow to import).
LAZY_ALLOWED = {"matplotlib", "scipy", "pygambit", "nashpy", "multiprocessing", "signal", "SALib",
                "distributed", "dask", "pandas", "uvicorn", "starlette", "fastapi", "panel", "selenium",
                "playwright", "webbrowser", "http", "socketserver", "threading", "ipywidgets",
                "IPython"}

MAX_MODULE_LINES = 650
MAX_FUNCTION_LINES = 80


def layer_of(module: str) -> int | None:
    """The rank of ``module`` (a dotted name inside ``solver``), or None for other packages."""
    parts = module.split(".")
    for k in range(len(parts), 0, -1):
        rank = LAYERS.get(".".join(parts[:k]))
        if rank is not None:
            return rank
    return None


def module_name(path: pathlib.Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.AST, package: str):
    """(module, node) for every import in ``tree``; relative imports resolved against ``package``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            if base == "solver" or base.endswith(".core") or base.endswith(".equilibria"):
                # "from solver.core import numbers" imports the submodule
                for alias in node.names:
                    yield f"{base}.{alias.name}", node
            else:
                yield base, node


def layer_violations(source: str, module: str) -> list[str]:
    """Imports in ``source`` (the text of ``module``) that go against the layer order."""
    own = layer_of(module)
    problems = []
    for target, node in imported_modules(ast.parse(source), module.rsplit(".", 1)[0]):
        if not target.startswith("solver"):
            continue
        rank = layer_of(target)
        if own is not None and rank is not None and rank > own:
            problems.append(f"{module}:{node.lineno} imports {target} (a higher layer)")
    return problems


def function_level_imports(source: str, module: str) -> list[str]:
    """Imports inside functions that are not of an optional or heavy third-party module."""
    problems = []
    tree = ast.parse(source)
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for target, node in imported_modules(function, module.rsplit(".", 1)[0]):
            if target.split(".")[0] not in LAZY_ALLOWED:
                problems.append(f"{module}:{node.lineno} imports {target} inside {function.name}()")
    return problems


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_the_package_has_modules():
    assert len(SOURCES) > 40


def test_layers_import_in_one_direction():
    problems = [p for path in SOURCES for p in layer_violations(path.read_text(), module_name(path))]
    assert problems == []


def test_a_wrong_import_is_caught():
    """The check itself: the model importing a presenter, or an algorithm importing the API, fails."""
    assert layer_violations("from solver.present.text import render\n", "solver.model.tree") == [
        "solver.model.tree:1 imports solver.present.text (a higher layer)"]
    assert layer_violations("def f():\n    import solver.api\n", "solver.equilibria.pure") == [
        "solver.equilibria.pure:2 imports solver.api (a higher layer)"]
    assert layer_violations("from solver.core import numbers\n", "solver.model.normal") == []
    assert layer_violations("from solver.equilibria import verify\n", "solver.model.normal") == [
        "solver.model.normal:1 imports solver.equilibria.verify (a higher layer)"]


def test_imports_inside_functions_are_only_for_optional_or_heavy_dependencies():
    problems = [p for path in SOURCES for p in function_level_imports(path.read_text(), module_name(path))]
    assert problems == []
    assert function_level_imports("def f():\n    from solver.api import solve\n", "solver.present.x") == [
        "solver.present.x:2 imports solver.api inside f()"]


def test_lazy_imports_say_why():
    """Every import left inside a function has a comment on its line or the line above."""
    missing = []
    for path in SOURCES:
        lines = path.read_text().splitlines()
        tree = ast.parse("\n".join(lines))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    here, above = lines[node.lineno - 1], lines[node.lineno - 2] if node.lineno > 1 else ""
                    if "#" not in here and not above.strip().startswith("#"):
                        missing.append(f"{module_name(path)}:{node.lineno}")
    assert missing == []


def test_modules_are_small():
    sizes = {module_name(p): len(p.read_text().splitlines()) for p in SOURCES}
    assert {m: n for m, n in sizes.items() if n > MAX_MODULE_LINES} == {}


def test_long_functions_give_a_reason():
    """A function over the limit says at its top (docstring or first comment) why it is long."""
    problems = []
    for path in SOURCES:
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    head = "\n".join(source.splitlines()[node.lineno - 1: node.lineno + 12]).lower()
                    if "long because" not in head:
                        problems.append(f"{module_name(path)}.{node.name}: {length} lines")
    assert problems == []


# ---- the algorithm contract -------------------------------------------------------------------
@pytest.mark.parametrize("method", registry.METHODS, ids=lambda m: m.name)
def test_every_registered_algorithm_returns_the_shared_result(method):
    function = method.function()
    hints = typing.get_type_hints(function)
    assert hints.get("return") is AlgorithmResult, f"{method.entry} must be annotated -> AlgorithmResult"
    assert "deadline" in inspect.signature(function).parameters


def test_registry_lists_each_method_once_and_auto_first():
    names = list(registry.method_summaries())
    assert names[0] == "auto" and len(names) == len(set(names))
    assert {m.form for m in registry.METHODS} == {"normal", "tree"}


def test_no_private_model_helpers_are_used_across_modules():
    """The model's private helpers stay private: other modules use its public methods."""
    offenders = [module_name(p) for p in SOURCES
                 if "from solver.model.tree import _" in p.read_text() or "tree._" in p.read_text()]
    assert offenders == []


#: Each algorithm module and its public entry points (the registry names some of them).
ALGORITHMS = {
    "solver.equilibria.pure": ["pure_equilibria"],
    "solver.equilibria.enumerate2": ["enumerate_extreme_equilibria"],
    "solver.equilibria.lemke_howson": ["lemke_howson", "lemke_howson_all_labels"],
    "solver.equilibria.zerosum": ["solve_zero_sum"],
    "solver.equilibria.polynomial": ["enumerate_polynomial"],
    "solver.equilibria.homotopy": ["one_equilibrium"],
    "solver.equilibria.backward": ["backward_induction"],
    "solver.equilibria.subgames": ["subgame_perfect_equilibria"],
    "solver.equilibria.sequence_form": ["sequence_form_equilibrium"],
}


def _small_tree(perfect_information: bool):
    """Matching pennies in which B sees A's coin only with ``perfect_information``."""
    label = {} if perfect_information else {"infoset": "b"}
    heads = Decision("B", {"H": Terminal((1, -1)), "T": Terminal((-1, 1))}, **label)
    tails = Decision("B", {"H": Terminal((-1, 1)), "T": Terminal((1, -1))}, **label)
    return build_tree(["A", "B"], Decision("A", {"H": heads, "T": tails})).evaluated()


@pytest.mark.parametrize("module,name", [(m, f) for m, fs in ALGORITHMS.items() for f in fs])
def test_every_algorithm_module_returns_the_shared_result(module, name):
    """Called for real on a constant-sum game with a saddle point (as matrices or a tensor) or on
    matching pennies as a tree, as each function takes its game."""
    function = getattr(importlib.import_module(module), name)
    A = np.array([[3, 1], [2, 0]], dtype=object)
    parameters = list(inspect.signature(function).parameters)
    if parameters[:2] == ["A", "B"]:
        result = function(A, -A)
    elif parameters[0] == "payoffs":
        result = function(np.stack([A, -A]))
    else:
        result = function(_small_tree(perfect_information=name == "backward_induction"))
    assert isinstance(result, AlgorithmResult)
    assert typing.get_type_hints(function).get("return") is AlgorithmResult
    assert "deadline" in inspect.signature(function).parameters
    assert result.profiles, f"{module}.{name} found no equilibrium"


def test_algorithm_list_covers_the_registry():
    listed = {f"{m}:{f}" for m, fs in ALGORITHMS.items() for f in fs}
    assert {m.entry for m in registry.METHODS} <= listed
