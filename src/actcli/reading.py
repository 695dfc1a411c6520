"""The input contract: which numbers a command reads, and how a stream of them is parsed.

Choosing the input (:class:`Request`, :func:`blocks`), in this order of precedence:

1. numbers as typed (the command line's VALUES; ``-2`` is a number, ``−2`` with the minus sign
   U+2212 too); the single value ``-`` means standard input;
2. else a range: ``steps`` points from a to b (:func:`grid`; ``default_steps`` when not given),
   each the double nearest to the exact decimal a + k(b − a)/(steps − 1);
3. else a file;
4. else standard input, when it is not a terminal (or when the values are ``-``).

Giving two sources, ``steps`` without a range, or a ``column`` with numbers or a range is an
error: nothing asked for is silently dropped. Errors use this module's words and name the input
they are about in ``option`` ("values", "range", "steps", "file", "column", "stdin"), so that
the command line can name its flag.

Parsing a stream (:class:`Reader`): it is read in blocks, so memory stays flat whatever its
length; every bad number is reported with its line (and column).

- Lines end at ``\\n`` (a ``\\r`` before it is dropped); a UTF-8 byte-order mark is ignored;
  blank lines and comment lines (the first character that is not a space is ``#``) are
  skipped anywhere.
- Numbers may have spaces around them and be quoted (``"1.5"``); ``nan``, ``inf``, ``-inf``,
  ``infinity`` in any case and the minus sign U+2212 are accepted; ``1_000`` is not. Numbers
  written beyond float64's range are counted (see :func:`out_of_range`).
- The layout is decided by the first data line (neither blank nor a comment): a tab makes it
  TSV, a comma (or a leading quote) CSV, two or more fields apart by spaces or tabs
  whitespace-delimited (as ``np.savetxt`` and awk write it: runs of spaces and tabs, spaces at
  either end); otherwise it is one number per line (CSV with one column when ``column`` is
  given).
- That first data line, and only it, is a header when any of its fields is not a number (for
  one number per line: when it is not a number and does not begin like one, e.g. ``logit``).
  A numeric first line is data, never silently swallowed. Without a header, a comment line
  just before it whose fields are as many as the data's and not all numbers names the columns
  (``np.savetxt(..., header="x y")`` writes ``# x y``); it is still skipped as data.
- ``column`` picks one column by header name or 1-based index; without it every field of a row
  is read, and all rows must have as many fields.
- A binary file (NUL bytes near its start, or the magic of .npy, .npz/zip, gzip, HDF5 or
  Parquet) is an error that says so, not a garbled "bad number".

Large blocks (50,000 lines or more) are parsed by polars, imported only then; a block it
rejects is parsed again line by line, which names the bad line.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

import numpy as np

from actcli.errors import DataError, UsageError

BLOCK_BYTES = 1 << 22  # 4 MiB of input at a time
RANGE_BLOCK = 1 << 20  # grid points at a time: 1e8 steps need no 800 MB
MAX_STEPS = 100_000_000
_POLARS_MIN_LINES = 50_000  # below this, polars' import costs more than it saves
_EXACT_MAX = 1 << 18  # grid points worked out with Python integers: at most about 0.1 s
_EXACT_FLOAT = 1 << 53  # integers below this are exact doubles
_BOM = "\ufeff".encode()
_MINUS = "\u2212"  # the minus sign, which actcli prints
_MINUS_UTF8 = _MINUS.encode()
_SNIFF = 8192  # bytes looked at for NUL, the mark of a binary file
_MAGIC = (  # how binary files people give a text reader begin
    (b"\x93NUMPY", ".npy"),
    (b"PK\x03\x04", ".npz or zip"),
    (b"\x1f\x8b", "gzip"),
    (b"\x89HDF\r\n\x1a\n", "HDF5"),
    (b"PAR1", "Parquet"),
)
_COMMENT_LINE = re.compile(rb"^[ \t]*#[^\n]*\n", re.MULTILINE)
_BLANKS = re.compile(rb"[ \t]+")

T = TypeVar("T")

# ---------------------------------------------------------------------------------- numbers


def parse_number(text: str, where: str) -> float:
    """One number; ``where`` says where it came from for the error message."""
    token = text.strip()
    if token and "_" not in token:  # float() would accept 1_000; a data file should not
        try:
            return float(token)
        except ValueError:
            pass
        respelled = _respelled(token)  # only on the slow road: float() took most numbers
        if respelled is not None:
            try:
                return float(respelled)
            except ValueError:
                pass
    shown = token if len(token) <= 40 else token[:37] + "..."
    raise DataError(f"bad number {shown!r} at {where}")


def _respelled(token: str) -> str | None:
    """A number as people (and actcli) also write it, in float()'s spelling: the minus sign
    U+2212 as ``-``, and without the double quotes of a quoted field. None: nothing to do."""
    new = _unquoted(token.replace(_MINUS, "-"))
    return None if new == token else new


def _unquoted(field: str) -> str:
    """A field without the double quotes around it (whitespace input has no CSV quoting)."""
    field = field.strip()
    if len(field) >= 2 and field[0] == field[-1] == '"':
        return field[1:-1].strip()
    return field


def out_of_range(token: str, value: float) -> str | None:
    """ "over" for a number written beyond float64's range (read as ±inf), "under" for a
    nonzero one below it (read as 0), None otherwise: float("1e400") and float("1e-400")
    change the data without a word, so the caller counts them and says so."""
    if value == 0:
        mantissa = token.strip().lower().partition("e")[0]
        return "under" if any(c in "123456789" for c in mantissa) else None
    if math.isinf(value) and "inf" not in token.lower():
        return "over"
    return None


def _counted(token: str, value: float, lost: Counter[str] | None) -> float:
    if lost is not None and (value == 0 or math.isinf(value)):
        kind = out_of_range(token, value)
        if kind:
            lost[kind] += 1
    return value


def is_number(text: str) -> bool:
    try:
        parse_number(text, "")
    except DataError:
        return False
    return True


def parse_values(values: Sequence[str], lost: Counter[str] | None = None) -> np.ndarray:
    """Numbers given on the command line (``-2`` is a number, not an option).

    ``lost`` counts the numbers beyond float64's range ("over", "under"; see out_of_range).
    """
    return np.array(
        [_counted(v, parse_number(v, f"argument {i}"), lost) for i, v in enumerate(values, 1)],
        dtype=np.float64,
    )


# ---------------------------------------------------------------------------------- the grid

_Points = Callable[[int, int], np.ndarray]  # points start..stop-1 of a grid


def grid(a: float, b: float, steps: int) -> np.ndarray:
    """``steps`` points from a to b, the k-th the double nearest to the exact decimal
    a + k(b − a)/(steps − 1), where a and b are the decimals that print as them (so
    ``grid(-1, 1, 11)`` holds −0.4 and 0.2, not linspace's −0.3999999999999999); a > b counts
    down; one step is [a]."""
    return np.concatenate([np.empty(0), *grid_blocks(a, b, steps)])


def grid_blocks(a: float, b: float, steps: int) -> Iterator[np.ndarray]:
    """The points of :func:`grid`, RANGE_BLOCK at a time, so that no size needs the memory of
    the whole grid. The ends are a and b themselves (a −0.0 stays −0.0)."""
    a, b = finite_span(a, b)
    points = _grid_rule(a, b, steps) if steps > 1 else (lambda start, stop: np.full(1, a))
    for start in range(0, steps, RANGE_BLOCK):
        stop = min(start + RANGE_BLOCK, steps)
        block = points(start, stop)
        if start == 0:
            block[0] = a
        if stop == steps:
            block[-1] = b if steps > 1 else a
        yield block


def finite_span(a: float, b: float) -> tuple[float, float]:
    """A range's two ends as floats; an error unless both are finite."""
    a, b = float(a), float(b)
    if not (math.isfinite(a) and math.isfinite(b)):
        raise UsageError("needs two finite numbers", option="range")
    return a, b


def _grid_rule(a: float, b: float, steps: int) -> _Points:
    """How to compute the points, the fastest way that rounds each exactly where one does.

    With a and b scaled to integers A, B by 10**d, point k is (A·n + (B − A)·k) / (n·10**d),
    n = steps − 1, reduced by the common divisor. When every integer in that is below 2**53,
    float64 holds them exactly and its one division rounds correctly (vectorised). Otherwise
    Python's integer division, also correctly rounded, for up to _EXACT_MAX points; beyond,
    numpy.linspace's formula (within an ULP or two of the larger end; on a/2 and b/2 where
    b − a overflows).
    """
    n = steps - 1
    low, high, scale = _decimal_integers(a, b)
    offset, slope, divisor = low * n, high - low, n * scale
    common = math.gcd(offset, slope, divisor)
    offset, slope, divisor = offset // common, slope // common, divisor // common
    if all(abs(v) < _EXACT_FLOAT for v in (offset, slope * n, offset + slope * n, divisor)):

        def in_float64(start: int, stop: int) -> np.ndarray:
            k = np.arange(start, stop, dtype=np.float64)
            k *= float(slope)  # integers below 2**53 throughout: exact
            k += float(offset)
            k /= float(divisor)  # the one rounding
            return k

        return in_float64
    if steps <= _EXACT_MAX:
        return lambda start, stop: np.array(
            [(offset + slope * k) / divisor for k in range(start, stop)], dtype=np.float64
        )
    unit = 1.0 if math.isfinite(b - a) else 2.0  # ±1e308: the halves' span is finite
    first, step = a / unit, (b / unit - a / unit) / n

    def linspace(start: int, stop: int) -> np.ndarray:
        k = np.arange(start, stop, dtype=np.float64)
        k *= step  # numpy.linspace's own formula, on the halves when b − a overflows
        k += first
        k *= unit  # exact: a power of two
        return k

    return linspace


def _decimal_integers(a: float, b: float) -> tuple[int, int, int]:
    """(A, B, 10**d): a and b as the shortest decimals that print as them (their repr),
    both scaled by the same power of ten to integers."""
    from decimal import Decimal  # 3 ms of start-up that only a range pays

    parts = [Decimal(repr(v)).as_tuple() for v in (a, b)]
    exponents = [int(p.exponent) for p in parts]  # finite numbers: an int
    d = max(0, *(-e for e in exponents))

    def scaled(sign: int, digits: tuple[int, ...], exponent: int) -> int:
        value = int("".join(map(str, digits)) + "0" * (exponent + d))  # exponent + d >= 0
        return -value if sign else value

    low, high = (scaled(p.sign, p.digits, e) for p, e in zip(parts, exponents, strict=True))
    return low, high, int("1" + "0" * d)


# ---------------------------------------------------------------------------------- the request


@dataclass(frozen=True)
class Request:
    """What to read, as the user gave it: numbers, a range, a file, or none of them
    (standard input). ``values`` are the numbers as typed (``("-",)``: standard input);
    ``span`` and ``steps`` a range (``default_steps`` when ``steps`` is None); ``column`` picks
    a column of a file or standard input; ``every`` asks for every value of a float type
    (within ``span`` if given; ±inf and nan too with ``special``)."""

    values: tuple[str, ...] = ()
    span: tuple[float, float] | None = None
    steps: int | None = None
    path: Path | None = None
    column: str | None = None
    default_steps: int = 11
    every: str | None = None
    special: bool = False


def blocks(
    request: Request,
    stdin: IO[bytes],
    stdin_is_terminal: bool,
    lost: Counter[str] | None = None,
) -> Iterator[np.ndarray]:
    """The input the request selects, as blocks of float64: (n,) or, for rows, (n, k).

    Errors in the request itself are raised here, before anything is read; errors in the
    data as the blocks are read. A file and standard input are read one block ahead in a
    background thread (:func:`read_ahead`), which also opens and closes the file. ``lost``
    counts the numbers written beyond float64's range (see :func:`out_of_range`).
    """
    source = _source(request, stdin_is_terminal)
    if source == "every":
        assert request.every is not None
        span = None if request.span is None else finite_span(*request.span)
        return every_value(request.every, span, request.special)
    if source == "values":
        return iter([parse_values(request.values, lost)])
    if source == "range":
        assert request.span is not None
        steps = request.default_steps if request.steps is None else request.steps
        if not 1 <= steps <= MAX_STEPS:
            raise UsageError(f"must be between 1 and {MAX_STEPS}, got {steps}", option="steps")
        a, b = finite_span(*request.span)
        return grid_blocks(a, b, steps)
    if source == "file":
        assert request.path is not None
        return read_ahead(_file_blocks(request.path, request.column, lost))
    reader = Reader(stdin, request.column, lost, name="standard input")
    return read_ahead(_reporting_os_errors(reader, "standard input", "stdin"))


def _source(request: Request, stdin_is_terminal: bool) -> str:
    """Which input the request selects ("values", "range", "file", "stdin"), after checking
    that it gives one and that nothing given would be ignored."""
    values = request.values
    dash = "-" in values
    if dash and values != ("-",):
        raise UsageError("'-' reads standard input: give numbers or '-', not both", option="values")
    given = [
        source
        for source, present in (
            ("values", bool(values) and not dash),
            ("every", request.every is not None),
            ("range", request.span is not None and request.every is None),
            ("file", request.path is not None),
            ("stdin", dash),
        )
        if present
    ]
    if len(given) > 1:
        both = " and ".join(f"{{{i}}}" for i in range(len(given)))
        raise UsageError(f"give the input one way, not {both}", option=tuple(given))
    if request.steps is not None and request.every is not None:
        raise UsageError("{0}: not with {1}, which takes every value", option=("steps", "every"))
    if request.steps is not None and request.span is None:
        raise UsageError("{0}: only with {1}", option=("steps", "range"))
    if request.special and request.every is None:
        raise UsageError("{0}: only with {1}", option=("special", "every"))
    if request.column is not None and given and given[0] in ("values", "range", "every"):
        raise UsageError("{0}: only with {1} or {2}", option=("column", "file", "stdin"))
    if given:
        return given[0]
    if not stdin_is_terminal:
        return "stdin"
    raise UsageError(
        "no input: give {0}, {1} or {2}, or pipe numbers in", option=("values", "range", "file")
    )


# every value of a type: its bit patterns, ordered as the numbers are (−0 before +0)
EVERY_BLOCK = 1 << 20


def every_value(
    dtype: str, span: tuple[float, float] | None = None, special: bool = False
) -> Iterator[np.ndarray]:
    """Every finite value of ``dtype`` in ascending order (in [a, b] with ``span``), ±0 both,
    as float64 blocks; with ``special`` also −inf first and +inf and nan last. Flat memory:
    float32's 4.3 billion values come EVERY_BLOCK at a time."""
    low, high, kind, unsigned, sign = _every_keys(dtype, span)
    if special:
        yield np.array([-np.inf])
    for start in range(low, high + 1, EVERY_BLOCK):
        keys = np.arange(start, min(start + EVERY_BLOCK, high + 1), dtype=np.int64)
        bits = np.where(keys >= 0, keys, (-(keys + 1)) | sign).astype(unsigned)
        yield bits.view(kind).astype(np.float64)
    if special:
        yield np.array([np.inf, np.nan])


def every_count(dtype: str, span: tuple[float, float] | None = None, special: bool = False) -> int:
    """How many values :func:`every_value` yields (without making them)."""
    low, high, *_ = _every_keys(dtype, span)
    return max(high - low + 1, 0) + (3 if special else 0)


def _every_keys(dtype: str, span: tuple[float, float] | None) -> tuple[int, int, Any, Any, int]:
    """The first and last ordered keys of ``dtype``'s finite values (in [a, b] with ``span``),
    its numpy type, the unsigned type of its bits and its sign bit."""
    from actcli import dtypes

    if dtype not in dtypes.NARROW:
        raise UsageError(
            f"must be one of {', '.join(dtypes.NARROW)}, got {dtype!r}", option="every"
        )
    t = dtypes.lookup(dtype)
    unsigned, kind = t.unsigned, t.numpy
    sign = 1 << (t.width - 1)
    top = int(dtypes.to_bits(t.largest, dtype))
    # ordered keys: negative numbers −1 (−0) … −top−1 (−max), then 0 (+0) … top (+max)
    low, high = -top - 1, top
    if span is not None:
        a, b = sorted(span)
        low, high = (
            max(low, _key(a, kind, unsigned, sign, up=True)),
            min(high, _key(b, kind, unsigned, sign, up=False)),
        )
    return low, high, kind, unsigned, sign


def _key(value: float, kind: Any, unsigned: Any, sign: int, *, up: bool) -> int:
    """The ordered key of the first value of the type ≥ ``value`` (``up``) or ≤ it."""
    with np.errstate(over="ignore"):
        rounded = np.array(value).astype(kind)
    wide = float(rounded)
    bits = int(rounded.view(unsigned))
    key = bits if bits < sign else -(bits & (sign - 1)) - 1
    if math.isinf(wide):
        return key - 1 if wide > 0 else key + 1  # beyond the largest value: the largest
    if up and wide < value:
        return key + 1
    if not up and wide > value:
        return key - 1
    return key


NUMPY_SUFFIXES = (".npy", ".npz")


def load_numpy(path: Path, names: Sequence[str] = ()) -> np.ndarray:
    """The numbers of a ``.npy`` file, or of a ``.npz`` file's arrays, as float64.

    ``names`` picks arrays of an ``.npz`` by name (``x``, ``y``), stacked as columns; without
    them an ``.npz`` must hold exactly one array. numpy's own reader, without pickle: an object
    array is refused, as is anything that is not real numbers.
    """
    try:
        loaded = np.load(path, allow_pickle=False)
        if isinstance(loaded, np.ndarray):  # a .npy
            arrays = [loaded]
        else:  # a .npz: a zip of named arrays
            with loaded:
                arrays = _npz_arrays(loaded, names, str(path))
    except OSError as exc:
        raise _unreadable(str(path), exc, "file") from None
    except ValueError as exc:  # numpy: "Object arrays cannot be loaded when allow_pickle=False"
        raise DataError(
            f"{path}: {exc} (actcli reads numeric arrays only)", option="file"
        ) from None
    for array in arrays:
        if array.dtype.kind not in "fiub" and array.dtype.name != "bfloat16":
            raise DataError(f"{path}: an array of {array.dtype}, not of numbers", option="file")
    if len(arrays) == 1:
        return np.asarray(arrays[0], dtype=np.float64)
    if len({a.shape for a in arrays}) != 1 or arrays[0].ndim != 1:
        raise DataError(
            f"{path}: {', '.join(names)} must be 1-D arrays of one length", option="file"
        )
    return np.stack([np.asarray(a, dtype=np.float64) for a in arrays], axis=1)


def _npz_arrays(loaded: Any, names: Sequence[str], where: str) -> list[np.ndarray]:
    files = list(loaded.files)
    if names and all(n in files for n in names):
        return [loaded[n] for n in names]
    if len(files) == 1:
        return [loaded[files[0]]]
    wanted = " and ".join(names) or "one array"
    raise DataError(f"{where}: expected {wanted}; it holds {', '.join(files)}", option="file")


def pairs(
    file: str, x_column: str | None, y_column: str | None, stdin: IO[bytes]
) -> tuple[np.ndarray, np.ndarray]:
    """The x and y columns of ``file`` (``-``: ``stdin``) for ``check``, picked by name or
    1-based index (see :func:`_pick`). A ``.npy`` holds one (n, k) array, an ``.npz`` the
    arrays x and y (what ``eval -o`` writes) or the ones named."""
    name = "standard input" if file == "-" else file
    if Path(file).suffix.lower() in NUMPY_SUFFIXES:
        return _numpy_pairs(Path(file), x_column, y_column)

    def read(stream: IO[bytes]) -> tuple[np.ndarray, np.ndarray]:
        reader = Reader(stream, name=name)
        xs, ys, picked = [], [], None
        for part in reader:
            block = part.reshape(len(part), -1)
            if picked is None:
                header = reader.layout.header if reader.layout else None
                picked = _pick(x_column, y_column, header, block.shape[1], name)
            xs.append(block[:, picked[0]].copy())
            ys.append(block[:, picked[1]].copy())
        if not xs:
            return np.empty(0), np.empty(0)
        return np.concatenate(xs), np.concatenate(ys)

    if file == "-":
        return read(stdin)
    try:
        with open(file, "rb") as stream:
            return read(stream)
    except OSError as exc:
        raise DataError(f"cannot read {file}: {exc.strerror or exc}") from None


def _numpy_pairs(
    path: Path, x_column: str | None, y_column: str | None
) -> tuple[np.ndarray, np.ndarray]:
    named = path.suffix.lower() == ".npz"
    names = (x_column or "x", y_column or "y") if named else ()
    try:
        data = load_numpy(path, names)
    except DataError as exc:  # check's FILE is an argument, not the --input option
        raise DataError(str(exc)) from None
    if data.ndim != 2 or data.shape[1] < 2:
        raise DataError(f"{path}: expected x and y, an array of shape (n, 2); got {data.shape}")
    if named:
        return data[:, 0], data[:, 1]
    ix, iy = _pick(x_column, y_column, None, data.shape[1], str(path))
    return data[:, ix], data[:, iy]


PAIR_BLOCK = 1 << 16  # rows of x and y at a time
PairBlocks = Callable[[], Iterator[tuple[np.ndarray, np.ndarray]]]  # each call reads them anew


def pair_blocks(
    file: str, x_column: str | None, y_column: str | None, stdin: IO[bytes]
) -> PairBlocks:
    """:func:`pairs` as blocks of PAIR_BLOCK rows that can be read again (``check`` reads its
    rows more than once). A ``.npy`` of real numbers is read from the disk a block at a time,
    in its own dtype, so memory stays flat in its length; anything else is read into memory."""
    if Path(file).suffix.lower() == ".npy":
        stored = _npy_blocks(Path(file), x_column, y_column)
        if stored is not None:
            return stored
    return in_blocks(*pairs(file, x_column, y_column, stdin))


def in_blocks(x: np.ndarray, y: np.ndarray) -> PairBlocks:
    """x and y held in memory, as :func:`pair_blocks` gives them."""

    def read() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, x.size, PAIR_BLOCK):
            yield x[start : start + PAIR_BLOCK], y[start : start + PAIR_BLOCK]

    return read


