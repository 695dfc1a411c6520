"""What a name a model library uses is, in actcli's terms, and what it is easily taken for.

:func:`identify` reads a name as a library spells it (``gelu_pytorch_tanh``,
``GeluAndMul(approximate='tanh')``, ``nn.gelu_approx``, ``GGML_GLU_OP_SWIGLU``), a config line
(``hidden_act: gelu_new``) or a Hugging Face ``config.json`` (its ``hidden_act``,
``hidden_activation``, ``activation_function``, ... at any depth) and returns an
:class:`Identification`: for each name, every library entry it matches (the actcli spec and
dialect, what the spec leaves out, the source it was read from), the other names of the same
maths (look-alikes), and the activations it is easily mistaken for (confusables: the same name
with other maths elsewhere, its other variants, and its family), each with the gap measured
over every bfloat16 input in [−16, 16]: max |difference| in float64, and how many inputs give
other bfloat16 results and by how many bfloat16 ULP. ``.document()`` is the JSON, ``.tables()``
what the command prints.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from actcli import libraries
from actcli.errors import ActcliError, DataError, UnknownActivationError, UsageError
from actcli.formats import Table

if TYPE_CHECKING:
    from actcli.catalog.binding import Activation
    from actcli.libraries import LibraryName

# A config.json is a few kilobytes; a larger file is refused before it is read.
CONFIG_BYTES = 16 << 20

# The grid the gaps are measured on: every bfloat16 in [−GRID, GRID].
GRID = 16.0
GAP_DTYPE = "bfloat16"

# Families whose members are taken for one another (a choice, written down here): a name's
# confusables are the other maths of its family found in the library tables and the catalog.
FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({"gelu", "gelu_fast", "gelu_10", "quick_gelu", "silu"}),
    frozenset({"silu", "quick_gelu", "hard_silu", "mish"}),
    frozenset({"sigmoid", "hard_sigmoid"}),
    frozenset({"elu", "selu", "celu"}),
    frozenset({"relu", "leaky_relu", "prelu", "relu6", "squared_relu", "threshold"}),
    frozenset({"hard_shrink", "soft_shrink"}),
    frozenset({"softplus"}),
    frozenset({"step"}),
)

# Keys of a config.json that name an activation: these, and any ending in _act, _activation,
# _act_fn or _activation_function (vision_config.hidden_act, projector_hidden_act, ...).
_CONFIG_KEY = re.compile(
    r"^(activation|act|act_fn|act_layer|.*_act|.*_activation|.*_act_fn|activation_function|.*_activation_function)$"
)
_CONFIG_LINE = re.compile(
    r"""^\s*["']?([A-Za-z_][\w.]*)["']?\s*[:=]\s*["']?([^"'=:,\s]+)["']?\s*,?\s*$"""
)


# --------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Match:
    """One library entry (or actcli's own name) a name stands for."""

    library: str  # transformers, ..., or actcli
    title: str  # Hugging Face transformers
    name: str  # as spelled there, with its arguments
    spec: str  # the actcli spec
    dialect: str
    gated: str = ""
    differs: str = ""
    code: str = ""
    source: str = ""

    def document(self) -> dict[str, Any]:
        return {
            "library": self.library,
            "name": self.name,
            "actcli": self.spec,
            "dialect": self.dialect,
            "gated": self.gated or None,
            "differs": self.differs or None,
            "upstream": self.code or None,
            "source": self.source or None,
        }


@dataclass(frozen=True)
class Gap:
    """How far another activation is from the reading's: over every bfloat16 in the grid."""

    name: str  # "flax gelu", "actcli gelu"
    spec: str
    why: str
    max_abs: float
    at: float
    narrow_differ: int  # inputs whose bfloat16 results differ
    narrow_max_ulp: float
    float32_differ: int  # and their float32 results
    float32_max_ulp: float

    def document(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "actcli": self.spec,
            "why": self.why,
            "max_abs_difference": self.max_abs,
            "at_x": self.at,
            f"{GAP_DTYPE}_inputs_differing": self.narrow_differ,
            f"{GAP_DTYPE}_max_ulp": self.narrow_max_ulp,
            "float32_inputs_differing": self.float32_differ,
            "float32_max_ulp": self.float32_max_ulp,
        }


@dataclass
class Reading:
    """One name as read (from the command line, or a config field) and what it is."""

    text: str
    where: str  # the config field it was read from ("text_config.hidden_activation"), or ""
    matches: list[Match]
    lookalikes: list[tuple[str, list[str]]] = field(default_factory=list)  # spec -> names
    confusables: list[Gap] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.where}: {self.text}" if self.where else self.text

    def document(self) -> dict[str, Any]:
        return {
            "name": self.text,
            "field": self.where or None,
            "matches": [m.document() for m in self.matches],
            "lookalikes": [{"actcli": s, "names": n} for s, n in self.lookalikes],
            "confusables": [g.document() for g in self.confusables],
        }


