"""Parameter families: ``--sweep KEY=V1,V2,...`` or ``--sweep KEY=A:B:N``.

A sweep binds one activation once per value of one parameter. The values are kept as the
text the parameter will read (``0.5``, ``tanh``), so that a family of a string parameter
(``approximate=none,tanh``) works like one of a number, and every member's label and column
name show the value exactly as it was bound.

What names the activations of a figure or a table lives here too, so that the core can name
them without the command line: :class:`Member` (an activation with its legend label and column
name), :func:`member`, :func:`labels` and :func:`title`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from actcli.errors import UsageError

if TYPE_CHECKING:
    from actcli.catalog.binding import Activation
    from actcli.catalog.records import Definition
    from actcli.curves import Label

MAX_MEMBERS = 64  # beyond this a legend or a header is unreadable; say so instead


@dataclass(frozen=True)
class Sweep:
    """One parameter and the values it takes, in order."""

    key: str
    values: tuple[str, ...]


def parse(text: str) -> Sweep:
    """``KEY=V1,V2,...`` (a list) or ``KEY=A:B:N`` (N evenly spaced numbers from A to B,
    those between rounded to a hundredth of the step)."""
    key, eq, rest = text.partition("=")
    key, rest = key.strip(), rest.strip()
    if not eq or not key or not re.fullmatch(r"[A-Za-z_]\w*", key):
        raise UsageError(f"{text!r}: expected KEY=V1,V2,... or KEY=A:B:N", option="sweep")
    if ":" in rest:
        values = _span(text, rest)
    else:
        values = tuple(v.strip() for v in rest.split(","))
        if any(not v for v in values):
            raise UsageError(f"{text!r}: an empty value in the list", option="sweep")
    if len(values) < 2:
        raise UsageError(f"{text!r}: a family needs at least 2 values", option="sweep")
    if len(values) > MAX_MEMBERS:
        raise UsageError(
            f"{text!r}: {len(values)} values; at most {MAX_MEMBERS} curves can be told apart",
            option="sweep",
        )
    if len(set(values)) < len(values):
        raise UsageError(f"{text!r}: a value is given twice", option="sweep")
    return Sweep(key, values)


def _span(text: str, rest: str) -> tuple[str, ...]:
    parts = [p.strip() for p in rest.split(":")]
    try:
        if len(parts) != 3:
            raise ValueError
        a, b, n = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise UsageError(
            f"{text!r}: expected KEY=A:B:N (numbers A and B, a whole number N)", option="sweep"
        ) from None
    if not (np.isfinite(a) and np.isfinite(b)):
        raise UsageError(f"{text!r}: A and B must be finite", option="sweep")
    if n < 2:
        raise UsageError(f"{text!r}: N must be at least 2, got {n}", option="sweep")
    if n > MAX_MEMBERS:
        raise UsageError(f"{text!r}: N is at most {MAX_MEMBERS}, got {n}", option="sweep")
    if a == b:
        raise UsageError(f"{text!r}: A and B are the same value", option="sweep")
    # the ends exactly as written; the points between rounded to a hundredth of the step
    # (0.1:3:12 binds 0.364, not 0.36363636363636365): the value bound is the value shown
    digits = max(0, math.ceil(-math.log10(abs(b - a) / (n - 1))) + 2)
    inner = [number(round(float(v), digits)) for v in np.linspace(a, b, n)[1:-1]]
    return (number(a), *inner, number(b))


def number(value: float) -> str:
    """The shortest text that reads back as ``value``, without a trailing ``.0``."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


# ------------------------------------------------------------------------------------ naming


def labels(acts: list[Activation]) -> list[str]:
    """How each activation is named in legends, columns and tables: its spec, and its dialect
    when the names compared do not all share one (gelu@torch, gelu@jax)."""
    if len({a.dialect for a in acts}) > 1:
        return [f"{a.spec}@{a.dialect}" for a in acts]
    return [a.spec for a in acts]


@dataclass(frozen=True)
class Member:
    """One activation of a figure or a table, with what names it there."""

    act: Activation
    label: Label  # in legends
    column: str  # in CSV headers and tables: a spec that reads back
    group: int  # the NAME it came from; a family is one group
    shade: float | None = None  # a family member's place in its family, 0 to 1
    swept: str = ""  # a family member's swept parameter, by its name


def member(
    act: Activation,
    keys: list[str],
    group: int,
    *,
    swept: str | None = None,
    shade: float | None = None,
    mixed: bool = False,
    custom: str = "",
    typed: str = "",
) -> Member:
    """``act`` named by the parameters the user set (``keys``, as written; a value equal to
    the default too) and, when dialects are ``mixed``, its dialect; a member of a family (the
    parameter ``swept``) has every parameter set in its column name, the swept one too.
    ``typed`` is a library's name the user gave for it (``gelu_new``): legends show it, with
    the parameters it fixes, instead of the catalog name."""
    from actcli.curves import Label

    label = Label(typed or act.name, tuple(_shown(act, keys)), act.dialect if mixed else "", custom)
    column = _column(act, keys) if swept is not None else _typed_column(act, typed)
    name = "" if swept is None else canonical(act.definition, swept)
    shown = f"{column}@{act.dialect}" if mixed else column
    return Member(act, label, shown, group, shade, name)


def _typed_column(act: Activation, typed: str) -> str:
    """A column named as typed (``gelu_new``) when that name alone reads back as ``act``."""
    if typed:
        from actcli.catalog.binding import get

        if get(typed, dialect=act.dialect).spec == act.spec:
            return typed
    return act.spec


def canonical(definition: Definition, key: str) -> str:
    """A parameter's canonical name (an alias such as ``alpha`` read as ``negative_slope``)."""
    p = definition.param(key)
    return p.name if p is not None else key


def _shown(act: Activation, keys: list[str]) -> list[tuple[str, str]]:
    """The parameters the user set, canonically named, in the definition's order."""
    wanted = {canonical(act.definition, key) for key in keys}
    return [
        (p.name, v if isinstance(v := act.params[p.name], str) else number(float(v)))
        for p in act.definition.params
        if p.name in wanted
    ]


def _column(act: Activation, keys: list[str]) -> str:
    """``name:key=value,...`` with every parameter set, the swept one too (even at its default)."""
    shown = _shown(act, keys)
    return act.name + ":" + ",".join(f"{k}={v}" for k, v in shown) if shown else act.spec


def title(chosen: list[Member], formula: bool = True) -> str:
    """A figure's title: the names with the parameters set (a family as its values), the
    formula of a single one where mathtext can draw it, and the dialects."""
    from actcli.curves import Label

    heads: list[str] = []
    for group in sorted({m.group for m in chosen}):
        family = [m for m in chosen if m.group == group]
        first = family[0]
        if first.swept:
            values = ", ".join(dict(m.label.params)[first.swept] for m in family)
            heads.append(f"{first.act.name}: {first.swept} = {values}")
        else:
            heads.append(Label(first.act.name, first.label.params).of(0))
    head = ", ".join(heads)
    if formula and len(heads) == 1 and not chosen[0].swept:
        from actcli.plotting import mathtext_or_none

        shown = mathtext_or_none(chosen[0].act.latex)
        if shown:
            head = f"{head}:  {shown}"
    return f"{head}   ({', '.join(sorted({m.act.dialect for m in chosen}))})"
