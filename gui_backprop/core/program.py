"""Parse a learner's program: a tiny, safe subset of Python assignments.

A program is a list of assignments such as ``y_pred = w * x``. It is parsed with
:mod:`ast` and checked against a whitelist; nothing is ever evaluated by Python.
Every failure raises :class:`ProgramError` with a message and a position.
"""

from __future__ import annotations

import ast
import keyword
import re
from dataclasses import dataclass

from gui_backprop.core.errors import ProgramError, error_at
from gui_backprop.core.functions import FUNCTIONS
from gui_backprop.core.operation import COUNT, DIM, LABELS, Operation
from gui_backprop.core.tensor_functions import LABEL_FUNCTIONS
from gui_backprop.core.values import Value, literal_value, parse_number, short_text

MAX_SOURCE_CHARS = 100_000
MAX_STATEMENTS = 2_000
MAX_NESTING = 40
MAX_NAME_LENGTH = 40
MAX_OPERATIONS = 2_000
MAX_GRAPH_NODES = 10_000  # leaves, constants and operations of one trace
MAX_DEPTH = 100
RESERVED_NAMES = frozenset({"torch"})

_NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class Statement:
    """One assignment ``target = expression``; ``literal`` is set for leaves."""

    target: str
    expression: ast.expr
    text: str
    line: int
    column: int
    literal: Value | None


@dataclass(frozen=True)
class Program:
    """A parsed, validated program: statements in order and the source text."""

    source: str
    statements: tuple[Statement, ...]

    @property
    def leaves(self) -> dict[str, Value]:
        """Names assigned a literal number or list, with their values."""
        return {s.target: s.literal for s in self.statements if s.literal is not None}

    @property
    def label_names(self) -> frozenset[str]:
        """Leaves used as class labels (``cross_entropy(z, y)``): never parameters."""
        used = set()
        for stmt in self.statements:
            for node in ast.walk(stmt.expression):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id in FUNCTIONS):
                    for kind, arg in zip(FUNCTIONS[node.func.id].arguments, node.args,
                                         strict=False):
                        if kind == LABELS and isinstance(arg, ast.Name):
                            used.add(arg.id)
        return frozenset(used)

    @property
    def names(self) -> tuple[str, ...]:
        """Every assigned name, in program order."""
        return tuple(s.target for s in self.statements)

    @property
    def output(self) -> str:
        """The last assigned name: the output (the loss) by default."""
        return self.statements[-1].target

    def statement(self, name: str) -> Statement:
        """The statement that assigns ``name``."""
        for stmt in self.statements:
            if stmt.target == name:
                return stmt
        raise ProgramError(f"'{short_text(name, 40)}' is not assigned in the program")


def _check_nesting(source: str) -> None:
    """Reject absurd bracket nesting before :func:`ast.parse` can recurse on it."""
    depth = 0
    line = 1
    for ch in source:
        if ch in "([{":
            depth += 1
            if depth > MAX_NESTING:
                raise ProgramError(f"brackets are nested more than {MAX_NESTING} deep", line)
        elif ch in ")]}":
            depth -= 1
        elif ch == "\n":
            line += 1


def check_name(name: str, node: ast.AST | None = None) -> None:
    """Raise :class:`ProgramError` unless ``name`` may be used as a variable."""
    if not _NAME_PATTERN.match(name) or keyword.iskeyword(name):
        raise error_at(f"'{short_text(name, 40)}' is not a valid variable name", node)
    if name.startswith("__"):
        raise error_at(f"names starting with '__' are not allowed ('{name}')", node)
    if len(name) > MAX_NAME_LENGTH:
        raise error_at(f"the name '{name[:12]}...' is longer than {MAX_NAME_LENGTH} characters",
                       node)
    if name in FUNCTIONS:
        raise error_at(f"'{name}' is a function name and cannot be used as a variable", node)
    if name in RESERVED_NAMES:
        raise error_at(f"'{name}' is reserved; choose another name", node)


_BINARY_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.MatMult)


