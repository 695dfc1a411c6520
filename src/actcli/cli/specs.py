"""From NAME, ``--param``, ``--dialect`` and the softmax shortcuts to bound activations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from actcli import reading
from actcli.cli.options import InfPolicy
from actcli.cli.output import note
from actcli.errors import UsageError

if TYPE_CHECKING:
    from actcli.catalog.registry import Activation


def param_items(params: list[str] | None) -> dict[str, str]:
    """--param KEY=VALUE options, as a dict; a key given twice is an error, not the last one."""
    items: dict[str, str] = {}
    for item in params or []:
        key, eq, value = item.partition("=")
        key = key.strip()
        if not eq or not key:
            raise UsageError(f"--param {item!r}: expected KEY=VALUE")
        if key == "dialect":
            raise UsageError("--param dialect=...: use --dialect (or NAME:dialect=... for one)")
        if key in items:
            raise UsageError(f"--param {key} given twice")
        items[key] = value.strip()
    return items


def activation(
    name: str,
    params: list[str] | dict[str, str] | None,
    dialect: str | None,
    temperature: float | None = None,
    inf_policy: InfPolicy | None = None,
) -> Activation:
    """Resolve NAME with --param, --dialect and the softmax shortcuts; report alias notes."""
    import actcli

    if reading.is_number(name):  # `actcli eval 1 2`: the name was forgotten
        shown = name.strip()  # a negative number comes with parsing's protective space
        raise UsageError(f"NAME is missing: {shown!r} is a number (actcli list shows the names)")
    extra: dict[str, object] = dict(params if isinstance(params, dict) else param_items(params))
    if temperature is not None:
        extra["temperature"] = temperature
    if inf_policy is not None:
        extra["inf_policy"] = inf_policy.value
    act = actcli.get(name, dialect=dialect, **extra)  # a parameter NAME lacks is an error there
    for text in act.notes:
        note(f"note: {text}")
    return act


def activations(
    names: list[str], params: list[str] | None, dialect: str | None
) -> list[Activation]:
    """Every NAME; with several, each --param goes to the names that have that parameter."""
    if len(names) == 1:
        return [activation(names[0], params, dialect)]
    from actcli.catalog.registry import takes

    items = param_items(params)
    takers = {key: {name for name in names if takes(name, key)} for key in items}
    for key, who in takers.items():
        if not who:
            raise UsageError(f"--param {key}: none of {', '.join(names)} has a parameter {key!r}")
    return [
        activation(name, {k: v for k, v in items.items() if name in takers[k]}, dialect)
        for name in names
    ]


def labels(acts: list[Activation]) -> list[str]:
    """How each activation is named in legends, columns and tables: its spec, and its dialect
    when the names compared do not all share one (gelu@torch, gelu@jax)."""
    if len({a.dialect for a in acts}) > 1:
        return [f"{a.spec}@{a.dialect}" for a in acts]
    return [a.spec for a in acts]
