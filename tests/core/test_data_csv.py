"""CSV import: good files with and without a header, 1 and k input columns; each refusal
names its line and column."""

import pytest

from gui_backprop.core.data_csv import DataFileError, check_fits, parse_csv, read_csv
from gui_backprop.core.training_data import LearnerPoints


def test_a_file_with_a_header_and_one_input_column():
    points = parse_csv(b"x,y\n1,3.1\n2,4.9\n3,7.2\n")
    assert points == LearnerPoints((1.0, 2.0, 3.0), (3.1, 4.9, 7.2))
    assert points.columns == 1


def test_a_file_without_a_header_blank_lines_crlf_and_a_bom():
    points = parse_csv("\ufeff1.5,2\r\n\r\n-2e-1, 4 \r\n".encode())
    assert points == LearnerPoints((1.5, -0.2), (2.0, 4.0))


def test_k_input_columns_make_rows_of_k_inputs():
    points = parse_csv(b"a,b,c,label\n1,2,3,0\n4,5,6,1\n")
    assert points.inputs == ((1.0, 2.0, 3.0), (4.0, 5.0, 6.0))
    assert points.targets == (0.0, 1.0) and points.columns == 3


def test_semicolons_and_tabs_separate_too():
    assert parse_csv(b"1;2\n3;4\n").targets == (2.0, 4.0)
    assert parse_csv(b"x\ty\n1\t2\n3\t4\n").inputs == (1.0, 3.0)


@pytest.mark.parametrize("raw, line, column, words", [
    (b"x,y\n1,2\n3,abc\n", 3, 2, "'abc' is not a number"),
    (b"1,2\n3,\n", 2, 2, "an empty cell is not a number"),
    (b"1,2\n3,4,5\n", 2, 3, "3 columns, the first has 2"),
    (b"1,2,3\n3,4\n", 2, 3, "2 columns, the first has 3"),
    (b"1,2\nnan,4\n", 2, 1, "not a finite number"),
    (b"1,2\n3,inf\n", 2, 2, "not a finite number"),
    (b"1,2\n3,-Infinity\n", 2, 2, "not a finite number"),
    (b"x,y\n1,2\n", 2, None, "1 row of data; training needs at least 2"),
    (b"x,y\n", 1, None, "0 rows of data"),
    (b"", 1, None, "0 rows of data"),
    (b"1\n2\n", 1, 1, "at least two columns"),
    (b"1,2\n3,4\x00\n", 2, 4, "not a text file"),
    (b"1,2\n3,\xff4\n", 2, 3, "not a UTF-8 text file"),
    (b"x,1\n3,4\n", 1, 1, "'x' is not a number"),
    (b"1,2\n1_000,3\n", 2, 1, "'1_000' is not a number"),
])
def test_each_bad_file_is_refused_with_its_line_and_column(raw, line, column, words):
    with pytest.raises(DataFileError) as caught:
        parse_csv(raw)
    assert words in caught.value.message
    assert (caught.value.line, caught.value.column) == (line, column)
    place = f"line {line}" + (f", column {column}" if column else "")
    assert str(caught.value).startswith(place)


def test_more_than_100000_rows_are_refused_at_the_row_too_many():
    raw = b"x,y\n" + b"1,2\n" * 100_000
    assert len(parse_csv(raw).targets) == 100_000
    with pytest.raises(DataFileError, match="more than 100,000 rows") as caught:
        parse_csv(raw + b"3,4\n")
    assert caught.value.line == 100_002


@pytest.mark.parametrize("raw, line, words", [
    (b"1,2,0\n3,4,1.5\n", 2, "1.5 is not a whole number"),
    (b"1,2,-1\n3,4,1\n", 1, "-1 is not a whole number"),
    (b"1,2,0\n3,4,3\n", 2, "more classes than the lesson has (3: labels 0 to 2)"),
])
def test_class_labels_must_be_classes_of_the_lesson(raw, line, words):
    with pytest.raises(DataFileError) as caught:
        parse_csv(raw, classes=3)
    assert words in caught.value.message
    assert (caught.value.line, caught.value.column) == (line, 3)


def test_whole_labels_are_accepted_for_classification():
    assert parse_csv(b"1,2,0\n3,4,2.0\n", classes=3).targets == (0.0, 2.0)


def test_read_csv_names_the_file_and_refuses_what_is_not_a_file(tmp_path):
    good = tmp_path / "points.csv"
    good.write_text("x,y\n1,2\n3,4\n")
    assert read_csv(good).inputs == (1.0, 3.0)
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n3,oops\n")
    with pytest.raises(DataFileError, match=r"^bad.csv, line 3, column 2: 'oops' is not"):
        read_csv(bad)
    with pytest.raises(DataFileError, match="not a regular file"):
        read_csv(tmp_path)
    with pytest.raises(DataFileError, match="cannot open"):
        read_csv(tmp_path / "missing.csv")


def test_check_fits_names_the_lesson_variables():
    points = parse_csv(b"1,2,3\n4,5,6\n")
    check_fits(points, 2, "x", "y")
    with pytest.raises(DataFileError, match=r"one input column \(x\) and a target column "
                                            r"\(y\); the file has 2 input columns"):
        check_fits(points, 1, "x", "y")