class _ExpressionChecker:
    """Walks an expression and raises on anything outside the whitelist."""

    def __init__(self, defined: dict[str, int], functions: dict[str, Operation] = FUNCTIONS,
                 lists: bool = False):
        self.defined = defined
        self.functions = functions
        self.lists = lists  # list literals inside an expression (rules with labels only)

    def check(self, node: ast.expr) -> None:
        if isinstance(node, ast.BinOp):
            if not isinstance(node.op, _BINARY_OPS):
                raise error_at(f"the operator '{_op_symbol(node.op)}' is not supported; "
                             "use + - * / ** or @", node)
            self.check(node.left)
            self.check(node.right)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub):
                raise error_at("only unary minus is supported (as in -x)", node)
            self.check(node.operand)
        elif isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                raise error_at("only numbers are allowed here (no strings or other values)", node)
            parse_number(node)
        elif isinstance(node, ast.Name):
            self._check_use(node)
        elif isinstance(node, ast.Call):
            self._check_call(node)
        elif isinstance(node, ast.List) and self.lists and literal_value(node) is not None:
            pass
        elif isinstance(node, ast.List):
            raise error_at("a list of numbers can only be assigned to a name on its own line, "
                         "as in x = [1, 2, 3]", node)
        elif isinstance(node, ast.Attribute):
            raise error_at("attributes (a.b) are not allowed; write exp(x), not torch.exp(x)", node)
        elif isinstance(node, ast.Subscript):
            raise error_at("indexing (a[i]) is not allowed", node)
        else:
            raise error_at(f"{_describe(node)} is not allowed in a program", node)

    def _check_use(self, node: ast.Name) -> None:
        check_name(node.id, node)
        if node.id not in self.defined:
            raise error_at(f"'{short_text(node.id, 40)}' is used before it is assigned", node)

    def _check_call(self, node: ast.Call) -> None:
        if not isinstance(node.func, ast.Name):
            raise error_at("only the built-in functions can be called, as in exp(x)", node)
        name = node.func.id
        if name not in self.functions:
            known = ", ".join(sorted(FUNCTIONS))
            raise error_at(f"unknown function '{short_text(name, 40)}'; available: {known}", node)
        if node.keywords:
            raise error_at(f"{name}() takes no keyword arguments", node)
        op = self.functions[name]
        count = len(node.args)
        if any(isinstance(a, ast.Starred) for a in node.args) or not (
                op.required <= count <= len(op.arguments)):
            raise error_at(f"{name}() takes {_argument_count(name, op)}", node)
        for kind, argument in zip(op.arguments, node.args, strict=False):
            if kind in (DIM, COUNT):
                _check_whole_number(name, argument, kind)
            elif kind == LABELS:
                self._check_labels(name, argument)
            else:
                self.check(argument)

    def _check_labels(self, name: str, node: ast.expr) -> None:
        if isinstance(node, ast.Name):
            self._check_use(node)
            return
        value = literal_value(node)
        numbers = value if isinstance(value, tuple) else (value,)
        if value is None or any(isinstance(v, tuple) or v != int(v) or v < 0 for v in numbers):
            raise error_at(f"{name}(): the class labels must be a whole number such as 2, a "
                           "list such as [0, 2], or the name of a value holding them", node)


def _argument_count(name: str, op: Operation) -> str:
    counts = {1: "one argument", 2: "two arguments"}
    if op.required == len(op.arguments):
        return "exactly " + counts[op.required]
    return f"one argument or two, as in {name}(x) or {name}(x, 0) (0: down each column)"


def _check_whole_number(name: str, node: ast.expr, kind: str) -> None:
    number = parse_number(node)
    literal = node.operand if isinstance(node, ast.UnaryOp) else node
    if number is None or not isinstance(getattr(literal, "value", None), int):
        what = "the dimension" if kind == DIM else "the count"
        raise error_at(f"{name}(): {what} must be a whole number written out, as in "
                       f"{name}(x, 0)", node)


