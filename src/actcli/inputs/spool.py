"""A spool: x, y pairs that can be read only once (standard input, a pipe, a FIFO, text)
kept on disk, so that ``check`` can read them again, in flat memory whatever their number.

The pairs are written block by block as they come, as two compact binary columns in the
type they are held as (``check`` keeps them in the dtype checked: float32 for ``--dtype
float32``, 8 bytes a row; float64, 16). The file is an anonymous temporary file in the
temporary directory (``TMPDIR``): it has no name to leave behind (``O_TMPFILE``, or unlinked
as soon as it is made), so it is gone when it is closed or the process ends, however it ends
(an error, Ctrl-C, a kill).
"""

from __future__ import annotations

import os
import tempfile
import weakref
from collections.abc import Iterator
from typing import Any

import numpy as np

from actcli.errors import DataError


class Spool:
    """Pairs of columns written once and read any number of times, in the blocks written.

    ``kind``: the numpy type each value is stored as (values are converted to it, which must
    hold them exactly: the caller's to ensure).
    """

    def __init__(self, kind: np.dtype[Any]) -> None:
        self.kind = np.dtype(kind)
        self.rows = 0
        self._sizes: list[int] = []  # each block's rows, in order
        try:
            self._file = tempfile.TemporaryFile(prefix="actcli-spool-")  # noqa: SIM115
        except OSError as exc:
            raise self._failed(exc) from None
        weakref.finalize(self, self._file.close)  # closed, not left to the file's collection

    def write(self, x: np.ndarray, y: np.ndarray) -> None:
        """Append a block: x and y, of one length."""
        try:
            for column in (x, y):
                stored = np.ascontiguousarray(column, dtype=self.kind)
                self._file.write(stored.view(np.uint8).data)  # (bfloat16 has no buffer format)
        except OSError as exc:
            raise self._failed(exc) from None
        self._sizes.append(x.size)
        self.rows += x.size

    def __call__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """The blocks written, x and y (read-only arrays of ``kind``), read anew."""
        self._file.flush()
        fd, width, at = self._file.fileno(), self.kind.itemsize, 0
        for size in self._sizes:
            data = os.pread(fd, 2 * size * width, at)
            if len(data) != 2 * size * width:  # pragma: no cover (the file is ours alone)
                raise DataError("the spooled input was cut short")
            both = np.frombuffer(data, dtype=self.kind)
            yield both[:size], both[size:]
            at += 2 * size * width

    def close(self) -> None:
        """Free the disk space now (it is freed anyway when the spool is collected)."""
        self._file.close()
        self._sizes = []

    def _failed(self, exc: OSError) -> DataError:
        where = tempfile.gettempdir()
        return DataError(
            f"cannot keep the input in {where} to read it again: {exc.strerror or exc} "
            "(TMPDIR chooses another directory)"
        )
