"""The input contract: choosing the input, the grid, layouts, block boundaries, line numbers
across blocks, the polars fast path against the line-by-line one, and the read-ahead thread."""

from __future__ import annotations

import io
import math
import os
import re
import threading
import time
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actcli import curves, inputs
from actcli.errors import DataError, UsageError
from actcli.inputs import fast as polars_path
from actcli.inputs import ranges, request
from actcli.inputs import text as text_reader


def numbers(data: bytes, column: str | None = None) -> np.ndarray:
    blocks = list(inputs.Reader(io.BytesIO(data), column))
    return np.concatenate(blocks) if blocks else np.array([])


@pytest.mark.parametrize("block_bytes", [1, 2, 3, 5, 7, 64])
def test_blocks_cut_anywhere_give_the_same_numbers(monkeypatch, block_bytes):
    monkeypatch.setattr(text_reader, "BLOCK_BYTES", block_bytes)
    data = b"\xef\xbb\xbf1.5\r\n\n-2\n  inf \n3e-300\nNaN\n4"  # BOM, CRLF, blank, no final newline
    got = numbers(data)
    np.testing.assert_array_equal(got, [1.5, -2.0, np.inf, 3e-300, np.nan, 4.0])


def test_a_bad_number_in_a_later_block_names_its_line(monkeypatch):
    monkeypatch.setattr(text_reader, "BLOCK_BYTES", 16)
    data = b"".join(b"%d\n" % i for i in range(40)) + b"x\n"
    with pytest.raises(DataError, match=r"'x' at line 41$"):
        numbers(data)


def test_large_blocks_take_the_polars_path_and_keep_line_numbers():
    n = text_reader._POLARS_MIN_LINES + 10
    good = np.random.default_rng(0).standard_normal(n)
    data = "".join(f"{float(v)!r}\n" for v in good).encode()
    np.testing.assert_array_equal(numbers(data), good)
    with pytest.raises(DataError, match=rf"'1,5' at line {n + 2}$"):
        numbers(data + b"2\n1,5\n")


def test_read_ahead_keeps_order_and_raises_where_the_item_would_be():
    def items():
        yield 1
        yield 2
        raise DataError("bad number 'x' at line 3")

    ahead = inputs.read_ahead(items())
    assert [next(ahead), next(ahead)] == [1, 2]
    with pytest.raises(DataError, match="line 3"):
        next(ahead)
    assert list(inputs.read_ahead(iter([]))) == []


def test_leaving_early_stops_the_producer():
    produced = []

    def endless():
        i = 0
        while True:
            produced.append(i)
            yield i
            i += 1

    ahead = inputs.read_ahead(endless())
    assert next(ahead) == 0
    ahead.close()  # what a closed pipe or an error downstream does
    deadline = time.monotonic() + 5
    while any(t.name == "actcli-read-ahead" for t in threading.enumerate()):
        assert time.monotonic() < deadline, "the read-ahead thread did not stop"
        time.sleep(0.01)
    assert len(produced) <= 3  # one handed over, one waiting, one being made: nothing runs on


@pytest.mark.slow
def test_a_non_blocking_pipe_is_waited_for_not_taken_as_ended():
    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)  # as another program may leave stdin

    def write_late():
        time.sleep(0.3)
        os.write(write_end, b"1\n2")
        time.sleep(0.2)
        os.write(write_end, b"5\n3\n")
        os.close(write_end)

    threading.Thread(target=write_late).start()
    with os.fdopen(read_end, "rb") as stream:
        np.testing.assert_array_equal(np.concatenate(list(inputs.Reader(stream))), [1, 25, 3])


def both_paths(monkeypatch, data: bytes, column: str | None = None):
    """The blocks' numbers through polars and, forced, through the line-by-line path."""
    fast = numbers(data, column)
    with monkeypatch.context() as m:
        m.setattr(text_reader, "_POLARS_MIN_LINES", 10**12)
        slow = numbers(data, column)
    return fast, slow


