"""x,y pairs for ``check``: two columns of a text file, standard input or a numpy file, picked
by name or 1-based index, as blocks in flat memory (:data:`PairBlocks`): a numpy file's can be
read again, text's once (:class:`ReadOnce`; ``check`` spools them)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np

from actcli.errors import DataError, UsageError
from actcli.inputs.npfiles import NUMPY_SUFFIXES, as_float64, load_numpy
from actcli.inputs.streams import read_ahead
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
    """:func:`pairs` as blocks of PAIR_BLOCK rows, in flat memory whatever their number.

    A ``.npy`` or ``.npz`` of real numbers is read from the disk a block at a time, in its own
    dtype, and can be read again (``check`` reads its rows more than once). Text (a file or
    standard input) is parsed as it comes and can be read once (:class:`ReadOnce`: the reader
    keeps what it needs again, as ``check`` does in a :class:`~actcli.inputs.spool.Spool`).
    A numpy file that is not one of these (an error) is read whole, to say what is wrong."""
    suffix = Path(file).suffix.lower()
    if suffix in NUMPY_SUFFIXES:
        path = Path(file)
        if path.exists() and not path.is_file():  # a FIFO: numpy reads its header, then seeks
            raise DataError(
                f"cannot read {file}: a numpy file must be a regular file (this one is not "
                "seekable)"
            )
        streamed = (
            _npy_blocks(path, x_column, y_column)
            if suffix == ".npy"
            else _npz_blocks(path, x_column, y_column)
        )
        if streamed is not None:
            return streamed
        return in_blocks(*_numpy_pairs(path, x_column, y_column))
    if file == "-":
        if stdin is None:
            raise DataError("cannot read standard input: it is closed")
        return ReadOnce(_text_pairs(stdin, "standard input", x_column, y_column, owned=False))
    try:
        stream = open(file, "rb")  # noqa: SIM115 (closed by the reader, in its thread)
    except OSError as exc:
        raise DataError(f"cannot read {file}: {exc.strerror or exc}") from None
    return ReadOnce(_text_pairs(stream, file, x_column, y_column, owned=True))


class ReadOnce:
    """Pairs that can be read once (a pipe, standard input, text parsed as it comes):
    ``once`` tells a reader that reads more than once to keep them (``check`` spools them).
    A second call is a programming error."""

    once = True

    def __init__(self, blocks: Iterator[tuple[np.ndarray, np.ndarray]]) -> None:
        self._blocks: Iterator[tuple[np.ndarray, np.ndarray]] | None = blocks

    def __call__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        if self._blocks is None:
            raise RuntimeError("these pairs can be read once; keep them to read them again")
        blocks, self._blocks = self._blocks, None
        return blocks


def _text_pairs(
    stream: IO[bytes], name: str, x_column: str | None, y_column: str | None, *, owned: bool
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The picked columns of text, parsed one block ahead in a thread (:func:`read_ahead`),
    as blocks of PAIR_BLOCK rows (the last one shorter); ``owned``: close the stream at the
    end (in the thread that reads it)."""

    def columns() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        reader = Reader(stream, name=name)
        picked = None
        try:
            for part in reader:
                block = part.reshape(len(part), -1)
                if picked is None:
                    header = reader.layout.header if reader.layout else None
                    picked = _pick(x_column, y_column, header, block.shape[1], name)
                yield block[:, picked[0]], block[:, picked[1]]
        except OSError as exc:
            raise DataError(f"cannot read {name}: {exc.strerror or exc}") from None
        finally:
            if owned:
                stream.close()

    return _rechunk(read_ahead(columns()))


