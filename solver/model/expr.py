"""Whitelisted expressions: text → sympy, exact evaluation, and compilation to numpy.

User text never reaches ``eval`` or ``sympify``: it is parsed with :mod:`ast` and only the node
types below are translated, one by one, into sympy objects.

Allowed: numbers (``0.1`` means exactly 1/10), names, ``+ - * / **``, unary minus, parentheses,
comparisons (giving 1 or 0), ``and``/``or``/``not``, and the functions ``min max abs sqrt exp log``.

>>> e = parse_expression("a*T - s*R", {"a", "T", "s", "R"})
>>> evaluate(e, {"a": 4, "T": 1, "s": 6, "R": 0})
Fraction(4, 1)
>>> evaluate(parse_expression("0.1 + 1/3"), {})
Fraction(13, 30)
>>> evaluate(parse_expression("x > 2", {"x"}), {"x": 3})
Fraction(1, 1)
>>> parse_expression("__import__('os')")
Traceback (most recent call last):
...
solver.model.expr.ExpressionError: function '__import__' is not allowed (allowed: abs, exp, log, max, min, sqrt)
"""
from __future__ import annotations

import ast
import functools
import math
import re
from fractions import Fraction
from typing import Iterable, Mapping

import numpy as np
import sympy

from solver.core.limits import exceeded, limit, number_bits, payoff_range_problem, short_text
from solver.core.numbers import format_number

FUNCTIONS = {
    "min": sympy.Min,
    "max": sympy.Max,
    "abs": sympy.Abs,
    "sqrt": sympy.sqrt,
    "exp": sympy.exp,
    "log": sympy.log,
}
_ARITY = {"abs": (1, 1), "sqrt": (1, 1), "exp": (1, 1), "log": (1, 1), "min": (2, None), "max": (2, None)}

_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a ** b,
}
_COMPARE = {
    ast.Lt: sympy.Lt, ast.LtE: sympy.Le, ast.Gt: sympy.Gt, ast.GtE: sympy.Ge,
    ast.Eq: sympy.Eq, ast.NotEq: sympy.Ne,
}
_SYMBOLS: dict[str, sympy.Symbol] = {}


class ExpressionError(ValueError):
    """An expression that cannot be parsed or is not allowed (user text in the message is shown
    escaped and shortened)."""

    def __init__(self, message: str = ""):
        super().__init__(short_text(message))


class UndefinedValue(ExpressionError):
    """An expression with no finite real value at some parameter values (``1/k`` at ``k = 0``).

    ``expression`` is the sympy expression, ``values`` the values of the names it uses, ``reason``
    why it is undefined (``"division by zero"``)."""

    def __init__(self, expression, values: Mapping[str, object], reason: str):
        self.expression, self.values, self.reason = expression, dict(values), reason
        super().__init__(f"{expression} is undefined {describe_values(self.values)} ({reason})")


_UNDEFINED = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)


def symbol(name: str) -> sympy.Symbol:
    """The (real) sympy symbol used for a parameter or indicator name."""
    if name not in _SYMBOLS:
        _SYMBOLS[name] = sympy.Symbol(name, real=True)
    return _SYMBOLS[name]


def number(value) -> sympy.Expr:
    """An exact sympy number from a YAML scalar: int, float (read as its decimal text) or a
    string such as ``"1/3"`` or ``"2.5"`` (parsed as an expression without names)."""
    if isinstance(value, bool):
        raise ExpressionError(f"expected a number, got {value!r}")
    if isinstance(value, int):
        _check_bits(value)
        _check_range(Fraction(value))
        return sympy.Integer(value)
    if isinstance(value, float):
        text = getattr(value, "text", None)         # a YAML float keeps its decimal text: 1e-400 is not 0
        if text is not None:
            return parse_expression(text, set())
        if value != value or value in (float("inf"), float("-inf")):
            raise ExpressionError(f"expected a finite number, got {value!r}")
        _check_range(value)
        return sympy.Rational(repr(value))
    if isinstance(value, Fraction):
        _check_bits(value)
        _check_range(value)
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, str):
        return parse_expression(value, set())
    if isinstance(value, sympy.Expr):
        return value
    raise ExpressionError(f"expected a number or an expression, got {type(value).__name__} {value!r}")


