"""Reading YAML with locations: every value keeps its line and key path, and every problem becomes
a :class:`GameFileError` naming the file, line and key (``FILE:LINE: KEY.PATH: message``).

Shared by the game-file reader (:mod:`solver.io.yamlfile`) and the staged-game unfolding
(:mod:`solver.io.stages`).
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from typing import Any

import sympy
import yaml

from solver.core.limits import LimitExceeded, escaped, exceeded, limit, short_text
from solver.model.expr import ExpressionError, describe_values, free_names, parse_expression, symbol, undefined_reason
from solver.model.normal import Origin

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class GameFileError(ValueError):
    """A problem in a game file, reported as ``FILE:LINE: KEY.PATH: message``."""

    def __init__(self, path: str, line: int | None, key: str, message: str):
        message, key = short_text(message), short_text(key, 200)
        self.path, self.line, self.key, self.message = path, line, key, message
        shown = escaped(path)[:400]
        location = f"{shown}:{line}" if line else shown
        super().__init__(f"{location}: {key}: {message}" if key else f"{location}: {message}")


@dataclass
class Located:
    """A YAML value with its line (1-based), key path and file (a value may come from the file an
    ``extends`` names)."""
    value: Any
    line: int
    key: str
    path: str = ""


def read_bytes(path: str, what: str = "a game file (.yaml, .nfg or .efg)") -> bytes:
    """The content of the game file at ``path``: only a regular file is read (a FIFO, a device
    such as /dev/zero or a socket would block or never end), and only up to ``MAX_FILE_BYTES``."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise GameFileError(path, None, "", "no such file") from None
    except (OSError, ValueError) as error:
        raise GameFileError(path, None, "", f"cannot read the file: {short_text(str(error))}") from None
    if stat.S_ISDIR(status.st_mode):
        raise GameFileError(path, None, "", f"is a directory; expected {what}")
    if not stat.S_ISREG(status.st_mode):
        raise GameFileError(path, None, "", f"is not a regular file (a device, pipe or socket); expected {what}")
    maximum = limit("MAX_FILE_BYTES")
    if status.st_size > maximum:
        raise GameFileError(path, None, "", exceeded("MAX_FILE_BYTES", f"the file has {status.st_size} bytes"))
    try:
        with open(path, "rb") as handle:
            data = handle.read(maximum + 1)
    except OSError as error:
        raise GameFileError(path, None, "", f"cannot read the file: {short_text(str(error))}") from None
    if len(data) > maximum:
        raise GameFileError(path, None, "", exceeded("MAX_FILE_BYTES", f"the file has more than {maximum} bytes"))
    return data


