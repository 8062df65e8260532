"""Values written into a program's literals (the playground's code shows its values)."""

from gui_backprop.core.program import parse_program
from gui_backprop.core.program_source import with_values


def test_only_the_literals_change_and_every_statement_keeps_its_line():
    program = parse_program("x = [1.0,\n     2.0]  # data\nw = 1.0  # weight\n"
                            "y = w * x\nloss = mean(y)")
    rewritten = with_values(program, {"w": 3.0, "x": (5.0, -6.0)})
    assert rewritten.leaves == {"x": (5.0, -6.0), "w": 3.0}
    assert [s.line for s in rewritten.statements] == [s.line for s in program.statements]
    assert "w = 3.0  # weight" in rewritten.source and "# data" in rewritten.source
    assert rewritten.source.endswith("y = w * x\nloss = mean(y)")


def test_unchanged_values_give_the_same_program():
    program = parse_program("a = 2.0\nb = a * 3.0")
    assert with_values(program, {"a": 2.0, "zz": 1.0}) is program


def test_columns_after_a_non_ascii_comment_are_counted_right():
    program = parse_program("# ∂loss/∂w\nw = 1.0\nloss = w ** 2")
    assert with_values(program, {"w": -0.5}).source == "# ∂loss/∂w\nw = -0.5\nloss = w ** 2"