@dataclass
class Identification:
    """What ``actcli identify`` prints: a reading per name (one, or one per config field)."""

    query: str
    readings: list[Reading]
    config: str = ""  # the config.json read, if one was

    def notes(self) -> list[str]:
        """What a porter must not miss: a config whose fields name different maths (Gemma's
        hidden_act "gelu" beside hidden_activation "gelu_pytorch_tanh")."""
        seen: dict[str, list[str]] = {}
        for r in self.readings:
            seen.setdefault(_maths(r.matches[0].spec), []).append(f"{r.where} = {r.text}")
        if len(seen) < 2:
            return []
        parts = "; ".join(f"{', '.join(w)} ({spec})" for spec, w in seen.items())
        return [f"note: the config's activation fields are not one maths: {parts}"]

    def document(self) -> dict[str, Any]:
        lo, hi = -GRID, GRID
        return {
            "query": self.query,
            "config": self.config or None,
            "readings": [r.document() for r in self.readings],
            "gaps_over": {"dtype": GAP_DTYPE, "range": [lo, hi], "count": _grid().size},
            "notes": self.notes(),
        }

    def tables(self) -> list[Table]:
        out: list[Table] = []
        for r in self.readings:
            out.append(
                Table(
                    ["library", "name", "actcli", "notes"],
                    [[m.title, m.name, _spec_text(m), _notes(m)] for m in r.matches],
                    title=f"what {r.label} is",
                )
            )
            out.append(
                Table(
                    ["library", "read from", "upstream"],
                    [[m.title, m.source, m.code] for m in r.matches if m.library != "actcli"],
                    title="where each was read",
                )
            )
            if r.lookalikes:
                out.append(
                    Table(
                        ["actcli", "the same maths in"],
                        [[s, ", ".join(n)] for s, n in r.lookalikes],
                        title="look-alikes: the same maths under other names",
                    )
                )
            if r.confusables:
                first = r.matches[0]
                out.append(
                    Table(
                        [
                            "name",
                            "actcli",
                            "why",
                            "max |Δ|",
                            "at x",
                            f"{GAP_DTYPE} ≠",
                            "ULP",
                            "float32 ≠",
                            "float32 ULP",
                        ],
                        [
                            [
                                g.name,
                                g.spec,
                                g.why,
                                g.max_abs,
                                g.at,
                                g.narrow_differ,
                                g.narrow_max_ulp,
                                g.float32_differ,
                                g.float32_max_ulp,
                            ]
                            for g in r.confusables
                        ],
                        title=(
                            f"confusables: gaps from {first.name} ({first.spec}) over the "
                            f"{_grid().size:,} {GAP_DTYPE} x in [{-GRID:g}, {GRID:g}]"
                            + (" (gate activations)" if first.gated else "")
                            + f": max |Δ| in float64; {GAP_DTYPE} ≠ (float32 ≠): inputs whose "
                            f"{GAP_DTYPE} (float32) results differ; ULP: the most, in ULP of the "
                            "larger result"
                        ),
                    )
                )
        return out


def _spec_text(m: Match) -> str:
    return m.spec if m.dialect == "torch" else f"{m.spec} (dialect {m.dialect})"


def _notes(m: Match) -> str:
    return "; ".join(filter(None, (m.gated and f"gated: {m.gated}", m.differs)))


# --------------------------------------------------------------------------------- reading


def identify(query: str, only: str | None = None) -> Identification:
    """What ``query`` is: a name, ``NAME(arg=value)``, ``key: value`` or a config.json path
    (a directory holding one too). ``only`` restricts the libraries (``--from``)."""
    if not query.strip():
        raise UsageError("NAME_OR_CONFIG is empty: give a name (gelu_new) or a config.json")
    lib = libraries.library(only).key if only else None
    path = Path(query)
    if query.endswith(".json") or _is_dir(path) or (_exists(path) and not _known(query)):
        file, fields = read_config(path)
        readings = [_reading(value, lib, where) for where, value in fields]
        return Identification(query, readings, str(file))
    line = _CONFIG_LINE.match(query)
    if line and _CONFIG_KEY.match(line.group(1).split(".")[-1]):
        return Identification(query, [_reading(line.group(2), lib, line.group(1))])
    return Identification(query, [_reading(query.strip(), lib, "")])