def _op_symbol(op: ast.AST) -> str:
    symbols = {ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.BitAnd: "&",
               ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>"}
    return symbols.get(type(op), type(op).__name__)


def _describe(node: ast.AST) -> str:
    names = {ast.Lambda: "a lambda", ast.Compare: "a comparison", ast.BoolOp: "and/or",
             ast.IfExp: "an if-expression", ast.Tuple: "a tuple", ast.Dict: "a dictionary",
             ast.Set: "a set", ast.ListComp: "a comprehension", ast.GeneratorExp: "a generator",
             ast.JoinedStr: "an f-string", ast.Starred: "*unpacking", ast.NamedExpr: ":="}
    return names.get(type(node), f"'{type(node).__name__}'")


def _check_size(expression: ast.expr) -> None:
    """Reject expressions too deep or too large to show (iteratively: no recursion)."""
    stack = [(expression, 1)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise error_at(f"this expression is nested more than {MAX_DEPTH} levels deep", node)
        if count > MAX_OPERATIONS:
            raise error_at(f"this expression has more than {MAX_OPERATIONS} parts", expression)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


_STATEMENT_KINDS = {
    ast.Expr: "an expression on its own", ast.Import: "an import", ast.ImportFrom: "an import",
    ast.If: "an if statement", ast.For: "a loop", ast.While: "a loop",
    ast.FunctionDef: "a function definition", ast.ClassDef: "a class definition",
    ast.AnnAssign: "an annotated assignment", ast.Pass: "pass", ast.Delete: "del",
    ast.With: "a with block", ast.Try: "a try block", ast.Return: "return",
}


def _source_lines(source: str) -> list[str]:
    """The source's lines with their endings, split where Python splits them."""
    return re.split(r"(?<=\n)|(?<=\r)(?!\n)", source)


def _segment(lines: list[str], node: ast.stmt) -> str:
    """The source text of ``node`` (``ast.get_source_segment`` re-splits the whole source
    on every call, which is quadratic over a program's statements)."""
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    start = lines[first].encode()
    if first == last:
        return start[node.col_offset:node.end_col_offset].decode()
    end = lines[last].encode()[:node.end_col_offset].decode()
    return start[node.col_offset:].decode() + "".join(lines[first + 1:last]) + end


def _statement(node: ast.stmt, lines: list[str], defined: dict[str, int]) -> Statement:
    if not isinstance(node, ast.Assign):
        if isinstance(node, ast.AugAssign):
            raise error_at("augmented assignment (+=, -=, ...) is not allowed; "
                         "give the new value its own name", node)
        kind = _STATEMENT_KINDS.get(type(node), f"a '{type(node).__name__}' statement")
        raise error_at(f"only assignments 'name = expression' are allowed, not {kind}", node)
    if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
        raise error_at("assign to exactly one plain name, as in 'y = w * x'", node)
    target = node.targets[0]
    check_name(target.id, target)
    if target.id in defined:
        raise error_at(f"'{target.id}' is already assigned on line {defined[target.id]}; "
                     "each name can be assigned once", target)
    literal = literal_value(node.value)
    if literal is None:
        _check_size(node.value)
        if isinstance(node.value, ast.Name):
            raise error_at(f"'{target.id} = {node.value.id}' would only copy a value; "
                         f"use '{node.value.id}' directly", node)
        _ExpressionChecker(defined).check(node.value)
    text = _segment(lines, node)
    return Statement(target.id, node.value, text, node.lineno, node.col_offset + 1, literal)


_LOOKALIKES = {"−": "-", "–": "-", "×": "*", "·": "*", "÷": "/", "²": "** 2", "³": "** 3"}
"""Characters a learner may paste from maths text, and what the program syntax uses."""


def _check_encodable(source: str) -> None:
    """Refuse text that is not valid Unicode (a lone surrogate, which JSON's ``\\ud800``
    can carry): the parser would fail on it with a misleading reason."""
    try:
        source.encode("utf-8")
    except UnicodeEncodeError as exc:
        line = source.count("\n", 0, exc.start) + 1
        column = exc.start - (source.rfind("\n", 0, exc.start) + 1) + 1
        raise ProgramError("the program contains a character that is not valid text "
                           f"(U+{ord(source[exc.start]):04X})", line, column) from None


def parse_program(source: str) -> Program:
    """Parse and validate ``source``; raise :class:`ProgramError` on any problem."""
    if not isinstance(source, str):
        raise ProgramError("a program must be text")
    if len(source) > MAX_SOURCE_CHARS:
        raise ProgramError(f"the program is longer than {MAX_SOURCE_CHARS} characters")
    if "\x00" in source:
        raise ProgramError("the program contains a null character")
    _check_encodable(source)
    _check_nesting(source)
    try:
        tree = ast.parse(source, mode="exec")
    except SyntaxError as exc:
        message = (exc.msg or "invalid syntax").replace("invalid syntax. ", "")
        col = exc.offset if exc.offset else None
        if "integer string conversion" in message:
            raise ProgramError("this number has too many digits", exc.lineno, col) from None
        for typed, meant in _LOOKALIKES.items():
            if f"'{typed}'" in message:
                message += f"; type {meant} instead"
        raise ProgramError(f"syntax error: {message}", exc.lineno, col) from None
    except (RecursionError, MemoryError, ValueError, OverflowError):
        raise ProgramError("the program is too deeply nested or too large") from None
    if not tree.body:
        raise ProgramError("the program is empty: write at least one assignment, "
                           "such as 'x = 1.0'")
    if len(tree.body) > MAX_STATEMENTS:
        raise ProgramError(f"a program may have at most {MAX_STATEMENTS} statements")
    defined: dict[str, int] = {}
    statements = []
    lines = _source_lines(source)
    for node in tree.body:
        stmt = _statement(node, lines, defined)
        defined[stmt.target] = stmt.line
        statements.append(stmt)
    if all(s.literal is not None for s in statements):
        raise ProgramError("the program only assigns numbers; compute something from them, "
                           "such as 'loss = (w * x - y) ** 2'", statements[-1].line)
    return Program(source, tuple(statements))


def parse_expression(text: str, names: set[str] | dict, rules: bool = False) -> ast.expr:
    """Parse and check one expression over ``names`` (such as a gradient formula);
    ``rules``: also the functions and list literals of the tensor rules
    (:data:`~gui_backprop.core.tensor_functions.LABEL_FUNCTIONS`)."""
    if len(text) > MAX_SOURCE_CHARS:
        raise ProgramError("this expression is too long")
    _check_nesting(text)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise ProgramError(f"syntax error in '{short_text(text)}'",
                           getattr(exc, "lineno", None)) from None
    _check_size(tree.body)
    if literal_value(tree.body, limit=None) is None:  # a constant of any size is fine here
        functions = {**FUNCTIONS, **LABEL_FUNCTIONS} if rules else FUNCTIONS
        _ExpressionChecker({name: 0 for name in names}, functions, rules).check(tree.body)
    return tree.body
