"""Error budgets: the largest errors a kernel may make, per activation, dtype and quantity,
kept in a TOML file beside the kernel's tests, judged in one run and rewritten from a run.

The file holds one table per activation × dtype × quantity (``value``, ``derivative``,
``second_derivative``), with ``max_ulp`` (required) and ``p99_ulp`` (optional), in ULP of the
dtype::

    # 2026-12-08, margin 1.25 (measured: max 1.95 ULP, p99 0.496): actcli check gelu ...
    [gelu.float32.value]
    max_ulp = 2.44
    p99_ulp = 0.62

    ["leaky_relu:negative_slope=0.1".bfloat16.derivative]
    max_ulp = 0.5

The activation is named as ``check`` names it (its spec: name and parameters, quoted when
they hold more than letters, digits, ``_`` and ``-``); an alias or a default parameter names
the same one (``swish`` is ``silu``). A run is judged against its own entry: ``max_ulp`` is
its tolerance, and its 99th percentile must not exceed ``p99_ulp``. :func:`record` writes the
measured errors times a margin (1.25 by default, as tt-metal's budget registry does) into
the file, replacing that entry and keeping every other line, comments included.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import math
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING, Any

from actcli import dtypes
from actcli.errors import ActcliError, DataError, UsageError

if TYPE_CHECKING:
    from actcli.check.report import Report

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 (the conditional dependency in pyproject.toml)
    import tomli as tomllib

QUANTITIES = ("value", "derivative", "second_derivative")  # by derivative order
KEYS = ("max_ulp", "p99_ulp")
MARGIN = 1.25
HEADER = (
    "# actcli check budgets: [activation.dtype.quantity] with max_ulp (and p99_ulp), in ULP\n"
    "# of the dtype. `actcli check NAME FILE --dtype D --budget THIS_FILE` judges a run;\n"
    "# --write-budget THIS_FILE records one (its errors times a margin).\n"
)

Key = tuple[str, str, str]  # activation spec, dtype, quantity


def name_of(key: Key) -> str:
    """The entry's table name, as written in the file: ``gelu.float32.value``."""
    return ".".join(_toml_key(part) for part in key)


def _toml_key(text: str) -> str:
    # a bare key where TOML allows one, else a basic string (JSON's escapes are TOML's)
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class Limit:
    """One entry: the largest ULP error, and the largest 99th percentile if given."""

    key: Key
    max_ulp: float
    p99_ulp: float | None = None

    @property
    def name(self) -> str:
        return name_of(self.key)


@dataclass(frozen=True)
class Budgets:
    """The entries of a budget file, by (spec, dtype, quantity)."""

    path: str
    limits: dict[Key, Limit]

    def limit(self, spec: str, dtype: str, order: int) -> Limit:
        """The entry for a run; a data error naming the file's entries when it has none."""
        key = (spec, dtype, QUANTITIES[order])
        if key in self.limits:
            return self.limits[key]
        held = ", ".join(sorted(limit.name for limit in self.limits.values())) or "none"
        raise DataError(f"{self.path} has no budget [{name_of(key)}] (it has: {held})")


def load(path: str | os.PathLike[str]) -> Budgets:
    """The budget file at ``path``, checked: a data error for an unreadable file, bad TOML,
    or an entry that names no activation, dtype or quantity check knows."""
    where = os.fspath(path)
    return Budgets(where, _entries(where, _parse(where, _read(where))))


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as stream:
            return stream.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DataError(f"cannot read budget {path}: {reason}") from None


def _parse(path: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path} is not valid TOML: {exc}") from None


def _entries(path: str, data: dict[str, Any]) -> dict[Key, Limit]:
    from actcli.catalog.binding import get

    limits: dict[Key, Limit] = {}
    written: dict[Key, str] = {}  # each entry's table name as written, for duplicates
    for name, kinds in data.items():
        try:
            act = get(name)
        except ActcliError as exc:
            raise DataError(f"{path}: [{_toml_key(name)}]: {exc}") from None
        if act.kind != "elementwise":
            raise DataError(f"{path}: [{_toml_key(name)}]: check takes elementwise activations")
        for dtype, quantities in _tables(path, [name], kinds):
            if dtype not in dtypes.TYPES:
                raise DataError(
                    f"{_where(path, [name, dtype])}: unknown dtype; expected one of "
                    + ", ".join(dtypes.NAMES)
                )
            for quantity, entry in _tables(path, [name, dtype], quantities):
                here = _where(path, [name, dtype, quantity])
                if quantity not in QUANTITIES:
                    raise DataError(f"{here}: unknown quantity; expected {', '.join(QUANTITIES)}")
                key = (act.spec, dtype, quantity)
                table = here.removeprefix(f"{path}: ")
                if key in limits:
                    raise DataError(
                        f"{here} and {written[key]} are one budget, [{name_of(key)}]: keep one"
                    )
                limits[key], written[key] = _limit(path, [name, dtype, quantity], key, entry), table
    return limits