def _check_range(value) -> None:
    problem = payoff_range_problem(value)
    if problem:
        raise ExpressionError(f"{short_text(str(value))} is outside the range of payoffs and probabilities: {problem}")


def _as_number(value):
    """A boolean sympy object becomes the 0/1 number it stands for."""
    if isinstance(value, sympy.Expr):  # Symbols are also Booleans in sympy: test Expr first
        return value
    if isinstance(value, (sympy.logic.boolalg.Boolean, sympy.core.relational.Relational)):
        if value is sympy.true:
            return sympy.Integer(1)
        if value is sympy.false:
            return sympy.Integer(0)
        return sympy.Piecewise((1, value), (0, True))
    return value


def _as_condition(value):
    if isinstance(value, sympy.Expr):
        return sympy.Ne(value, 0)
    if isinstance(value, (sympy.logic.boolalg.Boolean, sympy.core.relational.Relational)):
        return value
    return sympy.Ne(value, 0)


class _Translator:
    """``names``: each name allowed as written (``X`` or ``Voter1.X``) → the symbol it stands for
    (``None``: any identifier); ``ambiguous``: names refused, with the reason."""

    def __init__(self, names: Mapping[str, str] | None, ambiguous: Mapping[str, str], source: str = ""):
        self.names, self.ambiguous, self.source = names, ambiguous, source

    def visit(self, node):
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise ExpressionError(f"{_describe(node)} is not allowed in an expression")
        return method(node)

    def visit_Expression(self, node):
        return self.visit(node.body)

    def visit_Constant(self, node):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ExpressionError(f"constant {node.value!r} is not allowed (only numbers)")
        if isinstance(node.value, float):           # exactly as written: 1e400 is not inf, 1e-400 not 0
            return _decimal(ast.get_source_segment(self.source, node) or repr(node.value))
        _check_bits(node.value)
        return sympy.Integer(node.value)

    def visit_Name(self, node):
        if node.id.startswith("__"):
            raise ExpressionError(f"name '{node.id}' is not allowed")
        if node.id in FUNCTIONS:
            raise ExpressionError(f"'{node.id}' is a function; call it as {node.id}(...)")
        return self._named(node.id)

    def visit_Attribute(self, node):
        """``Voter1.X``: a qualified name, where the names allowed include it."""
        if isinstance(node.value, ast.Name) and self.names is not None:
            dotted = f"{node.value.id}.{node.attr}"
            if dotted in self.names or dotted in self.ambiguous:
                return self._named(dotted)
        raise ExpressionError(f"{_describe(node)} is not allowed in an expression")

    def _named(self, name: str):
        if name in self.ambiguous:
            raise ExpressionError(self.ambiguous[name])
        if self.names is None:
            return symbol(name)
        if name not in self.names:
            # qualified names only where the bare name is ambiguous: the list stays short
            shown = [n for n in self.names if "." not in n or n.split(".", 1)[1] in self.ambiguous]
            known = ", ".join(sorted(shown)) or "none"
            raise ExpressionError(f"unknown name '{name}' (known names: {known})")
        return symbol(self.names[name])

    def visit_BinOp(self, node):
        """A chain ``a + b - c + ...`` is read along its left spine without recursion, so a long
        sum costs no depth; powers and results are checked against the size limit."""
        chain = []
        while isinstance(node, ast.BinOp) and type(node.op) in _BINARY and not isinstance(node.op, ast.Pow):
            chain.append((node.op, node.right))
            node = node.left
        if chain:
            result = _as_number(self.visit(node))
            terms = [result]
            for op, right in reversed(chain):
                value = _as_number(self.visit(right))
                if isinstance(op, (ast.Add, ast.Sub)):
                    terms.append(value if isinstance(op, ast.Add) else -value)
                    continue
                if len(terms) > 1:
                    terms = [sympy.Add(*terms)]
                if isinstance(op, ast.Div) and value == 0:
                    raise ExpressionError("division by zero")
                terms = [_checked(_BINARY[type(op)](terms[0], value))]
            return _checked(sympy.Add(*terms)) if len(terms) > 1 else terms[0]
        if not isinstance(node, ast.BinOp):
            return self.visit(node)
        if not isinstance(node.op, ast.Pow):
            raise ExpressionError(f"operator {type(node.op).__name__} is not allowed")
        left, right = _as_number(self.visit(node.left)), _as_number(self.visit(node.right))
        _check_power(left, right)
        return _checked(left ** right)

    def visit_UnaryOp(self, node):
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.USub):
            return -_as_number(operand)
        if isinstance(node.op, ast.UAdd):
            return _as_number(operand)
        if isinstance(node.op, ast.Not):
            return sympy.Not(_as_condition(operand))
        raise ExpressionError(f"operator {type(node.op).__name__} is not allowed")

    def visit_BoolOp(self, node):
        values = [_as_condition(self.visit(v)) for v in node.values]
        return sympy.And(*values) if isinstance(node.op, ast.And) else sympy.Or(*values)

    def visit_Compare(self, node):
        parts = []
        left = _as_number(self.visit(node.left))
        for op, comparator in zip(node.ops, node.comparators):
            relation = _COMPARE.get(type(op))
            if relation is None:
                raise ExpressionError(f"comparison {type(op).__name__} is not allowed")
            right = _as_number(self.visit(comparator))
            parts.append(relation(left, right))
            left = right
        return sympy.And(*parts)

    def visit_Call(self, node):
        if not isinstance(node.func, ast.Name):
            raise ExpressionError(f"{_describe(node.func)} cannot be called; only "
                                  f"{', '.join(sorted(FUNCTIONS))} are allowed")
        name = node.func.id
        if name not in FUNCTIONS:
            raise ExpressionError(f"function '{name}' is not allowed (allowed: {', '.join(sorted(FUNCTIONS))})")
        if node.keywords:
            raise ExpressionError(f"{name}() takes no keyword arguments")
        low, high = _ARITY[name]
        if len(node.args) < low or (high is not None and len(node.args) > high):
            expected = f"{low}" if low == high else f"at least {low}"
            raise ExpressionError(f"{name}() takes {expected} argument(s), got {len(node.args)}")
        args = [_as_number(self.visit(a)) for a in node.args]
        if name == "exp":
            _check_exp(args[0])
        return FUNCTIONS[name](*args)


