"""Streams and threads: standard input as it may be (closed, a terminal, non-blocking), OS
errors named by their input, and the read-ahead pipeline (:func:`read_ahead`) that lets
parsing, evaluating and writing overlap."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any, TypeVar

from actcli.errors import DataError

T = TypeVar("T")


def standard_input() -> tuple[IO[bytes] | None, bool]:
    """Standard input as bytes and whether it is a terminal; (None, True) when it is closed
    (``<&-``): nothing to read, as from a terminal nobody types into."""
    stream = sys.stdin
    if stream is None:
        return None, True
    try:
        return stream.buffer, stream.isatty()
    except (AttributeError, ValueError, OSError):  # closed, or a stream without bytes
        return None, True


def block_on(stream: IO[bytes]) -> None:
    """Make reads wait for data: a non-blocking stream (left so by another program) would
    answer "nothing yet", which must not be taken for the end of the input."""
    try:
        fd = stream.fileno()
        if not os.get_blocking(fd):
            os.set_blocking(fd, True)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a file descriptor (BytesIO, a test's stream): reads block or end


def closing(stream: IO[bytes], items: Iterable[T]) -> Iterator[T]:
    """The items (a reader's blocks), and ``stream`` closed by the thread that reads it.

    Closed from another thread, a buffered stream waits for a read in progress to finish,
    which on a pipe that stays open is forever.
    """
    with stream:
        yield from items


def reporting_os_errors(items: Iterable[T], name: str, option: str) -> Iterator[T]:
    """The items; an OSError while reading them (a failing disk, a directory given as a
    file) is a DataError that names the input."""
    try:
        yield from items
    except OSError as exc:
        raise unreadable(name, exc, option) from None


def unreadable(name: str, exc: OSError, option: str) -> DataError:
    """The error for an input that cannot be read."""
    return DataError(f"cannot read {name}: {exc.strerror or exc}", option=option)


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