@pytest.mark.slow
def test_large_delimited_input_takes_polars_and_agrees_with_the_slow_path(monkeypatch):
    n = text_reader._POLARS_MIN_LINES + 7
    v = np.random.default_rng(1).standard_normal((n, 2))
    rows = "".join(f'{a!r},label {i},"{b!r}"\r\n' for i, (a, b) in enumerate(v.tolist()))
    data = ("x,name,y\r\n" + rows).encode()
    parsed = []  # what polars returned, to know it was not always the fallback
    real = polars_path._polars_block
    monkeypatch.setattr(polars_path, "_polars_block", lambda *a: parsed.append(r := real(*a)) or r)
    for column, want in (("y", v[:, 1]), ("1", v[:, 0])):
        fast, slow = both_paths(monkeypatch, data, column)
        np.testing.assert_array_equal(fast.reshape(-1), want)
        np.testing.assert_array_equal(slow.reshape(-1), want)
    tsv = "".join(f"{a!r}\t{b!r}\n" for a, b in v.tolist()).encode()
    fast, slow = both_paths(monkeypatch, tsv)  # every field: rows are vectors
    np.testing.assert_array_equal(fast, v)
    np.testing.assert_array_equal(slow, v)
    assert len(parsed) == 3 and all(p is not None for p in parsed)


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (b"1,2,3\n", r"line \d+ has 3 fields, the others 2$"),
        (b"1,abc\n", r"bad number 'abc' at line \d+, column 2$"),
        (b"1, 2\n", None),  # spaces are fine, only slower
        (b"\n", None),  # a blank line is skipped
    ],
)
@pytest.mark.slow
def test_odd_rows_in_large_delimited_input_fall_back(monkeypatch, bad_row, message):
    n = text_reader._POLARS_MIN_LINES + 5
    head = b"".join(b"%d,%d\n" % (i, -i) for i in range(n))
    data = b"a,b\n" + head + bad_row + b"7,8\n"
    if message is None:
        fast, slow = both_paths(monkeypatch, data)
        np.testing.assert_array_equal(fast, slow)
        assert fast.shape == (n + 1 + (bad_row != b"\n"), 2)
        return
    with pytest.raises(DataError, match=message.replace(r"\d+", str(n + 2))):
        numbers(data)


@pytest.mark.parametrize(
    ("token", "kind"),
    [("1e400", "over"), ("-1.5E+309", "over"), ("1e-400", "under"), ("-2e-324", "under"),
     ("0", None), ("-0.0", None), ("0e-999", None), ("inf", None), ("-Infinity", None),
     ("1e308", None), ("5e-324", None)],
)  # fmt: skip
def test_numbers_beyond_float64_are_named(token, kind):
    assert inputs.out_of_range(token, float(token)) == kind


def test_numbers_beyond_float64_are_counted_on_every_path(monkeypatch):
    n = text_reader._POLARS_MIN_LINES + 3
    body = b"".join(b"%d\n" % i for i in range(n))
    lines = b"1e400\n-1e-400\ninf\n0e-500\n"
    csv_rows = b"".join(b"7," + line for line in lines.splitlines(keepends=True))
    csv_body = body.replace(b"\n", b",1\n")
    cases = [  # (data, column, header lines): small blocks, and polars-sized ones
        (lines, None, 0), (body + lines, None, 0),
        (b"a,b\n" + csv_rows, "b", 1), (b"a,b\n" + csv_body + csv_rows, "b", 1),
    ]  # fmt: skip
    for data, column, header in cases:
        lost: Counter[str] = Counter()
        rows = list(inputs.Reader(io.BytesIO(data), column, lost))
        assert (lost["over"], lost["under"]) == (1, 1), data[-40:]
        assert sum(len(r) for r in rows) == data.count(b"\n") - header
    lost = Counter()
    inputs.parse_values(["1e999", "1e-999", "0", "-inf"], lost)
    assert lost == Counter(over=1, under=1)


# ---------------------------------------------------------------------------------- the request


