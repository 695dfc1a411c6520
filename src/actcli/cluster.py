"""A Dask cluster as the pool of ``--scheduler tcp://HOST:PORT`` (``pip install 'actcli[dask]'``).

The cluster's workers run the same module-level functions on the same pieces as local
processes do (:mod:`actcli.parallel`); they need actcli (the same version) and numpy
installed. Dask is imported here only, when a scheduler is asked for.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from actcli.errors import DataError, UsageError

if TYPE_CHECKING:
    from concurrent.futures import Executor

CONNECT = 10  # seconds to reach the scheduler


@contextlib.contextmanager
def executor(address: str) -> Iterator[tuple[Executor, int]]:
    """An executor on the cluster whose scheduler is at ``address``, and how many tasks its
    workers run at once (their threads)."""
    try:  # (through importlib: Dask is untyped, and optional)
        distributed: Any = importlib.import_module("distributed")
    except ImportError:
        raise UsageError("{0} needs Dask: pip install 'actcli[dask]'", option="scheduler") from None
    try:
        client = distributed.Client(address, timeout=CONNECT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise DataError(
            f"cannot reach the Dask scheduler at {address}: {exc}", option="scheduler"
        ) from None
    try:
        threads = sum(client.nthreads().values())
        if not threads:
            raise DataError(f"the Dask cluster at {address} has no workers", option="scheduler")
        yield client.get_executor(pure=False), threads
    finally:
        client.close()
