"""numpy files: ``.npy`` and ``.npz`` read with numpy's own reader, without pickle.

``--input FILE.npy`` is the array: 1-D (values) or 2-D (rows; ``--column K`` picks column K,
1-based: ``eval -o x.npy`` writes x and the result as columns 1 and 2). ``--input FILE.npz``
is its array ``x`` or its only one; ``--column NAME`` picks the array of that name (``eval -o
x.npz`` writes ``x`` and ``y``), ``--column K`` column K of the array read. An array of three
or more dimensions, one not of real numbers, and a damaged file are errors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from actcli.errors import DataError, UsageError
from actcli.inputs.streams import unreadable

NUMPY_SUFFIXES = (".npy", ".npz")


def as_float64(array: np.ndarray, lost: Counter[str] | None = None) -> np.ndarray:
    """A numeric array as float64. A wider float (longdouble) beyond float64's range becomes
    ±inf or 0, as a number written so in text does: counted in ``lost`` ("over", "under"),
    never numpy's RuntimeWarning (which would reach the user)."""
    if array.dtype.kind != "f" or array.dtype.itemsize <= 8:
        return np.asarray(array, dtype=np.float64)
    with np.errstate(over="ignore", under="ignore"):
        out = np.asarray(array, dtype=np.float64)
    if lost is not None:
        over = int(np.count_nonzero(np.isinf(out) & np.isfinite(array)))
        under = int(np.count_nonzero((out == 0) & (array != 0)))
        for kind, count in (("over", over), ("under", under)):
            if count:
                lost[kind] += count
    return out


def numpy_input(path: Path, column: str | None, lost: Counter[str] | None = None) -> np.ndarray:
    """``--input`` of a numpy file: its numbers as float64, (n,) or (n, k); with ``column``
    one column of them, (n,) (see the module's docstring). Values of a wider float beyond
    float64's range are counted in ``lost`` (see :func:`as_float64`)."""
    named = column is not None and not column.isdigit()
    if named and path.suffix.lower() != ".npz":
        raise UsageError(
            f"{column!r}: a .npy file has no column names; give a 1-based index",
            option="column",
        )
    names = (column,) if named and column is not None else ("x",)
    data = load_numpy(path, names, strict=named, lost=lost)
    if column is None or named:
        return data
    k, width = int(column), 1 if data.ndim < 2 else data.shape[1]
    if not 1 <= k <= width:
        raise UsageError(
            f"no column {k}: {path.name} holds an array of shape {data.shape}", option="column"
        )
    return data if data.ndim < 2 else data[:, k - 1]


def load_numpy(
    path: Path,
    names: Sequence[str] = (),
    *,
    strict: bool = False,
    lost: Counter[str] | None = None,
) -> np.ndarray:
    """The numbers of a ``.npy`` file, or of a ``.npz`` file's arrays, as float64.

    ``names`` picks arrays of an ``.npz`` by name (``x``, ``y``), stacked as columns; without
    them an ``.npz`` must hold exactly one array; without ``strict``, an ``.npz`` of one array
    gives it whatever its name. numpy's own reader, without pickle: an object array is
    refused, as is anything that is not real numbers or has more than two dimensions.
    """
    import zipfile  # numpy's .npz reader imports it anyway

    try:
        _claims_fit(path)
        loaded = np.load(path, allow_pickle=False)
        if isinstance(loaded, np.ndarray):  # a .npy
            arrays = [loaded]
        else:  # a .npz: a zip of named arrays
            with loaded:
                arrays = _npz_arrays(loaded, names, str(path), strict)
    except UsageError:  # a ValueError too: no array of the name asked for
        raise
    except OSError as exc:
        raise unreadable(str(path), exc, "file") from None
    except (zipfile.BadZipFile, EOFError) as exc:  # cut short, or not a zip at all
        raise DataError(f"{path}: not a readable numpy file ({exc})", option="file") from None
    except ValueError as exc:  # an object array (pickle), or a file cut short
        why = " (actcli reads numeric arrays only)" if "pickle" in str(exc) else ""
        raise DataError(f"{path}: {exc}{why}", option="file") from None
    for array in arrays:
        if array.dtype.kind not in "fiub" and array.dtype.name != "bfloat16":
            raise DataError(f"{path}: an array of {array.dtype}, not of numbers", option="file")
        if array.ndim > 2:
            raise DataError(
                f"{path}: an array of shape {array.shape}; actcli reads 1-D arrays (values) "
                "and 2-D ones (rows)",
                option="file",
            )
    if len(arrays) == 1:
        return as_float64(arrays[0], lost)
    if len({a.shape for a in arrays}) != 1 or arrays[0].ndim != 1:
        raise DataError(
            f"{path}: {', '.join(names)} must be 1-D arrays of one length", option="file"
        )
    return np.stack([as_float64(a, lost) for a in arrays], axis=1)


def _npz_arrays(loaded: Any, names: Sequence[str], where: str, strict: bool) -> list[np.ndarray]:
    files = list(loaded.files)
    if names and all(n in files for n in names):
        return [loaded[n] for n in names]
    if strict:
        missing = ", ".join(repr(n) for n in names if n not in files)
        raise UsageError(
            f"no array {missing} in {where} (it holds {', '.join(files)})", option="column"
        )
    if len(files) == 1:
        return [loaded[files[0]]]
    wanted = " and ".join(names) or "one array"
    raise DataError(f"{where}: expected {wanted}; it holds {', '.join(files)}", option="file")


# What a numpy file read whole may claim (its arrays as the file's header or the zip's
# directory says, before any is read): a 10 GB array declared by a 10 MB .npz (a zip bomb), or
# a sparse multi-GB .npy, must not take the machine's memory. (``check`` streams its x,y
# files block by block and never gets here for them.)
MAX_ARRAY_BYTES = 1 << 28  # 256 MiB: 32 million float64
MAX_ARRAY_VARIABLE = "ACTCLI_MAX_ARRAY_BYTES"


def max_array_bytes() -> int:
    import os

    text = os.environ.get(MAX_ARRAY_VARIABLE, "")
    return int(text) if text.isdigit() and int(text) > 0 else MAX_ARRAY_BYTES


def _claims_fit(path: Path) -> None:
    """Refuse a numpy file whose arrays claim more than the limit, or more bytes than an .npy
    holds (a file cut short), from its headers alone."""
    import zipfile

    limit = max_array_bytes()
    claimed = 0
    if path.suffix.lower() == ".npz" and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            claimed = sum(member.file_size for member in archive.infolist())
    else:
        with open(path, "rb") as stream:
            try:
                version = np.lib.format.read_magic(stream)
                read_header = (
                    np.lib.format.read_array_header_1_0
                    if version == (1, 0)
                    else np.lib.format.read_array_header_2_0
                )
                shape, _, dtype = read_header(stream)
            except (ValueError, OSError):
                return  # not an .npy numpy can read: np.load says why
            data = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
            if stream.tell() + data > path.stat().st_size:
                raise DataError(
                    f"{path}: its header claims {data:,} bytes of data, the file holds "
                    f"{path.stat().st_size - stream.tell():,} (cut short?)",
                    option="file",
                )
            claimed = data
    if claimed > limit:
        raise DataError(
            f"{path}: {claimed:,} bytes of arrays, over the {limit:,} actcli reads whole "
            f"({MAX_ARRAY_VARIABLE} raises it)",
            option="file",
        )