def request_blocks(request: inputs.Request, stdin: bytes = b"", terminal: bool = False):
    got = list(inputs.blocks(request, io.BytesIO(stdin), terminal))
    return np.concatenate(got) if got else np.array([])


@pytest.mark.parametrize(
    ("request_", "terminal", "kind", "option", "message"),
    [
        (inputs.Request(values=("-", "5")), False, UsageError, ("values",), "give numbers or '-'"),
        (inputs.Request(values=("1",), span=(0, 1)), False, UsageError, ("values", "range"), "one way"),
        (inputs.Request(values=("-",), span=(0, 1)), False, UsageError, ("range", "stdin"), "one way"),
        (inputs.Request(span=(0, 1), path=Path("x")), False, UsageError, ("range", "file"), "one way"),
        (inputs.Request(values=("5",), steps=3), False, UsageError, ("steps", "range"), "only with a range$"),
        (inputs.Request(values=("1",), column="x"), False, UsageError, ("column", "file", "stdin"), "only with a file or standard input$"),
        (inputs.Request(span=(0, 1), column="x"), False, UsageError, ("column", "file", "stdin"), "only with a file or standard input$"),
        (inputs.Request(span=(0, 1), steps=0), False, UsageError, ("steps",), "got 0$"),
        (inputs.Request(span=(0, 1), steps=10**8 + 1), False, UsageError, ("steps",), "between"),
        (inputs.Request(span=(0, 1), default_steps=0), False, UsageError, ("steps",), "got 0$"),
        (inputs.Request(span=(0, math.inf)), False, UsageError, ("range",), "two finite"),
        (inputs.Request(span=(math.nan, 1)), False, UsageError, ("range",), "two finite"),
        (inputs.Request(), True, UsageError, ("values", "range", "file"), "^no input"),
        (inputs.Request(path=Path("/nonexistent/data.csv")), False, DataError, ("file",),
         "^cannot read /nonexistent/data.csv: No such file or directory$"),
    ],
)  # fmt: skip
def test_a_request_that_is_not_one_input_is_an_error_naming_it(
    request_, terminal, kind, option, message
):
    with pytest.raises(kind, match=message) as caught:
        request_blocks(request_, terminal=terminal)
    assert caught.value.options == option
    assert "--" not in str(caught.value)  # the core's words; the command line names flags


def test_request_errors_are_raised_before_anything_is_read():
    stdin = io.BytesIO(b"1\n")
    with pytest.raises(UsageError):
        inputs.blocks(inputs.Request(values=("1",), steps=2), stdin, False)
    assert stdin.tell() == 0


def test_each_source_in_its_order_of_precedence(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"a,b\n1,2\n3,4\n")
    assert request_blocks(inputs.Request(values=("1", "\u22122")), b"9\n").tolist() == [1, -2]
    assert request_blocks(inputs.Request(span=(0, 1), steps=3), b"9\n").tolist() == [0, 0.5, 1]
    assert len(request_blocks(inputs.Request(span=(0, 1), default_steps=1001))) == 1001
    assert request_blocks(inputs.Request(path=path, column="b"), b"9\n").tolist() == [[2], [4]]
    assert request_blocks(inputs.Request(), b"9\n").tolist() == [9]
    assert request_blocks(inputs.Request(values=("-",)), b"9\n", terminal=True).tolist() == [9]
    assert request_blocks(inputs.Request(column="2"), b"1 2\n").tolist() == [[2]]


def test_the_file_is_opened_and_closed_by_the_reading_thread(tmp_path, monkeypatch):
    path = tmp_path / "data.txt"
    path.write_bytes(b"1\n2\n")
    threads = []
    real = request.closing

    def watched(stream, reader):
        threads.append(threading.current_thread().name)
        yield from real(stream, reader)
        threads.append(threading.current_thread().name if stream.closed else "left open")

    monkeypatch.setattr(request, "closing", watched)
    assert request_blocks(inputs.Request(path=path)).tolist() == [1, 2]
    assert threads == ["actcli-read-ahead", "actcli-read-ahead"]


