"""Exact quantiles of a stream of non-negative float64 values, in groups, without holding them.

The values come block by block, each with its group (a small non-negative int), and can be read
again (``again``: every value with its group, anew). :class:`Quantiles` gives each group's and
all the values' median (numpy's: the mean of the middle two) and 99th percentile (numpy's
``percentile(..., 99, method="inverted_cdf")``), exactly, holding at most BUDGET values.

A first look keeps a :class:`Sample`; from it, the next pass holds the values around each
wanted quantile while it counts every group's values in a histogram of their bits (a
non-negative float's bits sort as it does). Where the guess misses, a further pass holds the
values of the histogram key that holds the wanted rank, or counts them by their top bits, until
one bit pattern is left.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from actcli import dtypes

# A histogram key: the bits of a value (≥ 0: the same order) >> SHIFT, buckets 2^-5 wide
# (relative) from 2^-40 to 2^40; the values below and above are counted in one key each.
# Keys run 0 to SPAN − 1, so that a group's counts are 20 KB, even with thousands of groups.
SHIFT = 47
_LOW, _HIGH = (1023 - 40) << 5, (1023 + 40) << 5  # the bits of 2^-40 and 2^40, >> SHIFT
SPAN = _HIGH - _LOW + 1
NARROW = 16  # bits of a window resolved by each further pass
BUDGET = 1 << 21  # values held at once, at most (16 MB)
SAMPLE = 1 << 18  # values a first look keeps for a first guess at the quantiles, at most

Again = Callable[[], Iterator[tuple[np.ndarray, np.ndarray]]]  # each value's group, and the value


def group_order(
    groups: np.ndarray, *columns: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]:
    """The groups present, where each one's rows start, the groups and the columns in group
    order (a stable sort, skipped when the groups already ascend)."""
    step = np.diff(groups)
    if (step < 0).any():
        order = np.argsort(groups, kind="stable")
        groups, columns = groups[order], tuple(c[order] for c in columns)
        step = np.diff(groups)
    starts = np.concatenate(([0], np.flatnonzero(step) + 1))
    return groups[starts], starts, groups, list(columns)


def _keys(bits: np.ndarray) -> np.ndarray:
    keys: np.ndarray = np.clip(bits >> SHIFT, _LOW, _HIGH) - _LOW
    return keys


def _key(bits: int) -> int:
    return min(max(bits >> SHIFT, _LOW), _HIGH) - _LOW


def _bucket(key: int) -> tuple[int, int]:
    """The bits of a key's values, lowest and highest."""
    lo = 0 if key == 0 else (key + _LOW) << SHIFT
    return lo, dtypes.EXPONENT_BITS if key == SPAN - 1 else ((key + _LOW + 1) << SHIFT) - 1


def p99_rank(n: int) -> int:
    """The rank of numpy's ``percentile(..., 99, method="inverted_cdf")`` among n values."""
    return max(0, math.ceil(n * 0.99 - 1))