def _describe(node) -> str:
    descriptions = {
        "Attribute": "attribute access", "Subscript": "subscripting", "Lambda": "a lambda",
        "Call": "a call", "List": "a list", "Tuple": "a tuple", "Dict": "a dict", "Set": "a set",
        "ListComp": "a comprehension", "GeneratorExp": "a generator", "IfExp": "a conditional expression",
        "NamedExpr": "an assignment", "Starred": "unpacking", "JoinedStr": "an f-string", "Await": "await",
    }
    return descriptions.get(type(node).__name__, type(node).__name__)


def parse_expression(text, names: Iterable[str] | Mapping[str, str] | None = (),
                     ambiguous: Mapping[str, str] | None = None) -> sympy.Expr:
    """Parse ``text`` (a string or a number) into a sympy expression.

    ``names`` are the identifiers allowed (``None`` allows any identifier), or a mapping from each
    name as written to the symbol it stands for: a qualified name such as ``Voter1.X`` is allowed
    only this way. ``ambiguous`` maps names that are refused to the reason.
    """
    if not isinstance(text, str):
        return number(text)
    if names is None:
        allowed = None
    else:
        allowed = dict(names) if isinstance(names, Mapping) else {n: n for n in names}
    source = text.strip()
    if not source:
        raise ExpressionError("empty expression")
    if len(source) > limit("MAX_EXPRESSION_LENGTH"):
        raise ExpressionError(exceeded("MAX_EXPRESSION_LENGTH", f"the expression has {len(source)} characters"))
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"cannot parse {source!r}: {error.msg}") from None
    except (RecursionError, MemoryError):
        raise ExpressionError(exceeded("MAX_EXPRESSION_DEPTH", "the expression is nested too deeply to read")) from None
    depth = _depth(tree)
    if depth > limit("MAX_EXPRESSION_DEPTH"):
        raise ExpressionError(exceeded("MAX_EXPRESSION_DEPTH", f"the expression is nested {depth} deep"))
    result = _as_number(_Translator(allowed, ambiguous or {}, source).visit(tree))
    if isinstance(result, sympy.Basic) and result.has(*_UNDEFINED):
        raise ExpressionError(f"{source} is undefined ({_reason(result, {}) or 'not a finite number'})")
    if isinstance(result, sympy.Expr) and not result.free_symbols:
        problem = _range_problem(result)
        if problem:
            raise ExpressionError(f"{source} is outside the range of payoffs and probabilities: {problem}")
    return result