def test_a_read_failing_is_a_data_error_naming_the_input():
    class Failing(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            raise IsADirectoryError(21, "Is a directory")

    with pytest.raises(DataError, match=r"^cannot read standard input: Is a directory$") as caught:
        list(inputs.blocks(inputs.Request(), io.BufferedReader(Failing()), False))
    assert caught.value.options == ("stdin",)


# ---------------------------------------------------------------------------------- the grid


def exact_grid(a: float, b: float, steps: int) -> list[float]:
    """The doubles nearest to the decimal grid points, by rational arithmetic."""
    lo, hi = Fraction(Decimal(repr(a))), Fraction(Decimal(repr(b)))
    if steps == 1:
        return [a]
    return [float(lo + (hi - lo) * k / (steps - 1)) for k in range(steps)]


def test_grid_points_are_the_decimals_typed():
    assert inputs.grid(-1, 1, 11).tolist() == [float(k) / 10 for k in range(-10, 11, 2)]
    assert inputs.grid(0.1, 0.3, 3).tolist() == [0.1, 0.2, 0.3]
    assert inputs.grid(1, -1, 5).tolist() == [1.0, 0.5, 0.0, -0.5, -1.0]  # a > b counts down
    assert inputs.grid(2.5, 2.5, 3).tolist() == [2.5, 2.5, 2.5]
    assert inputs.grid(3, 5, 1).tolist() == [3.0]
    assert inputs.grid(3, 5, 0).tolist() == []
    assert inputs.grid(-1e308, 1e308, 3).tolist() == [-1e308, 0.0, 1e308]
    assert math.copysign(1, inputs.grid(-0.0, 1, 3)[0]) == -1  # the ends are a and b
    assert inputs.grid(5e-324, 1e-323, 3).tolist() == exact_grid(5e-324, 1e-323, 3)


decimals = st.decimals(min_value=-(10**6), max_value=10**6, places=4).map(float)
any_floats = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(st.one_of(decimals, any_floats), st.one_of(decimals, any_floats), st.integers(1, 300))
def test_grid_rounds_each_point_exactly(a, b, steps):
    assert inputs.grid(a, b, steps).tolist() == exact_grid(a, b, steps)


@settings(max_examples=50, deadline=None)
@given(decimals, decimals, st.integers(2, 40), st.integers(1, 7))
def test_grid_blocks_are_cut_anywhere(a, b, steps, block):
    with mock.patch.object(ranges, "RANGE_BLOCK", block):
        parts = list(inputs.grid_blocks(a, b, steps))
    assert all(len(p) <= block for p in parts[:-1])
    assert np.concatenate(parts).tolist() == exact_grid(a, b, steps)


def test_grids_beyond_exact_arithmetic_keep_linspace_and_their_ends(monkeypatch):
    monkeypatch.setattr(ranges, "_EXACT_MAX", 10)
    for a, b in ((0.1 + 0.2, 1 / 3), (-1e308, 1e308), (1e300, 1.5e300)):
        got = inputs.grid(a, b, 1001)
        want = np.array(exact_grid(a, b, 1001))
        assert got[0] == a and got[-1] == b
        assert np.all(np.abs(got - want) <= 2 * np.spacing(max(abs(a), abs(b))))
        assert np.all(np.diff(got) > 0)


def test_a_huge_grid_is_produced_a_block_at_a_time():
    parts = inputs.grid_blocks(-1.5, 2.5, 100_000_000)
    first = next(parts)
    assert len(first) == ranges.RANGE_BLOCK and first[1] == -1.5 + 4 / 99_999_999
    parts.close()


def test_curves_draws_on_the_reading_grid():
    assert curves.grid(1, -1, 11).tolist() == inputs.grid(-1, 1, 11).tolist()


# ---------------------------------------------------------------------------------- layouts


def test_a_single_column_may_have_a_header():
    reader = inputs.Reader(io.BytesIO(b"logit\n1\n-2\n"))
    assert np.concatenate(list(reader)).tolist() == [1, -2]
    assert reader.layout is not None and reader.layout.header == ["logit"]
    assert numbers(b'"logit"\n1\n').tolist() == [1]
    assert numbers(b"x\n1\n", column="x").reshape(-1).tolist() == [1]
    assert numbers(b"1\n2\n").tolist() == [1, 2]  # a numeric first line is data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"x\ny\n", "'y' at line 2$"),  # only the first line can be a header
        (b"x\n1\n2\nlogit\n", "'logit' at line 4$"),
        (b"1.5.2\n1\n", "'1.5.2' at line 1$"),  # begun like a number: a bad one, not a name
        (b"-x\n1\n", "'-x' at line 1$"),
        (b"1\x0b2\n3\n", "at line 1$"),  # a vertical tab separates nothing
    ],
)
def test_what_is_not_a_header_is_a_bad_number(data, message):
    with pytest.raises(DataError, match=message):
        numbers(data)