def _npy_blocks(path: Path, x_column: str | None, y_column: str | None) -> PairBlocks | None:
    """The picked columns of an (n, k) ``.npy`` of real numbers, read block by block; None
    for any other file (:func:`_numpy_pairs` says what is wrong with it)."""
    try:  # the header only: a memory map reads no data until it is touched
        mapped = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError):
        return None
    shape, dtype, offset = mapped.shape, mapped.dtype, mapped.offset
    by_column = not mapped.flags.c_contiguous  # Fortran order: each column is contiguous
    del mapped
    if len(shape) != 2 or shape[1] < 2 or dtype.kind not in "fiub":
        return None
    rows, width = shape
    ix, iy = _pick(x_column, y_column, None, width, str(path))

    def read() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        with open(path, "rb") as stream:

            def take(at: int, count: int) -> np.ndarray:  # ``count`` values from the ``at``-th
                stream.seek(offset + at * dtype.itemsize)
                data = stream.read(count * dtype.itemsize)
                if len(data) != count * dtype.itemsize:
                    raise DataError(f"{path}: the file ended early (was it being written?)")
                return np.frombuffer(data, dtype=dtype)

            for start in range(0, rows, PAIR_BLOCK):
                count = min(PAIR_BLOCK, rows - start)
                if by_column:
                    yield take(ix * rows + start, count), take(iy * rows + start, count)
                else:
                    block = take(start * width, count * width).reshape(count, width)
                    yield block[:, ix], block[:, iy]

    return read


