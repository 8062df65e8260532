"""Property tests: whatever text or syntax tree comes in, the parser answers quickly with
a Program or a ProgramError, and nothing else."""

from __future__ import annotations

import ast
import re
import time

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gui_backprop.core.errors import ProgramError
from gui_backprop.core.program import Program, parse_program
from gui_backprop.core.values import parse_value

FAST = settings(deadline=1000, max_examples=300,
                suppress_health_check=[HealthCheck.too_slow])

NAMES = st.sampled_from(["x", "y", "w", "b", "loss", "exp", "sum", "torch", "__import__",
                         "__class__", "lambda", "None", "ŷ", "_", "a" * 60, "os", "eval"])
NUMBERS = st.one_of(st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True))
CONSTANTS = st.one_of(NUMBERS, st.text(max_size=5), st.binary(max_size=5), st.booleans(),
                      st.none(), st.complex_numbers(max_magnitude=10), st.just(...))
BINARY = st.sampled_from([ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.Mod, ast.FloorDiv,
                          ast.MatMult, ast.BitAnd, ast.BitOr, ast.BitXor, ast.LShift,
                          ast.RShift])
UNARY = st.sampled_from([ast.USub, ast.UAdd, ast.Not, ast.Invert])
COMPARE = st.sampled_from([ast.Lt, ast.Eq, ast.Is, ast.In, ast.NotIn, ast.GtE])


def _name(draw, ctx=ast.Load) -> ast.Name:
    return ast.Name(draw(NAMES), ctx())


def _op(draw, ops):
    return draw(ops)()


@st.composite
def expressions(draw, depth: int = 3) -> ast.expr:
    """A random expression of any kind, ``depth`` levels deep at most."""
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return _name(draw) if draw(st.booleans()) else ast.Constant(draw(CONSTANTS))

    def sub():
        return draw(expressions(depth - 1))

    def some(low=1, high=3):
        return [sub() for _ in range(draw(st.integers(low, high)))]

    kind = draw(st.integers(0, 17))
    made = [
        lambda: ast.BinOp(sub(), _op(draw, BINARY), sub()),
        lambda: ast.UnaryOp(_op(draw, UNARY), sub()),
        lambda: ast.BoolOp(draw(st.sampled_from([ast.And(), ast.Or()])), some(2, 3)),
        lambda: ast.Compare(sub(), [_op(draw, COMPARE)], [sub()]),
        lambda: ast.Call(_name(draw) if draw(st.booleans()) else sub(), some(0, 2),
                         [ast.keyword(draw(NAMES), sub())] if draw(st.booleans()) else []),
        lambda: ast.Attribute(sub(), draw(NAMES), ast.Load()),
        lambda: ast.Subscript(sub(), sub(), ast.Load()),
        lambda: ast.List(some(0, 4), ast.Load()),
        lambda: ast.Tuple(some(), ast.Load()),
        lambda: ast.Dict([sub()], [sub()]),
        lambda: ast.Set(some()),
        lambda: ast.Lambda(ast.arguments([], [ast.arg("q")], None, [], [], None, []), sub()),
        lambda: ast.IfExp(sub(), sub(), sub()),
        lambda: ast.ListComp(sub(), [ast.comprehension(ast.Name("q", ast.Store()), sub(), [],
                                                       0)]),
        lambda: ast.JoinedStr([ast.FormattedValue(sub(), -1, None)]),
        lambda: ast.NamedExpr(ast.Name(draw(NAMES), ast.Store()), sub()),
        lambda: ast.Starred(sub(), ast.Load()),
        lambda: ast.Call(ast.Name(draw(st.sampled_from(["exp", "mean", "relu"])), ast.Load()),
                         some(1, 1), []),
    ]
    return made[kind]()