def test_whitespace_delimited_rows_as_savetxt_and_awk_write_them(tmp_path):
    v = np.random.default_rng(2).standard_normal((5, 3))
    path = tmp_path / "v.txt"
    np.savetxt(path, v, delimiter=" ", header="a b c")
    data = path.read_bytes()
    assert data.startswith(b"# a b c\n")
    np.testing.assert_array_equal(numbers(data), v)
    np.testing.assert_array_equal(numbers(data, "b").reshape(-1), v[:, 1])  # named by "# a b c"
    np.testing.assert_array_equal(numbers(data, "3").reshape(-1), v[:, 2])
    awk = b"  1.5   -2 3 \n\t4  5\t \t6\r\n"  # a tab in the first data line would make it TSV
    assert numbers(awk).tolist() == [[1.5, -2, 3], [4, 5, 6]]
    assert numbers(b"x  y\n1 2\n", "y").tolist() == [[2]]
    assert numbers(b"   1.5   \n 2\n").tolist() == [1.5, 2]  # one number per line
    with pytest.raises(DataError, match=r"^line 2 has 1 fields, the others 2$"):
        numbers(b"1 2\n3\n")


def test_column_errors_name_the_column_in_domain_words():
    with pytest.raises(UsageError, match=r"^no column 'z' \(columns: a, b\)$") as caught:
        numbers(b"a b\n1 2\n", "z")
    assert caught.value.options == ("column",)
    with pytest.raises(UsageError, match=r"^no column 5: the input has 2 column\(s\)$"):
        numbers(b"1,2\n", "5")
    with pytest.raises(UsageError, match="the first row is numbers, not a header"):
        numbers(b"1\t2\n", "x")


def test_comment_lines_are_skipped_anywhere_and_counted_as_lines():
    data = b"# made by hand\n\n  # x\nx,y\n# between\n1,2\n   #3,4\n5,6\n"
    assert numbers(data, "y").reshape(-1).tolist() == [2, 6]
    with pytest.raises(DataError, match=r"'q' at line 7$"):
        numbers(b"#\n1\n#\n2\n\n#\nq\n")
    assert numbers(b"# only comments\n").tolist() == []
    # a comment that does not fit the data's columns names nothing
    with pytest.raises(UsageError, match="the first row is numbers"):
        numbers(b"# produced by a tool\n1 2\n", "tool")


def test_quoted_fields_and_the_minus_sign():
    assert numbers(b'"a","b"\n"1.5","2"\n"-3",4\n', "a").reshape(-1).tolist() == [1.5, -3]
    assert numbers(b'"1.5"\n"\xe2\x88\x922"\n').tolist() == [1.5, -2]
    assert numbers("\u22121e3\n\u2212inf\n".encode()).tolist() == [-1000, -np.inf]
    assert numbers("x\ty\n\u22121\t\u22122\n".encode(), "y").reshape(-1).tolist() == [-2]
    assert inputs.parse_values(["\u22120.5", '"2"']).tolist() == [-0.5, 2]
    with pytest.raises(DataError, match="'1_000' at argument 1"):
        inputs.parse_values(["1_000"])


