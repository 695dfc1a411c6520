"""numpy files: ``.npy`` and ``.npz`` read with numpy's own reader, without pickle."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from actcli.errors import DataError
from actcli.inputs.streams import unreadable

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
        raise unreadable(str(path), exc, "file") from None
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