def ranks(n: int) -> tuple[list[int], int]:
    """The ranks of n values' median (numpy's: the mean of the middle two) and 99th
    percentile."""
    return sorted({(n - 1) // 2, n // 2}), p99_rank(n)


class Sample:
    """Rows 0, s, 2s, ... (a tag that tells the row's group, and its value): every row at
    first, then every 61st, 183rd, ... as rows come, to hold at most SAMPLE (odd strides: no
    power-of-two period in the rows, such as a kernel's vector lanes, lines up with them)."""

    def __init__(self) -> None:
        self.stride, self.size = 1, 0
        self.tags: list[np.ndarray] = []
        self.values: list[np.ndarray] = []

    def rows(self, start: int, count: int) -> slice:
        """The sampled rows of a block of ``count`` rows from row ``start``."""
        return slice(-start % self.stride, count, self.stride)

    def add(self, tags: np.ndarray, values: np.ndarray) -> None:
        self.tags.append(tags)
        self.values.append(values)
        self.size += tags.size
        if self.size > SAMPLE:
            thin = 61 if self.stride == 1 else 3
            self.tags = [np.concatenate(self.tags)[::thin].copy()]  # (not a view of all of it)
            self.values = [np.concatenate(self.values)[::thin].copy()]
            self.size, self.stride = self.tags[0].size, self.stride * thin

    def guesses(self, group_of: Callable[[np.ndarray], np.ndarray]) -> list[Window]:
        """For each group (but group 0, values in no group) and for all rows, the values around
        the sample's median and 99th percentile (4 standard deviations of a sample quantile's
        rank either side, 2 more rows), as many as BUDGET holds, the narrowest first.
        ``group_of``: the groups of the tags."""
        if not self.size:
            return []
        bits = np.concatenate(self.values).view(np.int64)
        present, starts, _, (in_order,) = group_order(group_of(np.concatenate(self.tags)), bits)
        ends = [*starts[1:].tolist(), bits.size]
        parts = [(g, in_order[a:b]) for g, a, b in zip(present.tolist(), starts, ends, strict=True)]
        found = []
        for g, part in [*((g, part) for g, part in parts if g > 0), (None, bits)]:
            e = np.sort(part)
            n = e.size
            for q in (0.5, 0.99):
                middle, wide = q * (n - 1), 4 * math.sqrt(n * q * (1 - q)) + 2
                a, b = max(0, math.floor(middle - wide)), min(n - 1, math.ceil(middle + wide))
                found.append(Window(g, int(e[a]), int(e[b]), size=(b - a + 1) * self.stride))
        kept, room = [], BUDGET
        for w in sorted(found, key=lambda w: w.size):
            if w.size <= room:
                kept.append(w)
                room -= w.size
        return kept


@dataclass
class Window:
    """The values of ``group`` (None: of every group) whose bits are ``lo`` to ``hi``: held,
    or, with ``step``, counted by ``step`` bits of their offset from ``lo`` (the top ones).
    ``below``: how many of the group's values are under ``lo``; ``under`` counts those in
    ``lo``'s histogram key, in passing."""

    group: int | None
    lo: int
    hi: int
    size: int = 0  # values expected in it
    below: int = 0
    step: int = 0
    under: int = 0
    held: list[np.ndarray] = field(default_factory=list)
    counts: np.ndarray | None = None

    @property
    def fine(self) -> int:
        """How far the offsets from ``lo`` are shifted to count them by ``step`` bits."""
        return max(0, (self.hi - self.lo).bit_length() - self.step)

    def select(self, rank: int) -> float | None:
        """The value of that rank in the group, when this window holds it."""
        if self.lo == self.hi and self.counts is not None:  # one bit pattern, counted
            if not self.below <= rank < self.below + int(self.counts.sum()):
                return None
            return float(np.array(self.lo, dtype=np.int64).view(np.float64))
        inside = np.concatenate([np.empty(0), *self.held])
        if not self.below <= rank < self.below + inside.size:
            return None
        return float(np.partition(inside, rank - self.below)[rank - self.below])

    def narrowed(self, rank: int) -> Window:
        """The part of a counted window that holds the value of that rank."""
        assert self.counts is not None
        sums = np.cumsum(self.counts)
        part = int(np.searchsorted(sums, rank - self.below, side="right"))
        lo = self.lo + (part << self.fine)
        hi = min(self.hi, lo + (1 << self.fine) - 1)
        below = self.below + (int(sums[part - 1]) if part else 0)
        return Window(self.group, lo, hi, int(self.counts[part]), below)


class Windows:
    """Windows filled block by block; whether a row may be in one is one look-up of its
    group and histogram key. Held values beyond ``limit`` drop the fullest window."""

    def __init__(self, groups: int, windows: list[Window], limit: float = math.inf) -> None:
        self.limit, self.held = limit, 0
        self.of: dict[int | None, list[Window]] = {}  # the windows of each group
        self.near = np.zeros((groups, SPAN), dtype=bool)  # [group, key]: a window's key
        for w in windows:
            self.of.setdefault(w.group, []).append(w)
            rows = slice(None) if w.group is None else w.group
            self.near[rows, _key(w.lo) : _key(w.hi) + 1] = True
            # a window of one bit pattern (a guess where many errors are equal, such as the
            # exact rows' 0) counts its values: holding millions of copies of one value would
            # go over BUDGET, and each further pass would read every row again
            if w.step or w.lo == w.hi:
                w.counts = np.zeros(((w.hi - w.lo) >> w.fine) + 1, dtype=np.int64)

    @property
    def windows(self) -> list[Window]:
        return [w for ws in self.of.values() for w in ws]

    def feed(
        self,
        groups: np.ndarray,
        values: np.ndarray,
        segments: Iterable[tuple[int, int, int]] | None = None,
        keys: np.ndarray | None = None,
    ) -> None:
        """Take the windows' values among these rows, given in ``segments`` of one group
        each, (group, first row, end), or in any order with their ``groups``."""
        if not self.of:
            return
        if segments is None:
            present, starts, groups, (values,) = group_order(groups, values)
            ends = [*starts[1:].tolist(), values.size]
            segments = zip(present.tolist(), starts.tolist(), ends, strict=True)
            keys = None
        bits = values.view(np.int64)
        keys = _keys(bits) if keys is None else keys
        for g, a, b in segments:
            mine = self.of.get(g, []) + self.of.get(None, [])
            rows = np.flatnonzero(self.near[g, keys[a:b]]) + a
            if mine and rows.size:
                self._take(mine, bits[rows], values[rows])
        self._let_go()

    def _let_go(self) -> None:
        """Over the limit, the fullest windows are let go."""
        while self.held > self.limit:
            fullest = max(self.windows, key=lambda w: sum(h.size for h in w.held))
            self._drop(fullest)

    def _drop(self, window: Window) -> None:
        self.held -= sum(h.size for h in window.held)
        self.of[window.group] = [w for w in self.of[window.group] if w is not window]

    def merge(self, later: Windows) -> None:
        """Take in what the same windows took from other rows; a window one of them let go
        (over its limit) is let go (the values in it are found by a further pass)."""
        theirs = {(w.group, w.lo, w.hi): w for w in later.windows}
        for w in self.windows:
            other = theirs.get((w.group, w.lo, w.hi))
            if other is None:
                self._drop(w)
                continue
            w.under += other.under
            if other.held:
                w.held = [np.concatenate([*w.held, *other.held])]
                self.held += sum(h.size for h in other.held)
            if w.counts is not None and other.counts is not None:
                w.counts += other.counts
        self._let_go()

    def _take(self, windows: list[Window], bits: np.ndarray, values: np.ndarray) -> None:
        for w in windows:
            on = (bits >= _bucket(_key(w.lo))[0]) & (bits <= w.hi)
            inside = bits[on] >= w.lo
            w.under += int(inside.size - np.count_nonzero(inside))
            if w.counts is not None:
                w.counts += np.bincount(
                    (bits[on][inside] - w.lo) >> w.fine, minlength=w.counts.size
                )
            else:
                w.held.append(values[on][inside])
                self.held += w.held[-1].size
                if len(w.held) > 64:  # not thousands of small arrays
                    w.held = [np.concatenate(w.held)]


class Quantiles:
    """Exact medians and 99th percentiles of each group's and of all the values, without
    holding them all.

    The first pass keeps a sample of the values; from it, the second holds the values
    around each wanted quantile (:meth:`Sample.guesses`) while it counts every group's
    values by histogram key (see SHIFT). The counts tell how many values are below each
    guess: where the wanted rank is among the values held, that is the value. Else (a sample
    unlike the rows, or too many rows to hold around a guess) the counts tell the key that
    holds that rank, and a further pass holds its values, or, when they are more than BUDGET,
    counts them by the top 16 bits of their offset in it, and so on: it ends at one bit
    pattern.
    """

    def __init__(self, groups: int, guesses: list[Window]) -> None:
        self.counts = np.zeros((groups, SPAN), dtype=np.int64)
        self.whole = np.zeros(SPAN, dtype=np.int64)
        self.guesses = Windows(groups, guesses, limit=BUDGET)

    def add(
        self, present: np.ndarray, starts: np.ndarray, groups: np.ndarray, values: np.ndarray
    ) -> None:
        """Count a block's values, in group order (``present`` from ``starts``), and hold
        those of the guesses."""
        keys = _keys(values.view(np.int64))
        ends = [*starts[1:].tolist(), values.size]
        segments = list(zip(present.tolist(), starts.tolist(), ends, strict=True))
        for g, a, b in segments:
            low = int(keys[a:b].min())
            found = np.bincount(keys[a:b] - low)
            self.counts[g, low : low + found.size] += found
            self.whole[low : low + found.size] += found
        self.guesses.feed(groups, values, segments, keys)

    def merge(self, later: Quantiles) -> None:
        """Take in the values counted and held from other rows."""
        self.counts += later.counts
        self.whole += later.whole
        self.guesses.merge(later.guesses)

    def quantiles(
        self, count: np.ndarray, kept: list[int], again: Again
    ) -> tuple[dict[int | None, float], dict[int | None, float]]:
        """Each kept group's and the whole's median and 99th percentile (numpy's median and
        ``percentile(..., 99, method="inverted_cdf")``)."""
        members: list[int | None] = [*kept, None]
        wanted_ranks = {g: ranks(int(count.sum() if g is None else count[g])) for g in members}
        value: dict[tuple[int | None, int], float] = {}
        open_ = {}
        for g in members:
            counts = self.whole if g is None else self.counts[g]
            below = np.cumsum(counts)
            wanted = [*wanted_ranks[g][0], wanted_ranks[g][1]]
            for w in self.guesses.of.get(g, []):
                key = _key(w.lo)
                w.below = (int(below[key - 1]) if key else 0) + w.under
                for r in wanted:
                    if (g, r) not in value and (v := w.select(r)) is not None:
                        value[(g, r)] = v
            for r in wanted:  # the others: the window of the histogram key that holds it
                if (g, r) not in value:
                    key = int(np.searchsorted(below, r, side="right"))
                    under = int(below[key - 1]) if key else 0
                    open_[(g, r)] = Window(g, *_bucket(key), int(counts[key]), under)
        self._narrow(open_, value, again)
        medians, p99s = {}, {}
        for g in members:
            middle, p99 = wanted_ranks[g]
            with np.errstate(over="ignore"):  # numpy's median: the mean of the middle two
                medians[g] = float(np.mean([value[(g, r)] for r in middle]))
            p99s[g] = value[(g, p99)]
        return medians, p99s

    def _narrow(
        self, open_: dict[tuple[int | None, int], Window], value: dict[Any, float], again: Again
    ) -> None:
        """Pass after pass, hold the windows' values or narrow the windows down."""
        while open_:
            for (g, r), w in list(open_.items()):
                if w.lo == w.hi:  # one bit pattern: the value itself
                    value[(g, r)] = float(np.array(w.lo, dtype=np.int64).view(np.float64))
                    del open_[(g, r)]
            distinct = {(w.group, w.lo): w for w in open_.values()}
            room = BUDGET
            for w in sorted(distinct.values(), key=lambda w: w.size):  # the smallest held
                if w.size <= room:
                    room -= w.size
                else:
                    w.step = min(NARROW, (w.hi - w.lo).bit_length())
            windows = Windows(self.counts.shape[0], list(distinct.values()))
            for groups, values in again() if distinct else ():
                windows.feed(groups, values)
            for (g, r), old in list(open_.items()):
                w = distinct[(old.group, old.lo)]
                if w.counts is not None:
                    open_[(g, r)] = w.narrowed(r)
                else:
                    v = w.select(r)
                    assert v is not None
                    value[(g, r)] = v
                    del open_[(g, r)]
