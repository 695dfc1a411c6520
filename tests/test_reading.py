"""Streams of numbers: block boundaries, line numbers across blocks, and the read-ahead thread."""

from __future__ import annotations

import io
import os
import threading
import time
from collections import Counter

import numpy as np
import pytest

from actcli import reading
from actcli.errors import DataError


def numbers(data: bytes, column: str | None = None) -> np.ndarray:
    blocks = list(reading.Reader(io.BytesIO(data), column))
    return np.concatenate(blocks) if blocks else np.array([])


@pytest.mark.parametrize("block_bytes", [1, 2, 3, 5, 7, 64])
def test_blocks_cut_anywhere_give_the_same_numbers(monkeypatch, block_bytes):
    monkeypatch.setattr(reading, "BLOCK_BYTES", block_bytes)
    data = b"\xef\xbb\xbf1.5\r\n\n-2\n  inf \n3e-300\nNaN\n4"  # BOM, CRLF, blank, no final newline
    got = numbers(data)
    np.testing.assert_array_equal(got, [1.5, -2.0, np.inf, 3e-300, np.nan, 4.0])


def test_a_bad_number_in_a_later_block_names_its_line(monkeypatch):
    monkeypatch.setattr(reading, "BLOCK_BYTES", 16)
    data = b"".join(b"%d\n" % i for i in range(40)) + b"x\n"
    with pytest.raises(DataError, match=r"'x' at line 41$"):
        numbers(data)


def test_large_blocks_take_the_polars_path_and_keep_line_numbers():
    n = reading._POLARS_MIN_LINES + 10
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

    ahead = reading.read_ahead(items())
    assert [next(ahead), next(ahead)] == [1, 2]
    with pytest.raises(DataError, match="line 3"):
        next(ahead)
    assert list(reading.read_ahead(iter([]))) == []


def test_leaving_early_stops_the_producer():
    produced = []

    def endless():
        i = 0
        while True:
            produced.append(i)
            yield i
            i += 1

    ahead = reading.read_ahead(endless())
    assert next(ahead) == 0
    ahead.close()  # what a closed pipe or an error downstream does
    deadline = time.monotonic() + 5
    while any(t.name == "actcli-read-ahead" for t in threading.enumerate()):
        assert time.monotonic() < deadline, "the read-ahead thread did not stop"
        time.sleep(0.01)
    assert len(produced) <= 3  # one handed over, one waiting, one being made: nothing runs on


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
        np.testing.assert_array_equal(np.concatenate(list(reading.Reader(stream))), [1, 25, 3])


def both_paths(monkeypatch, data: bytes, column: str | None = None):
    """The blocks' numbers through polars and, forced, through the line-by-line path."""
    fast = numbers(data, column)
    with monkeypatch.context() as m:
        m.setattr(reading, "_POLARS_MIN_LINES", 10**12)
        slow = numbers(data, column)
    return fast, slow


def test_large_delimited_input_takes_polars_and_agrees_with_the_slow_path(monkeypatch):
    n = reading._POLARS_MIN_LINES + 7
    v = np.random.default_rng(1).standard_normal((n, 2))
    rows = "".join(f'{a!r},label {i},"{b!r}"\r\n' for i, (a, b) in enumerate(v.tolist()))
    data = ("x,name,y\r\n" + rows).encode()
    parsed = []  # what polars returned, to know it was not always the fallback
    real = reading._polars_block
    monkeypatch.setattr(reading, "_polars_block", lambda *a: parsed.append(r := real(*a)) or r)
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
def test_odd_rows_in_large_delimited_input_fall_back(monkeypatch, bad_row, message):
    n = reading._POLARS_MIN_LINES + 5
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
    assert reading.out_of_range(token, float(token)) == kind


def test_numbers_beyond_float64_are_counted_on_every_path(monkeypatch):
    n = reading._POLARS_MIN_LINES + 3
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
        rows = list(reading.Reader(io.BytesIO(data), column, lost))
        assert (lost["over"], lost["under"]) == (1, 1), data[-40:]
        assert sum(len(r) for r in rows) == data.count(b"\n") - header
    lost = Counter()
    reading.parse_values(["1e999", "1e-999", "0", "-inf"], lost)
    assert lost == Counter(over=1, under=1)
