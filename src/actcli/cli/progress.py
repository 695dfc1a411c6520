"""A progress bar on stderr for long sweeps: rows done, rate and time left.

Drawn only when stderr is a terminal (:func:`stderr_is_terminal`, replaced by tests), so a
pipe or a log file never gets control sequences; the data on stdout is not touched. The core
reports nothing: the bar counts the rows of the blocks or the pieces as the command takes them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

# a sweep shorter than this ends before a bar would tell anything
SMALL = 1 << 22


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def rows(
    items: Iterable[T], total: int, what: str, size: Callable[[T], int] | None = None
) -> Iterator[T]:
    """``items`` as they come, with a bar of ``total`` rows on a terminal's stderr (the
    share done, rows a second, time taken and time left);
    ``size``: the rows of an item (default: the length of its first column)."""
    if total < SMALL or not stderr_is_terminal():
        yield from items
        return
    measure = size or (lambda item: len(item[0]))  # type: ignore[index]
    with _bar() as bar:
        task = bar.add_task(what, total=total)
        for item in items:
            bar.advance(task, measure(item))
            yield item


class Passes:
    """check's passes over its rows (``pairs``, read anew at each call), each with a bar on a
    terminal's stderr: the first counts the rows, the later ones know how many and show the
    time left. Pairs read once (standard input) keep their ``once``: check keeps them."""

    def __init__(self, pairs: Callable[[], Iterator[tuple[Any, Any]]]) -> None:
        self.pairs, self.total, self.done = pairs, 0, 0
        self.once = getattr(pairs, "once", False)

    def __call__(self) -> Iterator[tuple[Any, Any]]:
        self.done += 1
        what = f"checking, pass {self.done}"
        if not stderr_is_terminal():
            yield from self.pairs()
            return
        with _bar() as bar:
            task = bar.add_task(what, total=self.total or None)
            rows = 0
            for block in self.pairs():
                rows += len(block[0])
                bar.advance(task, len(block[0]))
                yield block
        self.total = self.total or rows


def _bar() -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    class Rate(TextColumn):
        """Rows a second, in millions."""

        def __init__(self) -> None:
            super().__init__("")

        def render(self, task: Any) -> Any:
            from rich.text import Text

            speed = task.finished_speed or task.speed
            return Text("" if speed is None else f"{speed / 1e6:.1f} M rows/s")

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        Rate(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
        transient=False,
    )