def saved(save) -> bytes:
    """What a numpy writer writes, as bytes."""
    buffer = io.BytesIO()
    save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (saved(lambda f: np.save(f, np.arange(3.0))), ".npy"),
        (saved(lambda f: np.savez(f, x=np.arange(3.0))), ".npz or zip"),
        (b"1\n2\x00\x00\x00\n", "it holds NUL bytes"),
        ("1\n2\n".encode("utf-16"), "it holds NUL bytes"),
    ],
)
def test_a_binary_file_is_named_as_one(tmp_path, data, kind):
    path = tmp_path / "data.bin"
    path.write_bytes(data)
    message = rf"^this looks like a binary file \({re.escape(kind)}\), not text: {path}$"
    with pytest.raises(DataError, match=message):
        list(inputs.blocks(inputs.Request(path=path), io.BytesIO(), True))
    with pytest.raises(DataError, match="this looks like a binary file"):
        list(inputs.blocks(inputs.Request(), io.BytesIO(data), False))


# ---------------------------------------------------------------------------------- polars


def polars_results(monkeypatch) -> list:
    """What _polars_block returns from now on, to know the fast path was taken."""
    parsed: list = []
    real = polars_path._polars_block
    monkeypatch.setattr(polars_path, "_polars_block", lambda *a: parsed.append(r := real(*a)) or r)
    return parsed


@pytest.mark.slow
def test_the_fast_path_reads_the_new_layouts(monkeypatch):
    n = text_reader._POLARS_MIN_LINES + 3
    v = np.random.default_rng(3).standard_normal((n, 2))
    a_b, a_only = v.tolist(), v[:, 0].tolist()  # Python floats: repr is the number
    zero_v = np.vstack([[0, 0], v])
    parsed = polars_results(monkeypatch)
    cases = [
        ("logit\n" + "".join(f"{a!r}\n" for a in a_only), None, v[:, 0]),
        ("".join(f'"{a!r}"\n' for a in a_only), None, v[:, 0]),
        ("a,b\n" + "".join(f'"{a!r}","{b!r}"\n' for a, b in a_b), "b", v[:, 1:]),
        ("# a b\n" + "".join(f"{a!r} {b!r}\n" for a, b in a_b), "b", v[:, 1:]),
        ("  0   0 \r\n" + "".join(f"  {a!r}\t {b!r} \r\n" for a, b in a_b), None, zero_v),
        ("".join(f"{a!r}\n# a comment\n" for a in a_only), None, v[:, 0]),
        ("".join(f"{a!r}\n" for a in a_only).replace("-", "\u2212"), None, v[:, 0]),
    ]
    for text, column, want in cases:
        fast, slow = both_paths(monkeypatch, text.encode(), column)
        np.testing.assert_array_equal(fast, want)
        np.testing.assert_array_equal(slow, want)
    assert len(parsed) == len(cases) and all(p is not None for p in parsed)


def test_a_bad_number_after_comments_in_a_large_block_names_its_line():
    n = text_reader._POLARS_MIN_LINES + 3
    data = b"# head\n" + b"".join(b"%d\n#\n" % i for i in range(n)) + b"1 2\n"
    with pytest.raises(DataError, match=rf"'1 2' at line {2 * n + 2}$"):
        numbers(data)