def _rechunk(
    blocks: Iterator[tuple[np.ndarray, np.ndarray]],
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The pairs of ``blocks`` (views, of any length) as contiguous blocks of PAIR_BLOCK rows,
    the last one shorter."""
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    held = 0
    for x, y in blocks:
        xs.append(x)
        ys.append(y)
        held += x.size
        if held < PAIR_BLOCK:
            continue
        x_all, y_all = np.concatenate(xs), np.concatenate(ys)
        cut = held - held % PAIR_BLOCK
        for start in range(0, cut, PAIR_BLOCK):
            yield x_all[start : start + PAIR_BLOCK], y_all[start : start + PAIR_BLOCK]
        xs, ys, held = [x_all[cut:]], [y_all[cut:]], held - cut
    if held:
        yield np.concatenate(xs), np.concatenate(ys)


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
                return _narrowed(np.frombuffer(data, dtype=dtype))

            for start in range(0, rows, PAIR_BLOCK):
                count = min(PAIR_BLOCK, rows - start)
                if by_column:
                    yield take(ix * rows + start, count), take(iy * rows + start, count)
                else:
                    block = take(start * width, count * width).reshape(count, width)
                    yield block[:, ix], block[:, iy]

    return read


def _npz_blocks(path: Path, x_column: str | None, y_column: str | None) -> PairBlocks | None:
    """The pairs of an ``.npz`` read block by block from its members (decompressed as they
    are read): its 1-D arrays x and y (or the ones named), or its only array, (n, k), whose
    first two columns are x and y (as :func:`_numpy_pairs` reads them); None for any other
    file (:func:`_numpy_pairs` says what is wrong with it)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = {
                member.removesuffix(".npy"): member
                for member in archive.namelist()
                if member.endswith(".npy")
            }
            if len(members) != len(archive.namelist()):
                return None
            names = (x_column or "x", y_column or "y")
            if all(n in members for n in names):
                chosen = [members[n] for n in names]
            elif len(members) == 1:
                chosen = list(members.values())
            else:
                return None
            headers = []
            for member in chosen:
                with archive.open(member) as stream:
                    headers.append(_npy_header(stream))
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        return None
    if any(dtype.kind not in "fiub" for _, _, dtype in headers):
        return None
    if len(chosen) == 2:
        (shape, _, _), (other, _, _) = headers
        if len(shape) != 1 or shape != other:
            return None
        rows = shape[0]
        columns = [(chosen[0], 0, 1), (chosen[1], 0, 1)]  # (member, first value, stride)
    else:
        ((shape, fortran, _),) = headers
        if len(shape) != 2 or shape[1] < 2:
            return None
        rows = shape[0]
        if fortran:  # each column is contiguous
            columns = [(chosen[0], 0, 1), (chosen[0], rows, 1)]
        else:
            columns = [(chosen[0], 0, shape[1])]  # one stream: whole rows
    dtypes = [headers[0][2], headers[-1][2]]  # of x and y

    def read() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        try:
            with zipfile.ZipFile(path) as archive:
                streams = []
                for (member, first, _), dtype in zip(columns, dtypes, strict=False):
                    stream = archive.open(member)
                    _npy_header(stream)
                    _skip(stream, first * dtype.itemsize)
                    streams.append(stream)
                try:
                    yield from _interleaved(path, streams, dtypes, columns, rows)
                finally:
                    for stream in streams:
                        stream.close()
        except OSError as exc:
            raise DataError(f"cannot read {path}: {exc.strerror or exc}") from None
        except (zipfile.BadZipFile, EOFError) as exc:
            raise DataError(f"{path}: not a readable numpy file ({exc})") from None

    return read


def _interleaved(
    path: Path,
    streams: list[IO[bytes]],
    dtypes: list[np.dtype[Any]],
    columns: list[tuple[str, int, int]],
    rows: int,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """x and y, PAIR_BLOCK rows at a time, from streams at their first value; a stride over 1
    (a C-ordered (n, k) array, one stream for both) reads each row whole."""
    (_, _, stride), dtype = columns[0], dtypes[0]
    for start in range(0, rows, PAIR_BLOCK):
        count = min(PAIR_BLOCK, rows - start)
        if stride > 1:  # rows of ``stride`` values; x at 0, y at 1
            data = _exactly(streams[0], stride * count * dtype.itemsize, path)
            block = _narrowed(np.frombuffer(data, dtype=dtype)).reshape(count, stride)
            yield block[:, 0], block[:, 1]
        else:
            x, y = (
                _narrowed(np.frombuffer(_exactly(s, count * d.itemsize, path), dtype=d))
                for s, d in zip(streams, dtypes, strict=True)
            )
            yield x, y


def _narrowed(values: np.ndarray) -> np.ndarray:
    """A block as read, except a float wider than float64 (longdouble), which check's
    arithmetic would convert with numpy's overflow warning: float64 now, beyond its range
    ±inf or 0."""
    return as_float64(values) if values.dtype.kind == "f" and values.dtype.itemsize > 8 else values


def _npy_header(stream: IO[bytes]) -> tuple[tuple[int, ...], bool, np.dtype[Any]]:
    """Shape, Fortran order and dtype from a ``.npy`` stream, left at its first value."""
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        return np.lib.format.read_array_header_1_0(stream)
    if version == (2, 0):
        return np.lib.format.read_array_header_2_0(stream)
    raise ValueError(f"a .npy of format {version}")


def _skip(stream: IO[bytes], count: int) -> None:
    while count > 0:
        skipped = len(stream.read(min(count, 1 << 22)))
        if not skipped:
            raise EOFError("the array ended early")
        count -= skipped


def _exactly(stream: IO[bytes], count: int, path: Path) -> bytes:
    data = stream.read(count)
    if len(data) != count:
        raise DataError(f"{path}: the array ended early (was the file being written?)")
    return data


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