def _pick(
    x_column: str | None, y_column: str | None, header: list[str] | None, width: int, name: str
) -> tuple[int, int]:
    """0-based indices of x and y: by header name or 1-based index; by default the columns
    named x and y when the header has both, else the first two."""
    if x_column is None and y_column is None and width < 2:
        raise DataError(f"{name}: expected two columns x,y, found {width}")
    named = header is not None and "x" in header and "y" in header
    defaults = (header.index("x"), header.index("y")) if named and header else (0, 1)
    picked = []
    for key, given, default in (("x", x_column, defaults[0]), ("y", y_column, defaults[1])):
        if given is None:
            index = default
        elif given.isdigit():
            index = int(given) - 1
        elif header is not None and given in header:
            index = header.index(given)
        else:
            known = ", ".join(header) if header else "none by name: the first row is numbers"
            raise UsageError(
                f"{{0}} {given!r}: no such column in {name} (columns: {known})", option=key
            )
        if not 0 <= index < width:
            known = f" ({', '.join(header)})" if header else ""
            raise UsageError(
                f"{{0}} {given or index + 1}: {name} has {width} column(s){known}", option=key
            )
        picked.append(index)
    return picked[0], picked[1]


def _file_blocks(path: Path, column: str | None, lost: Counter[str] | None) -> Iterator[np.ndarray]:
    """A file's blocks; opened and closed by the thread that reads it (see :func:`closing`)."""
    if path.suffix.lower() in NUMPY_SUFFIXES:
        if column is not None:
            raise UsageError("{0}: only for text; a numpy file is read whole", option=("column",))
        yield load_numpy(path, ("x",))
        return
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise _unreadable(str(path), exc, "file") from None
    reader = Reader(stream, column, lost, name=str(path))
    yield from _reporting_os_errors(closing(stream, reader), str(path), "file")