def layouts():
    """Numbers, and a text that holds them in one of the layouts the Reader accepts."""

    @st.composite
    def build(draw):
        width = draw(st.integers(1, 4))
        rows = draw(st.lists(st.lists(any_floats, min_size=width, max_size=width), max_size=8))
        sep = draw(st.sampled_from([",", "\t", " ", "  ", " \t "]))
        if width == 1 and sep.strip() == "":
            sep = ","  # one field apart by blanks is one number per line; csv keeps the shape
        pad = draw(st.sampled_from(["", " ", "  "])) if sep != "," else ""
        quote = draw(st.booleans()) and sep in (",", "\t")
        minus = draw(st.booleans())
        end = draw(st.sampled_from(["\n", "\r\n"]))

        def field(v: float) -> str:
            text = repr(v).replace("-", "\u2212") if minus else repr(v)
            return f'"{text}"' if quote else text

        lines = []
        if draw(st.booleans()):
            lines.append("# " + " ".join(f"c{i}" for i in range(width)))
        if draw(st.booleans()):
            lines.append(sep.join(f"c{i}" for i in range(width)))
        for row in rows:
            if draw(st.booleans()):
                lines.append(draw(st.sampled_from(["", "# note", "  #x,y"])))
            lines.append(pad + sep.join(field(v) for v in row) + pad)
        return np.array(rows, dtype=np.float64).reshape(-1, width), end.join(lines) + end

    return build()


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(layouts(), st.sampled_from([1, 10**12]))
def test_every_layout_reads_back_what_was_written(case, polars_from):
    want, text = case
    with mock.patch.object(text_reader, "_POLARS_MIN_LINES", polars_from):  # 1: always polars first
        got = numbers(text.encode())
    if want.size == 0:
        assert got.size == 0
    else:
        np.testing.assert_array_equal(got.reshape(want.shape), want)


@pytest.mark.parametrize(
    ("dtype", "span", "special"),
    [("bfloat16", None, False), ("float16", None, True), ("float16", (-1.0, 2.5), False),
     ("float32", (1.0, 1.25), False), ("float32", (3.0, 2.0), True)],
)  # fmt: skip
def test_every_count_is_what_every_value_yields(dtype, span, special):
    made = sum(b.size for b in inputs.every_value(dtype, span, special))
    assert inputs.every_count(dtype, span, special) == made


# ---------------------------------------------------------------------------------- issue 22


@pytest.mark.parametrize("block_bytes", [1, 2, 3, 5, 64, 1 << 22])
def test_lone_carriage_returns_end_lines_wherever_the_blocks_are_cut(monkeypatch, block_bytes):
    monkeypatch.setattr(text_reader, "BLOCK_BYTES", block_bytes)
    data = b"\xef\xbb\xbfx\r1.5\r\n\r-2\r\r\ninf\n# note\r3"  # CR, CRLF, LF, blank lines, comment
    np.testing.assert_array_equal(numbers(data), [1.5, -2.0, np.inf, 3.0])
    with pytest.raises(DataError, match=r"^bad number 'y' at line 9$"):
        numbers(data + b"\ry\r")  # the lines are counted as they end


def test_a_first_row_of_one_missing_value_is_nan_with_a_note():
    notes: list[str] = []
    got = list(inputs.Reader(io.BytesIO(b"# a\nNA\n1\n"), notes=notes, name="f.txt"))
    np.testing.assert_array_equal(np.concatenate(got), [np.nan, 1.0])
    assert notes == ["f.txt, line 2: 'NA' read as nan (a missing value, not a column name)"]
    got = list(inputs.Reader(io.BytesIO(b"null\n1\n"), "1"))
    np.testing.assert_array_equal(np.concatenate(got), [[np.nan], [1.0]])
    with pytest.raises(DataError, match=r"^bad number 'NA' at line 3$"):
        numbers(b"x\n1\nNA\n")  # only a first row can be taken for a header


def test_a_quoted_field_may_not_run_onto_the_next_line():
    with pytest.raises(DataError, match=r"^bad number '\"2' at line 3, column 2 \(a quoted"):
        numbers(b'x,y\n0,1\n1,"2\n3"\n', "y")
    assert numbers(b'x,y\n1,"2"\n', "y").tolist() == [[2]]


def test_every_row_is_held_to_the_first_line_s_width():
    for column in ("y", "1", None):
        with pytest.raises(DataError, match=r"^line 2 has 4 fields, the others 2$"):
            numbers(b"x,y\n1,5,2,5\n", column)