#: Operators whose left-nested chains (``a + b + c``) count as one level of depth.
_CHAINED = (ast.Add, ast.Sub, ast.Mult, ast.Div)


def _depth(tree) -> int:
    """The nesting depth of a parsed expression, walked without recursion; a chain of ``+ - * /``
    along its left side counts as one level (it is read as one sum or product)."""
    deepest, stack = 0, [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, ast.BinOp) and isinstance(node.op, _CHAINED):
            left = node.left
            stack.append((left, depth if isinstance(left, ast.BinOp) and isinstance(left.op, _CHAINED) else depth + 1))
            stack.append((node.right, depth + 1))
            continue
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


_DECIMAL = re.compile(r"^(\d*)\.?(\d*)[eE]([+-]?\d+)$")


def _decimal(text: str) -> sympy.Rational:
    """A decimal literal exactly (``1e-400`` is 10**-400), refused before building a number
    past the size limit."""
    text = text.replace("_", "")
    found = _DECIMAL.match(text)
    if found:
        digits = len(found.group(1)) + len(found.group(2))
        if (digits + abs(int(found.group(3)))) * 3.33 > limit("MAX_NUMBER_BITS"):
            raise ExpressionError(exceeded("MAX_NUMBER_BITS", f"the number {text} is too large to compute exactly"))
    value = Fraction(text)
    _check_bits(value)
    return sympy.Rational(value.numerator, value.denominator)


def _check_bits(value) -> None:
    bits = number_bits(value)
    if bits > limit("MAX_NUMBER_BITS"):
        raise ExpressionError(exceeded("MAX_NUMBER_BITS", f"a number in the expression has {bits} bits"))


def _checked(value):
    """``value`` if an exact number in it is within the size limit."""
    if isinstance(value, sympy.Rational):
        _check_bits(Fraction(int(value.p), int(value.q)))
    return value


def _log2_size(value) -> float | None:
    """About how many bits ``value`` (a number without names) takes; ``None`` if unknown."""
    if isinstance(value, sympy.Rational):
        return float(number_bits(Fraction(int(value.p), int(value.q))))
    try:
        magnitude = abs(complex(value.evalf(15)))
    except (TypeError, ValueError, OverflowError):
        return None
    if magnitude == 0 or math.isinf(magnitude) or math.isnan(magnitude):
        return None
    return abs(math.log2(magnitude))


def _check_power(base, exponent) -> None:
    """Refuse ``base ** exponent`` before computing it when the result would pass the size limit
    (bits of the base × the exponent); a name on either side is checked when it has a value."""
    if getattr(base, "free_symbols", None) or getattr(exponent, "free_symbols", None):
        if not getattr(exponent, "free_symbols", None) and exponent.is_Rational and abs(exponent.p) > limit("MAX_NUMBER_BITS"):
            raise ExpressionError(exceeded("MAX_NUMBER_BITS", f"the exponent {short_text(str(exponent))} is too large"))
        return
    if base in (0, 1, -1) or not getattr(exponent, "is_number", False):
        return
    size = _log2_size(base)
    try:
        factor = abs(int(exponent.p)) if exponent.is_Rational else abs(float(exponent.evalf(15)))
    except (TypeError, ValueError, OverflowError):
        return
    if size is not None and size * factor > limit("MAX_NUMBER_BITS"):
        raise ExpressionError(exceeded("MAX_NUMBER_BITS", f"the power {short_text(str(base))}**{short_text(str(exponent))} "
                                                          f"would have about {size * factor:.3g} bits"))


#: exp(x) for x beyond this is above 1e300 (and below 1e-300 for -x): outside the payoff range.
_EXP_ARGUMENT = 700