def _reporting_os_errors(items: Iterable[T], name: str, option: str) -> Iterator[T]:
    """The items; an OSError while reading them (standard input a directory, a failing
    disk) is a DataError that names the input."""
    try:
        yield from items
    except OSError as exc:
        raise _unreadable(name, exc, option) from None


def _unreadable(name: str, exc: OSError, option: str) -> DataError:
    return DataError(f"cannot read {name}: {exc.strerror or exc}", option=option)


# ---------------------------------------------------------------------------------- streams


@dataclass(frozen=True)
class Layout:
    """How a stream is laid out: one number per line, or delimited rows."""

    delimiter: str | None  # None: one number per line; " ": runs of spaces and tabs
    header: list[str] | None  # the columns' names, from the header or a comment before the data
    columns: list[int] | None  # 0-based indices of the columns read; None: every field
    width: int = 1  # fields in the first row


def _delimiter(first: str, column: str | None) -> str | None:
    if "\t" in first:
        return "\t"
    if "," in first:
        return ","
    if len(_blank_fields(first)) >= 2:
        return " "
    return "," if column is not None else None


def _blank_fields(line: str) -> list[str]:
    """The fields of a whitespace-delimited line: apart by runs of spaces and tabs only (a
    vertical tab or form feed is no separator: only ``\\n`` ends a line)."""
    return [f for f in line.rstrip("\r").replace("\t", " ").split(" ") if f]