def _known(text: str) -> bool:
    """Whether a text is a name (a file of that name in the directory does not hide it)."""
    return bool(libraries.variants(text)) or _catalog(text) is not None


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name too long to be a path
        return False


def read_config(path: Path) -> tuple[Path, list[tuple[str, str]]]:
    """The activation fields of a Hugging Face config.json: (dotted key, value) in file order."""
    file = path / "config.json" if path.is_dir() else path
    if path.is_dir() and not file.exists():
        raise DataError(f"{path} is a directory without a config.json")
    try:
        if file.stat().st_size > CONFIG_BYTES:
            raise DataError(f"{file}: over {CONFIG_BYTES >> 20} MiB: too large for a config.json")
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"{file}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(
            f"{file}: cannot be read: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{file}: not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise DataError(f"{file}: nested too deeply to be a config") from None
    if not isinstance(doc, dict):
        raise DataError(f"{file}: not a config (a JSON object), but a JSON {type(doc).__name__}")
    fields = list(_activation_fields(doc, ""))
    if not fields:
        raise DataError(
            f"{file}: no activation field (hidden_act, hidden_activation, activation_function, "
            "or a key ending in _act or _activation)"
        )
    return file, fields


def _activation_fields(doc: dict[str, Any], prefix: str) -> Any:
    for key, value in doc.items():
        where = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _activation_fields(value, where + ".")
        elif isinstance(value, str) and _CONFIG_KEY.match(key) and value.strip():
            yield where, value.strip()


def _reading(text: str, only: str | None, where: str) -> Reading:
    matches = _matches(text, only)
    reading = Reading(text, where, matches)
    reading.lookalikes = _lookalikes(matches)
    reading.confusables = _confusables(text, matches)
    return reading


def _matches(text: str, only: str | None) -> list[Match]:
    out = [_match(e) for e in libraries.find(text, only)]
    own = _catalog(text) if only is None else None
    if own is not None:
        out.append(
            Match("actcli", "actcli", text, own.spec, own.dialect, source="actcli's catalog")
        )
    if out:
        return out
    if only is not None and libraries.find(text):
        elsewhere = sorted({e.library for e in libraries.find(text)})
        raise UsageError(f"{text!r} is not a {only} name; it is one in {', '.join(elsewhere)}")
    if libraries.variants(text, only):
        spelled = ", ".join(sorted({e.spelled for e in libraries.variants(text, only)}))
        raise UsageError(f"no {text!r}: the recorded variants are {spelled}")
    from actcli.catalog import registry

    suggestions = [
        *libraries.suggest(text),
        *registry.suggest(libraries.records.split_args(text)[0]),
    ]
    raise UnknownActivationError(text, list(dict.fromkeys(suggestions))[:4])


def _match(e: LibraryName) -> Match:
    lib = libraries.LIBRARIES[e.library]
    return Match(
        e.library,
        lib.title,
        e.spelled,
        e.spec,
        lib.dialect,
        e.gated,
        e.differs,
        e.code,
        e.source.text,
    )


def _catalog(text: str) -> Activation | None:
    """actcli's own reading of the name (a catalog name, alias, preset or spec), if it has one."""
    import actcli

    if "(" in text or " " in text.strip():
        return None
    try:
        return actcli.get(text)
    except ActcliError:
        return None


def library_names(act: Activation) -> dict[str, Any]:
    """For ``info``: the library names of ``act``'s maths, and, when some library's
    ``act.name`` is other maths (flax's ``gelu`` is the tanh form), what that name is where."""
    mine = act.spec
    same = [
        f"{e.library} {e.spelled}"
        for e in libraries.entries()
        if not e.gated and _maths(e.spec) == mine
    ]
    named = [e for e in libraries.find(act.name) if not e.gated]
    meanings: dict[str, list[str]] = {}
    for e in named:
        meanings.setdefault(_maths(e.spec), []).append(f"{e.library} {e.spelled}")
    if set(meanings) <= {mine}:
        meanings = {}
    means = [{"actcli": spec, "names": names} for spec, names in meanings.items()]
    return {"same_maths": same, "name": act.name, "name_means": means}


# --------------------------------------------------------------------------------- maths


def _bind(spec: str, dialect: str = "torch") -> Activation:
    import actcli

    return actcli.get(spec, dialect=dialect)


@functools.cache
def _maths(spec: str) -> str:
    """A key equal for equal maths: the catalog's canonical spec, or the formula's text."""
    from actcli.catalog import registry
    from actcli.catalog.binding import parse_spec

    try:
        registry.lookup(parse_spec(spec)[0])
    except UnknownActivationError:
        return "".join(spec.split())
    return _bind(spec).spec