class YamlReader:
    """Walks composed YAML nodes, keeping line numbers, and raises GameFileError.

    ``origins`` collects where each expression that depends on a name was written."""

    def __init__(self, path: str):
        self.path = path
        self.origins: list[Origin] = []

    def fail(self, where: Located | None, message: str, key: str | None = None):
        """Raise the error at ``where`` (in its own file: one that this file extends says so)."""
        path = where.path if where is not None and where.path else self.path
        if path != self.path:
            message += f" (inherited by {self.path} through 'extends')"
        raise GameFileError(path, where.line if where else None, key if key is not None else (where.key if where else ""), message)

    def compose(self, text: str):
        _check_flow_depth(self.path, text)
        try:
            node = yaml.compose(text, Loader=_BoundedLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            problem = (error.problem or "invalid YAML").strip()
            raise GameFileError(self.path, mark.line + 1 if mark else None, "",
                                f"YAML syntax error: {problem}{colon_hint(text, mark, problem)}") from None
        except yaml.reader.ReaderError as error:           # a character YAML does not allow
            line = text.count("\n", 0, error.position) + 1
            raise GameFileError(self.path, line, "", f"character {escaped_char(error.character)} is not allowed in a "
                                                     f"YAML file (column {error.position - text.rfind(chr(10), 0, error.position)})") from None
        except LimitExceeded as error:
            raise GameFileError(self.path, error.line, "", str(error)) from None
        except yaml.YAMLError as error:
            raise GameFileError(self.path, None, "", f"YAML error: {error}") from None
        if node is None:
            raise GameFileError(self.path, 1, "", "the file is empty; expected a mapping with 'title', 'players' and a game body")
        expanded, distinct = _expanded_size(node)
        if expanded is None:
            raise GameFileError(self.path, node.start_mark.line + 1, "", "an alias (*name) refers to a value that contains it")
        if expanded - distinct > limit("MAX_YAML_ALIAS_NODES"):
            raise GameFileError(self.path, None, "", exceeded("MAX_YAML_ALIAS_NODES", f"its aliases (*name) repeat {expanded - distinct} "
                                                                                     f"values (the file expands to {expanded})"))
        return self.convert(node, "")

    def convert(self, node, key: str) -> Located:
        """The composed node as ``Located`` values (recursion is bounded by ``MAX_YAML_DEPTH``,
        checked while composing)."""
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
            raise GameFileError(self.path, line, key, f"YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed")
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Located] = {}
            for k_node, v_node in node.value:
                if not isinstance(k_node, yaml.ScalarNode):
                    raise GameFileError(self.path, k_node.start_mark.line + 1, key, "a key must be a plain name")
                name = k_node.value
                if k_node.tag == "tag:yaml.org,2002:merge":
                    raise GameFileError(self.path, k_node.start_mark.line + 1, key, "YAML merge keys ('<<') are not supported")
                _check_text(self.path, k_node, key, name)
                child_key = f"{key}.{name}" if key else name
                if name in result:
                    raise GameFileError(self.path, k_node.start_mark.line + 1, child_key,
                                        f"duplicate key '{name}' (first given on line {result[name].line})")
                result[name] = self.convert(v_node, child_key)
            if node.flow_style:
                self._check_flow_commas(node, key)
            return Located(result, line, key, self.path)
        if isinstance(node, yaml.SequenceNode):
            if node.flow_style:
                self._check_flow_colons(node, key)
            return Located([self.convert(v, f"{key}[{i}]") for i, v in enumerate(node.value)], line, key, self.path)
        if node.tag in _SCALAR_TAGS:
            return Located(self._scalar(node, key), line, key, self.path)
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise GameFileError(self.path, line, key, f"YAML tag {tag} is not allowed")

    def _scalar(self, node, key: str):
        """A scalar's value: integers refused past the size limit before conversion, floats kept
        with their decimal text (``1e-400`` is not silently 0), and text checked for lone
        surrogates; a value its tag cannot construct (``!!int abc``) is an error."""
        line = node.start_mark.line + 1
        _check_text(self.path, node, key, node.value)
        tag = node.tag
        if tag == "tag:yaml.org,2002:int" and (len(node.value) > 4000 or len(node.value) * 3.33 > limit("MAX_NUMBER_BITS")):
            raise GameFileError(self.path, line, key, exceeded("MAX_NUMBER_BITS", f"the integer has {len(node.value)} digits"))
        try:
            value = yaml.SafeLoader("").construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError, ArithmeticError, AttributeError, LookupError) as error:
            kind = tag.rsplit(":", 1)[-1]
            raise GameFileError(self.path, line, key, f"{_quoted(short_text(node.value))} is not a valid !!{kind} "
                                                      f"({short_text(str(error).splitlines()[0] if str(error) else type(error).__name__)})") from None
        if isinstance(value, float) and node.style is None and _DECIMAL_TEXT.match(node.value):
            return WrittenFloat.of(value, node.value)
        return value
    def _check_flow_commas(self, node, key: str) -> None:
        """``{outcome: Russia transfers, China waits}``: a comma ended the value, and the rest
        became a key without a value."""
        previous = None
        for k_node, v_node in node.value:
            if v_node.tag.endswith(":null") and v_node.value == "" and _plain_text(previous):
                before, value = previous
                raise GameFileError(self.path, k_node.start_mark.line + 1, f"{key}.{k_node.value}" if key else k_node.value,
                                    f"'{k_node.value}' has no value: inside {{...}} a comma ends a value; if it belongs "
                                    f"to the value before it, quote that value: {before.value}: "
                                    f"{_quoted(value.value + ', ' + k_node.value)}")
            previous = (k_node, v_node)

    def _check_flow_colons(self, node, key: str) -> None:
        """``[Russia: the transfer, B]``: an item with ': ' inside [...] is read as a mapping."""
        for i, item in enumerate(node.value):
            mark = item.start_mark
            if isinstance(item, yaml.MappingNode) and item.flow_style and mark.buffer and mark.buffer[mark.pointer] != "{":
                text = mark.buffer[mark.pointer:item.end_mark.pointer]
                raise GameFileError(self.path, mark.line + 1, f"{key}[{i}]",
                                    f"the item {text} is read as a mapping because of its ': '; "
                                    f"quote it: {_quoted(text)}")

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

    def expression(self, item: Located, names, ambiguous=None) -> sympy.Expr:
        """The expression at ``item`` over ``names`` (see ``parse_expression``); one that depends
        on a name is remembered in ``origins``."""
        value = item.value
        if isinstance(value, (dict, list)) or value is None or isinstance(value, bool):
            self.fail(item, f"expected a number or an expression, got {_kind(value)}")
        try:
            expr = parse_expression(value, names, ambiguous)
        except ExpressionError as error:
            self.fail(item, str(error))
        if getattr(expr, "free_symbols", None):
            self.origins.append(Origin(expr, str(value), item.path or self.path, item.line, item.key))
        return expr


