"""x,y pairs for ``check``: two columns of a text file, standard input or a numpy file, picked
by name or 1-based index, as blocks that can be read again (:data:`PairBlocks`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import numpy as np

from actcli.errors import DataError, UsageError
from actcli.inputs.npfiles import NUMPY_SUFFIXES, load_numpy
from actcli.inputs.text import Reader


def pairs(
    file: str, x_column: str | None, y_column: str | None, stdin: IO[bytes] | None
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
        if stdin is None:
            raise DataError("cannot read standard input: it is closed")
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
    file: str, x_column: str | None, y_column: str | None, stdin: IO[bytes] | None
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