@st.composite
def statements(draw) -> ast.stmt:
    """A random statement: mostly assignments, some of every other common kind."""
    value = draw(expressions())
    kind = draw(st.integers(0, 12))
    if kind <= 3:
        return ast.Assign([_name(draw, ast.Store)], value)
    made = [
        lambda: ast.Assign([ast.Attribute(_name(draw), draw(NAMES), ast.Store())], value),
        lambda: ast.Assign([_name(draw, ast.Store), _name(draw, ast.Store)], value),
        lambda: ast.AugAssign(_name(draw, ast.Store), _op(draw, BINARY), value),
        lambda: ast.AnnAssign(_name(draw, ast.Store), ast.Name("float", ast.Load()), value, 1),
        lambda: ast.Expr(value),
        lambda: ast.Import([ast.alias(draw(NAMES))]),
        lambda: ast.If(value, [ast.Assign([_name(draw, ast.Store)], value)], []),
        lambda: ast.Pass(),
        lambda: ast.Delete([ast.Name(draw(NAMES), ast.Del())]),
    ]
    return made[kind - 4]()


@st.composite
def programs(draw) -> list[ast.stmt]:
    """Random module bodies: any of many statement and expression kinds."""
    return draw(st.lists(statements(), min_size=0, max_size=6))


def _unparse(statements) -> str:
    module = ast.fix_missing_locations(ast.Module(statements, []))
    try:
        return ast.unparse(module)
    except Exception:  # some random trees have no source form
        assume(False)
        raise


def _parse_quickly(text: str) -> Program | ProgramError:
    start = time.perf_counter()
    try:
        result: Program | ProgramError = parse_program(text)
    except ProgramError as exc:
        assert exc.message and "\n" not in exc.message
        lines = len(re.split(r"\r\n|\r|\n", text))  # Python's own line breaks
        assert exc.line is None or 1 <= exc.line <= lines
        assert exc.column is None or exc.column >= 1
        result = exc
    assert time.perf_counter() - start < 1.0
    return result


@FAST
@given(st.text(max_size=300))
def test_any_text_gives_a_program_or_a_program_error(text):
    _parse_quickly(text)


@FAST
@given(st.text(alphabet="xwyb01. =+-*/()[],\n#e_", max_size=200))
def test_text_close_to_a_program_gives_a_program_or_a_program_error(text):
    _parse_quickly(text)


@FAST
@given(programs())
def test_any_syntax_tree_gives_a_program_or_a_program_error(statements):
    result = _parse_quickly(_unparse(statements))
    if isinstance(result, Program):
        allowed = (ast.Name, ast.Constant, ast.BinOp, ast.UnaryOp, ast.Call, ast.List,
                   ast.Load, ast.USub, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
        for stmt in result.statements:
            for node in ast.walk(stmt.expression):
                assert isinstance(node, allowed), ast.dump(node)


@FAST
@given(st.text(max_size=200))
def test_any_value_text_gives_a_value_or_a_program_error(text):
    try:
        value = parse_value(text)
    except ProgramError:
        return
    values = value if isinstance(value, tuple) else (value,)
    assert all(isinstance(v, float) for v in values)


STATEMENT_TEXTS = st.sampled_from([
    "y{i} = x * {i}", "y{i} = (x +\n  {i})", "y{i} = exp(x) # é ŷ", "y{i} = [1,\r\n 2]",
    "y{i} = -x ** 2", "y{i} = x;", "\ty{i} = x * 2", "y{i} =\\\n x * 3",
])


@FAST
@given(st.lists(st.tuples(STATEMENT_TEXTS, st.sampled_from(["\n", "\r\n", "\r", "\n\n"])),
                min_size=1, max_size=8))
def test_each_statement_keeps_its_own_source_text(parts):
    source = "x = 0.5\n" + "".join(text.format(i=i) + end for i, (text, end) in enumerate(parts))
    result = _parse_quickly(source)
    if isinstance(result, Program):
        tree = ast.parse(source)
        assert [s.text for s in result.statements] == [
            ast.get_source_segment(source, node) for node in tree.body]