def _check_exp(argument) -> None:
    if getattr(argument, "free_symbols", None) or not getattr(argument, "is_number", False):
        return
    try:
        value = float(sympy.re(argument).evalf(15))
    except (TypeError, ValueError, OverflowError):
        return
    if abs(value) > _EXP_ARGUMENT:
        raise ExpressionError(f"exp({short_text(str(argument))}) is outside the range of payoffs (magnitude above 1e300 "
                              f"or below 1e-300)")


def _range_problem(value) -> str:
    """Why a number without names is outside the payoff range (see ``solver.core.limits``), or ``""``."""
    if value.is_Rational:
        return payoff_range_problem(Fraction(int(value.p), int(value.q)))
    try:
        approximate = complex(value.evalf(20))
    except (TypeError, ValueError, OverflowError):
        return ""                                   # not a plain number: left to the checks that know why
    if abs(approximate.imag) > 1e-12 * max(1.0, abs(approximate.real)):
        return "it is not a real number"
    return payoff_range_problem(approximate.real)


def free_names(expr) -> set[str]:
    return {s.name for s in getattr(expr, "free_symbols", ())}


def to_exact(value):
    """A concrete sympy number as ``Fraction`` when rational, else ``float``."""
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, float):
        return value
    if value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    if value.free_symbols:
        raise ExpressionError(f"expression still depends on {', '.join(sorted(free_names(value)))}")
    result = complex(value.evalf(30))
    if abs(result.imag) > 1e-12:
        raise ExpressionError(f"expression {value} is not a real number")
    return float(result.real)


def evaluate(expr, values: Mapping[str, object]):
    """Evaluate exactly: ``Fraction`` when the result is rational, else ``float``.

    Raises :class:`UndefinedValue` when the value is not a finite real number (``1/k`` at
    ``k = 0``, ``sqrt(k)`` at ``k = -1``), naming the expression and the values of its names."""
    if isinstance(expr, (int, Fraction, float)):
        return to_exact(expr) if not isinstance(expr, float) else expr
    if isinstance(expr, sympy.Rational):              # the common case of a number: no substitution needed
        value = Fraction(int(expr.p), int(expr.q))
        if payoff_range_problem(value):
            raise UndefinedValue(expr, {}, f"outside the range of payoffs and probabilities: {payoff_range_problem(value)}")
        return value
    substitution = _substitution(values)
    used = {name: values[name] for name in sorted(free_names(expr)) if name in values}
    growing = _growing_parts(expr)
    if growing:
        problem = _growth_problem(growing, substitution)
        if problem:
            raise UndefinedValue(expr, used, problem)
    result, defined = _substituted(expr, substitution)
    if defined and getattr(result, "free_symbols", None):
        raise ExpressionError(f"expression still depends on {', '.join(sorted(free_names(result)))}")
    if defined:
        try:
            value = to_exact(result)
        except (TypeError, ValueError, OverflowError):    # a complex value such as (-1)**(1/3)
            pass
        else:
            problem = payoff_range_problem(value)
            if problem:
                raise UndefinedValue(expr, used, f"outside the range of payoffs and probabilities: {problem}")
            return value
    raise UndefinedValue(expr, used, _reason(expr, substitution) or "not a finite real number")


@functools.lru_cache(maxsize=4096)
def _growing_parts(expr) -> tuple:
    """The powers and ``exp`` calls in ``expr`` whose size depends on the values of names (a name
    in the exponent or in exp's argument, or a large exponent), innermost first: these are checked
    before the values are substituted, since sympy computes an exact power eagerly."""
    if not isinstance(expr, sympy.Basic) or not expr.free_symbols:
        return ()
    parts = []
    for part in sympy.postorder_traversal(expr):
        if isinstance(part, sympy.Pow) and part.free_symbols and (
                part.exp.free_symbols or (part.exp.is_Rational and abs(part.exp.p) > 64)):
            parts.append(part)
        elif isinstance(part, sympy.exp) and part.args[0].free_symbols:
            parts.append(part)
    return tuple(parts)


