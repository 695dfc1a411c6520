"""Work over many processes, results in order: ``--jobs N`` and ``--shard I/N``.

A sweep over every value of a float type is a run of ordered keys (:mod:`actcli.inputs.every`);
:class:`Shard` names one of N contiguous parts of it, for a run on another machine, and
:func:`ordered` hands pieces of it to a pool of processes and gives their results back in the
order of the pieces, at most a few pieces ahead of the consumer, so memory stays flat however
long the sweep and the output is the one a single process writes.

With ``--scheduler tcp://HOST:PORT`` the pieces go to the workers of a Dask cluster instead
(:mod:`actcli.cluster`; ``pip install 'actcli[dask]'``), in the same order. Processes are
started with ``spawn``: ``fork`` copies a parent whose threads (read-ahead,
writers) may hold locks, and Python 3.12 warns about it. An activation does not pickle (its
record holds lambdas), so the workers get its :class:`Recipe` and build it once each.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from actcli.errors import UsageError

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

    from actcli.catalog.binding import Activation

T = TypeVar("T")
R = TypeVar("R")

AHEAD = 2  # pieces under way per process: one computed while the other is handed over


def cpu_count() -> int:
    """The cores this process may use (``os.process_cpu_count`` from Python 3.13)."""
    counted = getattr(os, "process_cpu_count", None)
    if counted is not None:
        return int(counted() or 1)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # (not on macOS or Windows)
        return os.cpu_count() or 1


def jobs_or_default(jobs: int | None) -> int:
    """``--jobs``: at least 1; None is every core."""
    if jobs is None:
        return cpu_count()
    if jobs < 1:
        raise UsageError(f"must be 1 or more, got {jobs}", option="jobs")
    return jobs


@dataclass(frozen=True)
class Shard:
    """Part ``index`` (from 1) of ``count`` contiguous parts of a sweep."""

    index: int = 1
    count: int = 1

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``I/N`` with 1 ≤ I ≤ N."""
        found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if found is None:
            raise UsageError(f"expected I/N (e.g. 2/8), got {text!r}", option="shard")
        index, count = int(found[1]), int(found[2])
        if not 1 <= index <= count:
            raise UsageError(f"{text!r}: I/N needs 1 <= I <= N (from 1)", option="shard")
        return cls(index, count)

    @property
    def whole(self) -> bool:
        return self.count == 1

    def pair(self) -> tuple[int, int]:
        return self.index, self.count

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


@dataclass(frozen=True)
class Recipe:
    """What rebuilds an activation in another process: its spec and dialect."""

    spec: str
    dialect: str

    @classmethod
    def of(cls, act: Activation) -> Recipe:
        return cls(act.spec, act.dialect)

    def build(self) -> Activation:
        built = _BUILT.get(self)
        if built is None:
            from actcli.catalog.binding import get

            built = _BUILT[self] = get(self.spec, dialect=self.dialect)
        return built


_BUILT: dict[Recipe, Any] = {}  # each worker's activations, built once


def _worker_start() -> None:
    """Ctrl-C is the parent's to handle (it ends the pool): a worker that took it too would
    print a traceback of its own."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


@dataclass(frozen=True)
class Workers:
    """Who computes: ``jobs`` local processes, or the workers of a Dask cluster whose
    scheduler is at ``scheduler`` (``tcp://HOST:PORT``)."""

    jobs: int = 1
    scheduler: str | None = None

    @property
    def many(self) -> bool:
        """Whether the work leaves this process."""
        return self.jobs > 1 or self.scheduler is not None


def workers(jobs: int | None = 1, scheduler: str | None = None) -> Workers:
    """``--jobs`` (None: every core) and ``--scheduler``, checked (jobs=1 is the library's
    default: it goes with a scheduler)."""
    if scheduler is not None:
        if jobs not in (None, 1):
            raise UsageError(
                "{0} and {1}: give one; a Dask cluster has its own workers",
                option=("jobs", "scheduler"),
            )
        return Workers(1, scheduler)
    return Workers(jobs_or_default(jobs))


def ordered(
    work: Callable[[T], R], items: Iterable[T], by: Workers | int, inline: int = 0
) -> Iterator[R]:
    """``work(item)`` for each item, in the items' order, computed by ``by``'s processes
    (in this one for one job), at most AHEAD items per process ahead of the consumer; the
    first ``inline`` items in this process, so that a short run starts no processes (not
    with a scheduler). ``work``
    must be a module-level function and the items picklable. Leaving early (a closed pipe, an
    error) cancels what has not started and ends the processes."""
    for _, result in alongside(work, items, by, inline):
        yield result


def alongside(
    work: Callable[[T], R], items: Iterable[T], by: Workers | int, inline: int = 0
) -> Iterator[tuple[T, R]]:
    """Each item with ``work(item)``, as :func:`ordered` computes them."""
    by = Workers(by) if isinstance(by, int) else by
    items = iter(items)
    if by.scheduler is not None:  # (asked for by name: used, and its errors said, at once)
        inline = 0
    for item in itertools.islice(items, inline if by.many else None):
        yield item, work(item)
    ahead = list(itertools.islice(items, 1))
    if not ahead:
        return
    with _executor(by) as (pool, slots):
        pending: deque[tuple[T, Future[R]]] = deque()
        try:
            for item in itertools.chain(ahead, items):
                pending.append((item, pool.submit(work, item)))
                if len(pending) >= AHEAD * slots:
                    done, future = pending.popleft()
                    yield done, future.result()
            while pending:
                done, future = pending.popleft()
                yield done, future.result()
        finally:
            for _, future in pending:
                future.cancel()


@contextlib.contextmanager
def _executor(by: Workers) -> Iterator[tuple[Executor, int]]:
    """A pool for ``by`` and how many tasks it runs at once."""
    if by.scheduler is not None:
        from actcli import cluster

        with cluster.executor(by.scheduler) as found:
            yield found
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        by.jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_start
    )
    try:
        yield pool, by.jobs
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