def _fields(line: str, delimiter: str | None) -> list[str]:
    if delimiter is None:
        return [line.strip()]
    if delimiter == " ":
        return _blank_fields(line)
    return next(csv.reader([line], delimiter=delimiter), [])


def _looks_like_a_name(field: str) -> bool:
    """Whether a lone first field is a column name: not a number and not begun like one
    ("logit", not "1.5.2" or "-x", which are bad numbers)."""
    text = _unquoted(field)
    return bool(text) and not is_number(text) and text[0] not in "0123456789.+-" + _MINUS


def _detect(first: str, column: str | None, comment: str | None) -> tuple[Layout, bool]:
    """The layout the first data line shows, and whether that line is a header.

    ``comment`` is the comment line just before it (without its ``#``): it names the
    columns when the first line is data and it has as many fields, not all numbers.
    """
    delimiter = _delimiter(first, column)
    fields = _fields(first, delimiter)
    if delimiter is None:
        is_header = _looks_like_a_name(fields[0])
    else:
        is_header = not all(is_number(f) for f in fields)
    names = [_unquoted(f) for f in fields] if is_header else None
    if names is None and comment is not None:
        named = [_unquoted(f) for f in _fields(comment, delimiter)]
        if len(named) == len(fields) and all(named) and not all(is_number(n) for n in named):
            names = named
    width = len(fields)
    if column is None:
        picked = None
    elif column.isdigit():
        if not 1 <= int(column) <= width:
            raise UsageError(
                f"no column {column}: the input has {width} column(s)", option="column"
            )
        picked = [int(column) - 1]
    elif names is None or column not in names:
        known = ", ".join(names or []) or "none: the first row is numbers, not a header"
        raise UsageError(f"no column {column!r} (columns: {known})", option="column")
    else:
        picked = [names.index(column)]
    return Layout(delimiter, names, picked, width), is_header