def _growth_problem(parts, substitution) -> str:
    try:
        for part in parts:
            if isinstance(part, sympy.Pow):
                _check_power(part.base.subs(substitution), part.exp.subs(substitution))
            else:
                _check_exp(part.args[0].subs(substitution))
    except ExpressionError as error:
        return str(error)
    except (TypeError, ValueError):
        return ""
    return ""


def _substitution(values: Mapping[str, object]) -> dict:
    return {symbol(k): number(v) if not isinstance(v, sympy.Expr) else v for k, v in values.items()}


def _substituted(expr, substitution) -> tuple[object, bool]:
    """``expr`` with the values substituted (a comparison becomes 0 or 1), and whether the result
    is free of infinities, ``nan`` and imaginary parts (names left without a value may remain)."""
    try:
        # subs (not xreplace) so that Piecewise conditions are re-evaluated as they become numbers.
        result = expr.subs(substitution) if expr.free_symbols else expr
        if isinstance(result, (sympy.logic.boolalg.Boolean, sympy.core.relational.Relational)):
            result = _as_number(result)
        return result, not (result.has(*_UNDEFINED) or result.has(sympy.I))
    except (TypeError, ValueError):        # sympy refuses to compare or order zoo, nan and I
        return None, False


def describe_values(values: Mapping[str, object]) -> str:
    """``when k = 0 and p = 1/2`` (or ``for any parameter values`` when there are none)."""
    if not values:
        return "for any parameter values"
    shown = [f"{name} = {_shown(value)}" for name, value in values.items()]
    return "when " + (", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0])


def _shown(value) -> str:
    if isinstance(value, sympy.Basic):
        value = to_exact(value) if value.is_Rational else value
    return format_number(value) if isinstance(value, (int, Fraction, float)) else str(value)


def undefined_reason(expr, values: Mapping[str, object]) -> str:
    """Why ``expr`` has no finite real value at ``values`` (``"division by zero"``), or ``""``
    when it has one. Names without a value stay symbols: ``t/k`` at ``k = 0`` is undefined for
    every ``t``."""
    if not isinstance(expr, sympy.Basic) or not expr.free_symbols:
        return ""
    substitution = _substitution(values)
    if _substituted(expr, substitution)[1]:
        return ""
    return _reason(expr, substitution) or "not a finite real number"


def _reason(expr, substitution) -> str:
    """Why ``expr`` has no finite real value under ``substitution``: the first part that fails."""
    def at(part):
        try:
            return part.subs(substitution) if part.free_symbols else part
        except (TypeError, ValueError):
            return sympy.nan
    for part in sympy.preorder_traversal(expr):
        if isinstance(part, sympy.Pow):
            base, exponent = at(part.base), part.exp
            if exponent.is_negative and base == 0:
                return "division by zero"
            if exponent.is_integer is False and base.is_negative:
                return "the root of a negative number"
        if isinstance(part, sympy.log):
            argument = at(part.args[0])
            if argument == 0:
                return "the log of 0"
            if argument.is_negative:
                return "the log of a negative number"
    return ""


def evaluate_array(exprs: np.ndarray, values: Mapping[str, object]) -> np.ndarray:
    """Evaluate an object array of expressions: an object array of ``Fraction`` when every entry
    is rational, else a float64 array."""
    flat = [evaluate(e, values) for e in exprs.flat]
    if all(isinstance(v, Fraction) for v in flat):
        out = np.empty(len(flat), dtype=object)
        out[:] = flat
        return out.reshape(exprs.shape)
    return np.array([float(v) for v in flat], dtype=float).reshape(exprs.shape)


def compile_numpy(exprs: Iterable, names: list[str]):
    """Compile expressions into one vectorised function ``f(*arrays) -> list of arrays``.

    Each argument is a numpy array (all broadcastable); each result has the broadcast shape,
    constants included.
    """
    exprs = list(exprs)
    args = [symbol(n) for n in names]
    function = sympy.lambdify(args, [sympy.sympify(e) for e in exprs], modules="numpy")

    def run(*arrays):
        arrays = [np.asarray(a, dtype=float) for a in arrays]
        shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        with np.errstate(all="ignore"):
            results = function(*arrays)
        return [np.broadcast_to(np.asarray(r, dtype=float), shape) for r in results]

    return run