_SCALAR_TAGS = {"!"} | {f"tag:yaml.org,2002:{kind}" for kind in ("null", "bool", "int", "float", "str", "timestamp", "binary")}


_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


class WrittenFloat(float):
    """A YAML float that remembers its text, so that ``1e-400`` is read exactly (not as 0) and
    ``0.1`` as 1/10 (:func:`solver.model.expr.number` reads ``text``)."""
    text: str

    @classmethod
    def of(cls, value: float, text: str) -> "WrittenFloat":
        made = cls(value)
        made.text = text
        return made


_DECIMAL_TEXT = re.compile(r"^[-+]?(\d[\d_]*)?\.?[\d_]*([eE][-+]?\d+)?$")


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe composer with a bound on nesting (its composer recurses per level)."""

    def compose_node(self, parent, index):
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > limit("MAX_YAML_DEPTH"):
                error = LimitExceeded(exceeded("MAX_YAML_DEPTH", f"the YAML is nested more than {limit('MAX_YAML_DEPTH')} deep"))
                error.line = self.peek_event().start_mark.line + 1
                raise error
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_BRACKET = re.compile(r"[\[\]{}]")


def _check_flow_depth(path: str, text: str) -> None:
    """Refuse ``[[[[...`` nested past ``MAX_YAML_DEPTH`` before PyYAML reads it (its scanner takes
    quadratic time on deep flow collections). Brackets inside quoted text are counted too, so
    this only looks when there are many."""
    maximum = limit("MAX_YAML_DEPTH")
    if text.count("[") + text.count("{") <= maximum:
        return
    depth = 0
    for found in _BRACKET.finditer(text):
        depth += 1 if found.group() in "[{" else -1
        if depth > maximum:
            raise GameFileError(path, text.count("\n", 0, found.start()) + 1, "",
                                exceeded("MAX_YAML_DEPTH", f"the YAML is nested more than {maximum} deep"))


def _expanded_size(root) -> tuple[int | None, int]:
    """How many values the composed document has once every alias is replaced by what it names,
    counted per distinct node without expanding anything (``None`` when an alias contains
    itself), and how many distinct values it has."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        ident = id(node)
        children = [] if isinstance(node, yaml.ScalarNode) else \
            [v for pair in node.value for v in pair] if isinstance(node, yaml.MappingNode) else node.value
        if done:
            size[ident] = 1 + sum(size[id(c)] for c in children)
            on_path.discard(ident)
            continue
        if ident in size:
            continue
        if ident in on_path:
            return None, len(size)
        on_path.add(ident)
        stack.append((node, True))
        for child in children:
            if id(child) in on_path:
                return None, len(size)
            if id(child) not in size:
                stack.append((child, False))
    return size[id(root)], len(size)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_text(path, node, key, text) -> None:
    if isinstance(text, str) and _SURROGATE.search(text):
        raise GameFileError(path, node.start_mark.line + 1, key, "the text contains a lone surrogate "
                                                                 f"({escaped_char(_SURROGATE.search(text).group())}), which is not valid Unicode")


def escaped_char(character: str) -> str:
    """A character as an escape (``\\x07``) when it is not printable, else quoted."""
    if isinstance(character, int):
        return f"U+{character:04X}"
    return f"'{character}'" if character.isprintable() else f"U+{ord(character):04X}"


def _plain_text(pair) -> bool:
    return pair is not None and isinstance(pair[1], yaml.ScalarNode) and pair[1].style is None and pair[1].value != ""


def _quoted(text: str) -> str:
    return f"'{text}'" if '"' in text else f'"{text}"'


_KEY_AND_VALUE = re.compile(r"([^\s{}\[\],:]+):\s+([^{}\[\],]*)$")


def colon_hint(text: str, mark, problem: str) -> str:
    """For a YAML error caused by an unquoted ': ' in a value, how to quote it (else ``""``)."""
    if mark is None or not ("mapping values are not allowed" in problem or "but got ':'" in problem):
        return ""
    lines = text.splitlines()
    if mark.line >= len(lines):
        return ""
    line = lines[mark.line]
    found = _KEY_AND_VALUE.search(line[:mark.column])
    if not found:
        return "; a value that contains ': ' must be quoted"
    rest = line[mark.column:].split(" #")[0]
    if "but got" in problem:                       # in {...} or [...], the value ends at , } or ]
        rest = re.split(r"[,}\]]", rest)[0]
    value = (found.group(2) + rest).strip()
    return f"; a value that contains ': ' must be quoted: {found.group(1)}: {_quoted(value)}"


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
        where = probs_items[label] if label in probs_items else item
        reason = undefined_reason(expr, values)
        if reason:
            reader.fail(where, f"probability {where.value} is undefined {describe_values(_used(expr, values))} "
                               f"({reason})")
        value = expr.subs({symbol(k): v for k, v in values.items()}) if expr.free_symbols else expr
        if value.free_symbols:
            return
        if value < 0:
            reader.fail(where, f"probability {value} is negative")
        total += value
    if sympy.simplify(total - 1) != 0:
        reader.fail(item, f"probabilities sum to {total}, not 1")


def _used(expr, values) -> dict:
    return {name: values[name] for name in sorted(free_names(expr)) if name in values}


def undefined_error(info, values, given: set[str] = frozenset()) -> GameFileError | None:
    """An undefined payoff or probability (``1/k`` at ``k = 0``) as an error at the place the file
    wrote it, naming the expression and the parameter values (``given``: those set with --set);
    ``None`` when no expression the file wrote is undefined at ``values``."""
    found = info.undefined_origin(values)
    if found is None:
        return None
    origin, reason = found
    used = _used(origin.expression, {**info.defaults, **values})
    set_here = sorted(set(used) & set(given))
    if set_here:
        reason += f"; {', '.join(set_here)} {'is' if len(set_here) == 1 else 'are'} set with --set"
    what = f"values of {', '.join(used)} where it is defined" if used else "an expression that is defined"
    return GameFileError(origin.path, origin.line, origin.key,
                         f"{origin.text} is undefined {describe_values(used)} ({reason}); expected {what}")