@functools.cache
def _name_of(spec: str, kin: str = "") -> str:
    """The catalog activation a spec is (or stands beside, for a formula)."""
    from actcli.catalog import registry
    from actcli.catalog.binding import parse_spec

    try:
        return registry.lookup(parse_spec(spec)[0]).name
    except UnknownActivationError:
        return kin


def _lookalikes(matches: list[Match]) -> list[tuple[str, list[str]]]:
    out = []
    for spec, gated in dict.fromkeys((_maths(m.spec), bool(m.gated)) for m in matches):
        same = [
            f"{e.library} {e.spelled}"
            for e in libraries.entries()
            if bool(e.gated) == gated and _maths(e.spec) == spec
        ]
        if not gated:
            same += [f"actcli {n}" for n in _catalog_names(spec)]
        out.append((spec, same))
    return out


def _catalog_names(spec: str) -> list[str]:
    """actcli's own names for a canonical spec: the name itself and the presets that fix it."""
    from actcli.catalog import registry
    from actcli.catalog.binding import parse_spec

    name = parse_spec(spec)[0]
    try:
        d = registry.lookup(name)
    except UnknownActivationError:
        return []
    names = [d.name] if _maths(d.name) == spec else []
    return names + [p.name for p in d.presets if _maths(p.name) == spec]


def _confusables(text: str, matches: list[Match]) -> list[Gap]:
    first = matches[0]
    gated = bool(first.gated)
    mine = _maths(first.spec)
    found: dict[str, tuple[str, str, str]] = {}  # maths -> (name, spec, why)

    def add(key: str, name: str, spec: str, why: str) -> None:
        if key != mine and key not in found:
            found[key] = (name, spec, why)

    for m in matches[1:]:
        add(_maths(m.spec), f"{m.library} {m.name}", m.spec, f"the same name in {m.title}")
    for e in libraries.variants(text):
        if bool(e.gated) == gated:
            add(_maths(e.spec), f"{e.library} {e.spelled}", e.spec, "another variant of the name")
    family = _family(_name_of(first.spec, _kin(first)))
    for e in libraries.entries():
        if bool(e.gated) == gated and _name_of(e.spec, e.kin) in family:
            add(_maths(e.spec), f"{e.library} {e.spelled}", e.spec, "its family")
    for name in sorted(family):
        add(_maths(name), f"actcli {name}", name, "its family")
    mine_act = _bind(first.spec, first.dialect)
    x = _grid()
    ref = np.asarray(mine_act(x), dtype=np.float64)
    gaps = [_gap(name, spec, why, x, ref) for name, spec, why in found.values()]
    order = {"the same name": 0, "another variant of the name": 1, "its family": 2}
    return sorted(gaps, key=lambda g: (order.get(g.why.split(" in ")[0], 0), g.max_abs))


def _kin(m: Match) -> str:
    for e in libraries.entries():
        if e.library == m.library and e.spelled == m.name:
            return e.kin
    return ""


def _family(name: str) -> frozenset[str]:
    out: frozenset[str] = frozenset({name}) if name else frozenset()
    for group in FAMILIES:
        if name in group:
            out |= group
    return out


@functools.cache
def _grid() -> np.ndarray:
    from actcli.inputs.every import every_value

    return np.concatenate(list(every_value(GAP_DTYPE, (-GRID, GRID))))


def _gap(name: str, spec: str, why: str, x: np.ndarray, ref: np.ndarray) -> Gap:
    other = np.asarray(_bind(spec)(x), dtype=np.float64)
    diff = np.abs(other - ref)
    worst = int(np.argmax(diff))
    narrow = _apart(ref, other, GAP_DTYPE)
    wide = _apart(ref, other, "float32")
    return Gap(
        name,
        spec,
        why,
        float(diff[worst]),
        float(x[worst]),
        *narrow,
        *wide,
    )


def _apart(ref: np.ndarray, other: np.ndarray, dtype: str) -> tuple[int, float]:
    """How many results differ once each is rounded to ``dtype`` (once, to nearest), and the
    most ULP apart, in ULP of the larger of the two: a tail where one rounds to 0 and the
    other to a subnormal counts as about 2^precision, not as a multiple of the smallest
    subnormal."""
    from actcli import dtypes

    a, b = dtypes.rounded(ref, dtype), dtypes.rounded(other, dtype)
    ulps = np.abs(b - a) / dtypes.ulp(np.maximum(np.abs(a), np.abs(b)), dtype)
    return int(np.count_nonzero(a != b)), float(np.max(ulps))