def _where(path: str, parts: list[str]) -> str:
    return f"{path}: [{'.'.join(_toml_key(p) for p in parts)}]"


def _tables(path: str, parts: list[str], value: Any) -> list[tuple[str, Any]]:
    if not isinstance(value, dict):
        raise DataError(f"{_where(path, parts)}: expected a table, found {_toml_type(value)}")
    return list(value.items())


def _limit(path: str, parts: list[str], key: Key, entry: Any) -> Limit:
    where = _where(path, parts)
    items = dict(_tables(path, parts, entry))
    unknown = sorted(set(items) - set(KEYS))
    if unknown:
        raise DataError(f"{where}: unknown key {unknown[0]!r}; expected {' and '.join(KEYS)}")
    if "max_ulp" not in items:
        raise DataError(f"{where}: max_ulp is missing")
    for k, v in items.items():
        if isinstance(v, bool) or not isinstance(v, int | float) or not (0 <= v < math.inf):
            raise DataError(f"{where}: {k} must be a finite number >= 0, got {_toml_type(v)}")
    p99 = items.get("p99_ulp")
    return Limit(key, float(items["max_ulp"]), None if p99 is None else float(p99))


def _toml_type(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, str):
        return repr(value)
    return json.dumps(value, default=str) if isinstance(value, list) else str(value).lower()


@dataclass(frozen=True)
class Judgement:
    """A run against its budget: within it (beating it when under every limit), or over."""

    path: str
    limit: Limit
    max_ulp: float
    p99_ulp: float
    worst_x: float | None  # the input of the largest error

    @property
    def over(self) -> list[str]:
        """The limits exceeded, each as ``max_ulp 3.1 > 2.44``."""
        found = []
        if not self.max_ulp <= self.limit.max_ulp:
            x, dtype = self.worst_x, self.limit.key[1]
            at = "" if x is None else f" at x = {dtypes.spell(x, dtype)}"
            found.append(f"max_ulp {self.max_ulp:.3g} > {self.limit.max_ulp:g}{at}")
        if self.limit.p99_ulp is not None and not self.p99_ulp <= self.limit.p99_ulp:
            found.append(f"p99_ulp {self.p99_ulp:.3g} > {self.limit.p99_ulp:g}")
        return found

    @property
    def passed(self) -> bool:
        return not self.over

    @property
    def beaten(self) -> bool:
        """Under every limit of the entry, strictly."""
        p99 = self.limit.p99_ulp
        return self.max_ulp < self.limit.max_ulp and (p99 is None or self.p99_ulp < p99)

    @property
    def line(self) -> str:
        """One line for the report's end."""
        name = f"[{self.limit.name}] of {self.path}"
        if not self.passed:
            return f"over budget {name}: {'; '.join(self.over)}"
        under = "<" if self.beaten else "≤"
        measured = f"max {self.max_ulp:.3g} {under} {self.limit.max_ulp:g} ULP"
        if self.limit.p99_ulp is not None:
            measured += f", p99 {self.p99_ulp:.3g} {under} {self.limit.p99_ulp:g}"
        return f"{'beats' if self.beaten else 'within'} budget {name}: {measured}"

    def document(self) -> dict[str, object]:
        return {
            "file": self.path,
            "entry": self.limit.name,
            "max_ulp": self.limit.max_ulp,
            "p99_ulp": self.limit.p99_ulp,
            "passed": self.passed,
            "beaten": self.beaten,
            "over": self.over,
        }


def judge(report: Report, budgets: Budgets, limit: Limit) -> Judgement:
    """How the run in ``report`` stands against ``limit``, an entry of ``budgets``."""
    worst = report.worst[0]["x"] if report.worst else None
    return Judgement(budgets.path, limit, report.max_ulp, report.p99_ulp, worst)