def _refuse_binary(head: bytes, name: str) -> None:
    """A binary file fails here, with what it seems to be, rather than as a garbled number."""
    kind = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    if kind is None and b"\x00" in head[:_SNIFF]:
        kind = "it holds NUL bytes"
    if kind is not None:
        raise DataError(f"this looks like a binary file ({kind}), not text: {name}")


class Reader:
    """Blocks of numbers from a byte stream: an iterator of (n,) or (n, k) float64 arrays.

    ``column`` picks one column of delimited input (a header name or a 1-based index).
    Without it, every field of a row is read, and all rows must have as many fields. ``name``
    says what the stream is in messages ("standard input", a file's path).
    """

    def __init__(
        self,
        stream: IO[bytes],
        column: str | None = None,
        lost: Counter[str] | None = None,
        *,
        name: str = "the input",
    ) -> None:
        _block_on(stream)
        self.stream = stream
        self.column = column
        self.lost = lost  # numbers beyond float64's range, counted (see out_of_range)
        self.name = name
        self.layout: Layout | None = None
        self.width: int | None = None  # fields per row, when every field is read
        self.line = 0  # lines consumed so far
        self._comment: str | None = None  # the comment line just before, while none is data

    def __iter__(self) -> Iterator[np.ndarray]:
        first = True
        while block := self.stream.read(BLOCK_BYTES):
            if first:
                _refuse_binary(block, self.name)  # before a binary "line" is read to its end
            if not block.endswith(b"\n"):
                block += self.stream.readline()  # finish the last line (one copy, no rescan)
                if not block.endswith(b"\n"):  # the end of the input, without a newline
                    block += b"\n"
            if first:
                block = block.removeprefix(_BOM)
            first = False
            yield from self._block(block)

    def _block(self, data: bytes) -> Iterator[np.ndarray]:
        """Complete lines, each ending with a newline."""
        if self.layout is None:
            data = self._take_layout(data)
            if self.layout is None:
                return
        count = _count_lines(data)
        if count >= _POLARS_MIN_LINES:
            fast = self._fast(data, count)
            if fast is not None:
                self.line += count
                if self.layout.delimiter is not None and self.layout.columns is None:
                    self.width = self.layout.width  # what later rows are held to
                yield fast
                return
        lines = data.decode("utf-8", "replace").split("\n")[:-1]
        if b"#" in data:
            lines = ["" if line.lstrip().startswith("#") else line for line in lines]
        values = self._numbers(lines) if self.layout.delimiter is None else self._rows(lines)
        self.line += len(lines)
        if values.size:
            yield values

    def _take_layout(self, data: bytes) -> bytes:
        """Detect the layout from the first data line; the data after blanks, comments and
        header."""
        start = 0
        while (end := data.find(b"\n", start)) >= 0:
            text = data[start:end].decode("utf-8", "replace").rstrip("\r")
            token = text.strip()
            if token and not token.startswith("#"):
                self.layout, is_header = _detect(text, self.column, self._comment)
                if is_header:
                    self.line += 1
                    return data[end + 1 :]
                return data[start:]
            self._comment = token[1:] if token else None  # a blank line parts it from the data
            self.line += 1
            start = end + 1
        return b""  # only blank lines and comments so far

    def _fast(self, data: bytes, count: int) -> np.ndarray | None:
        """A large block through polars, made plain for it first (minus signs, comments,
        runs of blanks); None when it needs the line-by-line path."""
        assert self.layout is not None
        if b"\xe2" in data and _MINUS_UTF8 in data:  # one byte is found 30x faster than three
            data = data.replace(_MINUS_UTF8, b"-")
        if b"#" in data:
            data, comments = _COMMENT_LINE.subn(b"", data)
            count -= comments
            if not count:
                return None
        if self.layout.delimiter == " ":
            data = _squeezed(data)
        fast = _polars_block(data, count, self.layout)
        if fast is not None and self.lost is not None and _may_be_out_of_range(fast, data):
            return None  # the line-by-line path counts them exactly
        return fast

    def _numbers(self, lines: list[str]) -> np.ndarray:
        out = [
            _counted(text, parse_number(text, f"line {i}"), self.lost)
            for i, text in enumerate(lines, start=self.line + 1)
            if text.strip()
        ]
        return np.array(out, dtype=np.float64)

    def _rows(self, lines: list[str]) -> np.ndarray:
        assert self.layout is not None and self.layout.delimiter is not None
        delimiter = self.layout.delimiter
        split: Iterable[list[str]]
        if delimiter == " ":
            split = map(_blank_fields, lines)
        else:
            split = csv.reader((line.rstrip("\r") for line in lines), delimiter=delimiter)
        rows = []
        for i, fields in enumerate(split, start=self.line + 1):
            if not any(f.strip() for f in fields):
                continue
            cols = self.layout.columns
            if cols is None:
                if self.width is None:
                    self.width = len(fields)
                if len(fields) != self.width:
                    raise DataError(f"line {i} has {len(fields)} fields, the others {self.width}")
                cols = list(range(self.width))
            row = []
            for c in cols:
                if c >= len(fields):
                    raise DataError(
                        f"line {i} has {len(fields)} field(s), column {c + 1} is missing"
                    )
                value = parse_number(fields[c], f"line {i}, column {c + 1}")
                row.append(_counted(fields[c], value, self.lost))
            rows.append(row)
        width = len(self.layout.columns) if self.layout.columns is not None else (self.width or 1)
        return np.array(rows, dtype=np.float64).reshape(-1, width)


