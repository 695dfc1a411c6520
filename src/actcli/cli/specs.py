"""From NAME, ``--param``, ``--sweep``, ``--dialect`` and the softmax shortcuts to bound
activations. What names them (legend labels, column names, figure titles) is the core's:
:mod:`actcli.families`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from actcli import families, inputs
from actcli.cli.options import InfPolicy
from actcli.cli.output import note
from actcli.errors import UsageError
from actcli.families import Member as Member
from actcli.families import labels as labels
from actcli.families import title as title

if TYPE_CHECKING:
    from actcli.catalog.binding import Activation
    from actcli.families import Sweep


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
    notes: bool = True,
) -> Activation:
    """Resolve NAME with --param, --dialect and the softmax shortcuts; report alias notes."""
    import actcli

    if inputs.is_number(name):  # `actcli eval 1 2`: the name was forgotten
        shown = name.strip()  # a negative number comes with parsing's protective space
        raise UsageError(f"NAME is missing: {shown!r} is a number (actcli list shows the names)")
    extra: dict[str, object] = dict(params if isinstance(params, dict) else param_items(params))
    if temperature is not None:
        extra["temperature"] = temperature
    if inf_policy is not None:
        extra["inf_policy"] = inf_policy.value
    act = actcli.get(name, dialect=dialect, **extra)  # a parameter NAME lacks is an error there
    for text in act.notes if notes else ():
        note(f"note: {text}")
    return act


def activations(
    names: list[str], params: list[str] | None, dialect: str | None
) -> list[Activation]:
    """Every NAME; with several, each --param goes to the names that have that parameter."""
    shares = _shares(names, param_items(params))
    return [activation(name, share, dialect) for name, share in zip(names, shares, strict=True)]


def _shares(names: list[str], items: dict[str, str]) -> list[dict[str, str]]:
    """Each NAME's share of the --param items: all of them for one NAME; with several, the
    ones it has (a parameter none of them has is an error)."""
    if len(names) == 1:
        return [items]
    from actcli.catalog.binding import takes

    takers = {key: {name for name in names if takes(name, key)} for key in items}
    for key, who in takers.items():
        if not who:
            raise UsageError(f"--param {key}: none of {', '.join(names)} has a parameter {key!r}")
    return [{k: v for k, v in items.items() if name in takers[k]} for name in names]


def members(
    names: list[str],
    params: list[str] | None,
    dialect: str | None,
    sweeps: list[str] | None = None,
    custom: list[str] | None = None,
) -> list[Member]:
    """Every NAME, once per value of ``--sweep`` if one is given, labelled with every
    parameter the user set (a value equal to the default too) and, when dialects are mixed,
    the dialect; ``custom`` (``--label``) replaces the labels, one per member."""
    if len(sweeps or []) > 1:
        raise UsageError(
            "--sweep given twice: a family varies one parameter (draw one figure per value "
            "of the other, or set it with --param)"
        )
    sweep = families.parse(sweeps[0]) if sweeps else None
    items = param_items(params)
    if sweep is not None:
        _check_sweep(names, items, sweep)
    found: list[tuple[int, Activation, list[str], float | None]] = []
    for group, (name, own) in enumerate(zip(names, _shares(names, items), strict=True)):
        values = sweep.values if sweep else (None,)
        for i, value in enumerate(values):
            given = own if sweep is None else {**own, sweep.key: str(value)}
            act = activation(name, given, dialect, notes=i == 0)  # alias notes once per NAME
            shade = None if sweep is None else i / (len(values) - 1)
            found.append((group, act, [*_written(name), *given], shade))
    if custom and len(custom) != len(found):
        what = "family members" if sweep else "activations"
        raise UsageError(f"--label: {len(custom)} given for {len(found)} {what}; give one each")
    if custom and not all(text.strip() for text in custom):
        raise UsageError("--label: an empty label (--legend off draws none)")
    mixed = len({act.dialect for _, act, _, _ in found}) > 1
    return [
        families.member(
            act,
            keys,
            group,
            swept=sweep.key if sweep else None,
            shade=shade,
            mixed=mixed,
            custom=custom[k] if custom else "",
            typed=_typed(names[group]),
        )
        for k, (group, act, keys, shade) in enumerate(found)
    ]


def _typed(name: str) -> str:
    """The preset name NAME was given as (``gelu_new``, as typed), or "" for a catalog name."""
    from actcli.catalog.binding import parse_spec
    from actcli.catalog.registry import preset

    bare = parse_spec(name)[0]
    return bare if preset(bare) is not None else ""


def _check_sweep(names: list[str], items: dict[str, str], sweep: Sweep) -> None:
    """Every NAME has the swept parameter, and nothing else sets it."""
    from actcli.catalog.binding import takes

    key = sweep.key
    if key in items:
        raise UsageError(f"--sweep {key} and --param {key} both set {key}: give it once")
    for name in names:
        if not takes(name, key):
            d = activation(name, None, None, notes=False).definition
            known = ", ".join(p.name for p in d.params) or "none"
            raise UsageError(
                f"--sweep {key}: {d.name} has no parameter {key!r} (parameters: {known})"
            )
        # bound with a value of the sweep: a formula in x needs all of its parameters
        d = activation(name, {key: sweep.values[0]}, None, notes=False).definition
        swept = families.canonical(d, key)
        if any(families.canonical(d, k) == swept for k in _written(name)):
            raise UsageError(f"--sweep {key} and {name} both set {swept}: give it once")


def _written(name: str) -> list[str]:
    """The parameters NAME sets: after its colon, and those a preset fixes (gelu_new's
    approximate=tanh, so that its legend does not read as plain gelu)."""
    from actcli.catalog.binding import parse_spec
    from actcli.catalog.registry import preset_params

    bare, written = parse_spec(name)
    written.pop("dialect", None)
    return [*written, *(k for k in preset_params(bare) if k not in written)]
