"""Reading YAML with locations: every value keeps its line and key path, and every problem becomes
a :class:`GameFileError` naming the file, line and key (``FILE:LINE: KEY.PATH: message``).

Shared by the game-file reader (:mod:`solver.io.yamlfile`) and the staged-game unfolding
(:mod:`solver.io.stages`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sympy
import yaml

from solver.model.expr import ExpressionError, parse_expression, symbol

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class GameFileError(ValueError):
    """A problem in a game file, reported as ``FILE:LINE: KEY.PATH: message``."""

    def __init__(self, path: str, line: int | None, key: str, message: str):
        self.path, self.line, self.key, self.message = path, line, key, message
        location = f"{path}:{line}" if line else path
        super().__init__(f"{location}: {key}: {message}" if key else f"{location}: {message}")


@dataclass
class Located:
    """A YAML value with its line (1-based) and key path."""
    value: Any
    line: int
    key: str


class YamlReader:
    """Walks composed YAML nodes, keeping line numbers, and raises GameFileError."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, where: Located | None, message: str, key: str | None = None):
        raise GameFileError(self.path, where.line if where else None, key if key is not None else (where.key if where else ""), message)

    def compose(self, text: str):
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            problem = (error.problem or "invalid YAML").strip()
            raise GameFileError(self.path, mark.line + 1 if mark else None, "", f"YAML syntax error: {problem}") from None
        except yaml.YAMLError as error:
            raise GameFileError(self.path, None, "", f"YAML error: {error}") from None
        if node is None:
            raise GameFileError(self.path, 1, "", "the file is empty; expected a mapping with 'title', 'players' and a game body")
        return self.convert(node, "")

    def convert(self, node, key: str) -> Located:
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Located] = {}
            for k_node, v_node in node.value:
                if not isinstance(k_node, yaml.ScalarNode):
                    raise GameFileError(self.path, k_node.start_mark.line + 1, key, "a key must be a plain name")
                name = k_node.value
                if k_node.tag == "tag:yaml.org,2002:merge":
                    raise GameFileError(self.path, k_node.start_mark.line + 1, key, "YAML merge keys ('<<') are not supported")
                child_key = f"{key}.{name}" if key else name
                if name in result:
                    raise GameFileError(self.path, k_node.start_mark.line + 1, child_key,
                                        f"duplicate key '{name}' (first given on line {result[name].line})")
                result[name] = self.convert(v_node, child_key)
            return Located(result, line, key)
        if isinstance(node, yaml.SequenceNode):
            return Located([self.convert(v, f"{key}[{i}]") for i, v in enumerate(node.value)], line, key)
        if node.tag.startswith("tag:yaml.org,2002:") or node.tag == "!":
            constructor = yaml.SafeLoader("")
            value = constructor.construct_object(node, deep=True)
            return Located(value, line, key)
        raise GameFileError(self.path, line, key, f"YAML tag {node.tag} is not allowed")

    # ---- typed accessors -------------------------------------------------------------------
    def mapping(self, item: Located, what: str = "a mapping") -> dict[str, Located]:
        if not isinstance(item.value, dict):
            self.fail(item, f"expected {what}, got {_kind(item.value)}")
        return item.value

    def sequence(self, item: Located, what: str = "a list") -> list[Located]:
        if not isinstance(item.value, list):
            self.fail(item, f"expected {what}, got {_kind(item.value)}")
        return item.value

    def text(self, item: Located, what: str = "text") -> str:
        if isinstance(item.value, (dict, list)) or item.value is None:
            self.fail(item, f"expected {what}, got {_kind(item.value)}")
        return str(item.value)

    def name_list(self, item: Located, what: str) -> list[str]:
        names = [self.text(v, "a name") for v in self.sequence(item, f"a list of {what}")]
        seen = {}
        for v, n in zip(item.value, names):
            if n in seen:
                singular = {"strategies": "strategy", "players": "player", "moves": "move"}.get(what, what)
                self.fail(v, f"duplicate {singular} name '{n}' (first given on line {seen[n].line})")
            seen[n] = v
        if not names:
            self.fail(item, f"expected at least one of the {what}")
        return names

    def expression(self, item: Located, names) -> sympy.Expr:
        value = item.value
        if isinstance(value, (dict, list)) or value is None or isinstance(value, bool):
            self.fail(item, f"expected a number or an expression, got {_kind(value)}")
        try:
            return parse_expression(value if isinstance(value, str) else value, names)
        except ExpressionError as error:
            self.fail(item, str(error))


def count_of(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _kind(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    return f"{type(value).__name__} {value!r}"


def check_probabilities(reader, item, probs_items, probs, info, indicators=None):
    """With the default parameter values, probabilities must be ≥ 0 and sum to 1."""
    values = {**info.defaults, **(indicators or {})}
    total = 0
    for label, expr in probs.items():
        value = expr.subs({symbol(k): v for k, v in values.items()}) if expr.free_symbols else expr
        if value.free_symbols:
            return
        if value < 0:
            reader.fail(probs_items[label] if label in probs_items else item, f"probability {value} is negative")
        total += value
    if sympy.simplify(total - 1) != 0:
        reader.fail(item, f"probabilities sum to {total}, not 1")