def _squeezed(data: bytes) -> bytes:
    """Whitespace-delimited rows with one space between fields and none at either end, which
    polars reads with the separator " " (np.savetxt's output is so already)."""
    if not (
        b"\t" in data
        or b"  " in data
        or b"\n " in data
        or b" \n" in data
        or b" \r" in data
        or data.startswith(b" ")
    ):
        return data
    data = _BLANKS.sub(b" ", data)
    return (
        data.replace(b"\n ", b"\n").replace(b" \n", b"\n").replace(b" \r", b"\r").removeprefix(b" ")
    )


def _block_on(stream: IO[bytes]) -> None:
    """Make reads wait for data: a non-blocking stream (left so by another program) would
    answer "nothing yet", which must not be taken for the end of the input."""
    try:
        fd = stream.fileno()
        if not os.get_blocking(fd):
            os.set_blocking(fd, True)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a file descriptor (BytesIO, a test's stream): reads block or end


def closing(stream: IO[bytes], reader: Reader) -> Iterator[np.ndarray]:
    """The reader's blocks, and its stream closed by the thread that reads it.

    Closed from another thread, a buffered stream waits for a read in progress to finish,
    which on a pipe that stays open is forever.
    """
    with stream:
        yield from reader


def _count_lines(data: bytes) -> int:
    """The newlines in ``data``: numpy's count is 7x faster than bytes.count, without the GIL."""
    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n")))


def read_ahead(items: Iterable[T]) -> Iterator[T]:
    """The items of ``items``, each produced one step ahead in a background thread.

    Chained, these make a pipeline: while one block is written, the next is evaluated and the
    one after it parsed (polars and numpy work outside the GIL). An exception of the producer
    is raised here, where its item would have been; leaving early (a closed pipe, an error
    downstream) stops the producer.
    """
    import queue
    import threading

    ahead: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def hand_over(item: tuple[bool, Any]) -> None:
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.05)
                return
            except queue.Full:
                continue

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                hand_over((True, item))
        except BaseException as exc:  # handed to the consumer, raised there
            hand_over((False, exc))
        else:
            hand_over((False, None))

    thread = threading.Thread(target=produce, name="actcli-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            ok, item = ahead.get()
            if not ok:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()


def _may_be_out_of_range(values: np.ndarray, data: bytes) -> bool:
    """Whether the block may hold numbers beyond float64's range: an infinity not written
    as one, or a zero on a line with a negative exponent of three digits or more (below
    1e-99). Cheap, and true only on odd data; the line-by-line path then counts exactly."""
    infinite = int(np.count_nonzero(np.isinf(values)))
    if infinite and infinite > data.lower().count(b"inf"):
        return True
    zero_rows = (values == 0).reshape(len(values), -1).any(axis=1)
    if not zero_rows.any() or (b"e-" not in data and b"E-" not in data):
        return False
    raw = np.frombuffer(data, dtype=np.uint8)
    minus = np.flatnonzero(raw[1:-3] == ord("-")) + 1  # every block ends with a newline
    minus = minus[(raw[minus - 1] | 0x20) == ord("e")]  # "e-" or "E-"
    digits = [(raw[minus + k] >= ord("0")) & (raw[minus + k] <= ord("9")) for k in (1, 2, 3)]
    tiny = minus[digits[0] & digits[1] & digits[2]]
    lines = np.searchsorted(np.flatnonzero(raw == ord("\n")), tiny)
    return bool(zero_rows[lines].any())


def _polars_block(data: bytes, lines: int, layout: Layout) -> np.ndarray | None:
    """Parse a large block with polars; None if it needs the slow path.

    Anything unusual (a blank line, spaces, a bad number, a ragged row) makes polars fail or
    produce a null, and the block is then parsed line by line, which skips blanks and names
    the bad line. Delimited rows keep the columns asked for: (n, k); one number per line: (n,).
    Whitespace-delimited rows come squeezed to single spaces (see _squeezed).
    """
    import polars as pl

    schema: dict[str, Any]
    if layout.delimiter is None:
        schema = {"x": pl.Float64}
        picked = ["x"]
    else:
        names = [f"c{i}" for i in range(layout.width)]
        wanted = range(layout.width) if layout.columns is None else layout.columns
        picked = [names[i] for i in wanted]
        # columns not asked for may hold anything (labels, dates): read them as text
        schema = {n: pl.Float64 if n in picked else pl.String for n in names}
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            schema=schema,
            separator=layout.delimiter or ",",
            quote_char='"' if layout.delimiter or b'"' in data else None,
        ).select(picked)
    except Exception:  # any failure means: find the bad line the slow way
        return None
    if len(frame) != lines or any(frame.null_count().row(0)):
        return None
    values = frame.to_numpy().astype(np.float64, copy=False)
    return values[:, 0] if layout.delimiter is None else values