def record(
    path: str | os.PathLike[str],
    report: Report,
    command: str,
    margin: float | None = None,
    today: datetime.date | None = None,
) -> Limit:
    """Write the run's budget into the file at ``path`` (created if missing): its max and
    99th-percentile ULP times ``margin`` (default :data:`MARGIN`), rounded up to 3 digits,
    under a comment with the date (``today``, default today in UTC), the margin, the errors
    measured and ``command``. An entry of the same activation, dtype and quantity is
    replaced, every other line kept. Returns the entry written."""
    margin = checked_margin(margin)
    where = os.fspath(path)
    key = (report.spec, report.dtype, QUANTITIES[report.order])
    if not math.isfinite(report.max_ulp):
        raise DataError(
            f"cannot write a budget to {where}: the largest error is {report.max_ulp} ULP "
            "(a value too far from its reference to count in ULP)"
        )
    limit = Limit(key, _up(report.max_ulp * margin), _up(report.p99_ulp * margin))
    day = (today or datetime.datetime.now(datetime.timezone.utc).date()).isoformat()
    block = (
        f"# {day}, margin {margin:g} (measured: max {report.max_ulp:.3g} ULP, p99 "
        f"{report.p99_ulp:.3g}): {_one_line(command)}\n"
        f"[{limit.name}]\nmax_ulp = {limit.max_ulp!r}\np99_ulp = {limit.p99_ulp!r}\n"
    )
    text = _read(where) if os.path.exists(where) else ""
    load_text(where, text)  # the file is sound before it is touched
    updated = _merged(text, key, block)
    try:
        merged = load_text(where, updated).get(key) == limit
    except DataError:
        merged = False
    if not merged:  # a layout the merge cannot follow
        raise DataError(
            f"cannot update {where}: its entry {limit.name} is not a [{limit.name}] table of "
            "its own"
        )
    _write(where, updated)
    return limit


def checked_margin(margin: float | None) -> float:
    """The margin asked for (None: :data:`MARGIN`); a usage error unless finite and >= 1."""
    if margin is None:
        return MARGIN
    if not (margin >= 1 and math.isfinite(margin)):
        raise UsageError(f"must be a finite number >= 1, got {margin}", option="margin")
    return margin


def load_text(path: str, text: str) -> dict[Key, Limit]:
    """The entries of a budget file's ``text``."""
    return _entries(path, _parse(path, text))


def _up(value: float) -> float:
    """``value`` rounded up to 3 significant digits (a budget never under what it says)."""
    if value == 0:
        return 0.0
    exponent = Decimal(value).adjusted() - 2
    return float(Decimal(value).quantize(Decimal(1).scaleb(exponent), rounding=ROUND_CEILING))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _merged(text: str, key: Key, block: str) -> str:
    """``text`` with the table ``key`` (and the comment lines just above it) replaced by
    ``block``, or ``block`` appended; a new file starts with :data:`HEADER`."""
    if not text.strip():
        return HEADER + "\n" + block
    lines = text.splitlines(keepends=True)
    headers = [i for i, line in enumerate(lines) if line.lstrip().startswith("[")]
    for n, i in enumerate(headers):
        if _header(lines[i]) != key:
            continue
        start = i
        while start > 0 and lines[start - 1].lstrip().startswith("#"):
            start -= 1
        end = headers[n + 1] if n + 1 < len(headers) else len(lines)
        while end > i + 1 and lines[end - 1].lstrip().startswith("#"):
            end -= 1  # the next table's comment stays with it ...
        while end > i + 1 and not lines[end - 1].strip():
            end -= 1  # ... and so do the blank lines before it
        rest = "".join(lines[end:])
        gap = "\n" if rest and not rest.startswith(("\n", "\r\n")) else ""
        return "".join(lines[:start]) + block + gap + rest
    return text.rstrip("\n") + "\n\n" + block


def _header(line: str) -> Key | None:
    """The (spec, dtype, quantity) a ``[a.b.c]`` line opens, the spec as written."""
    stripped = line.strip()
    if not stripped.startswith("[") or stripped.startswith("[["):
        return None
    try:
        table: Any = tomllib.loads(stripped)
    except tomllib.TOMLDecodeError:
        return None
    path = []
    while isinstance(table, dict) and len(table) == 1:
        name, table = next(iter(table.items()))
        path.append(name)
    if len(path) != 3 or table != {}:
        return None
    from actcli.catalog.binding import get

    try:
        spec = get(path[0]).spec
    except ActcliError:
        return None
    return (spec, path[1], path[2])


def _write(path: str, text: str) -> None:
    """``text`` into ``path`` atomically (a temporary file beside it, then a rename)."""
    folder = os.path.dirname(path) or "."
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.")
    except OSError as exc:
        raise DataError(f"cannot write budget {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        if os.path.exists(path):  # keep the file's permissions
            with contextlib.suppress(OSError):
                os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
