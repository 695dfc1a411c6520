"""The registry: every activation's record by name, and the decorators that put them there.

The family modules (:mod:`~actcli.catalog.rectifiers`, :mod:`~actcli.catalog.sigmoids`,
:mod:`~actcli.catalog.smooth`, :mod:`~actcli.catalog.vector`) declare each activation with
:func:`elementwise` or :func:`vector`, which build its :class:`~actcli.catalog.records.Definition`,
:func:`register` it and replace the function's docstring by the record's :func:`anatomy`. They
are imported on first use of :func:`definitions`.

Names are looked up case-insensitively with ``-`` and ``_`` ignored, aliases included; an unknown
name raises :class:`~actcli.errors.UnknownActivationError` with close matches (:func:`suggest`).
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from actcli.catalog.records import (
    Code,
    Constant,
    Definition,
    Kind,
    Kink,
    Limits,
    ParamValue,
    Preset,
    Range,
    SympyForm,
)
from actcli.errors import UnknownActivationError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from actcli.catalog.records import Param

    Array = NDArray[np.float64]

_REGISTRY: dict[str, Definition] = {}
_LOOKUP: dict[str, str] = {}  # normalised name or alias -> canonical name
_PRESETS: dict[str, Preset] = {}  # normalised preset name -> the preset (gelu_new)
_LOADED = False  # whether every family module has been imported


def _normalise(name: str) -> str:
    return name.strip().lower().replace("-", "").replace("_", "").replace(" ", "")


def register(definition: Definition) -> Definition:
    """Add a definition; its name, aliases and presets must not collide with existing ones."""
    presets = {_normalise(p.name): p for p in definition.presets}
    for p in definition.presets:
        for key in p.params:
            if definition.param(key) is None:
                raise ValueError(f"preset {p.name!r}: {definition.name} has no parameter {key!r}")
    for key in (definition.name, *definition.aliases, *(p.name for p in definition.presets)):
        norm = _normalise(key)
        if _LOOKUP.get(norm, definition.name) != definition.name:
            raise ValueError(f"{key!r} is already registered for {_LOOKUP[norm]!r}")
        _LOOKUP[norm] = definition.name
    _PRESETS.update(presets)
    _REGISTRY[definition.name] = definition
    return definition


def _load() -> None:
    """Import the family modules (they register on import)."""
    from actcli.catalog import rectifiers, sigmoids, smooth, vector  # noqa: F401


def definitions() -> dict[str, Definition]:
    """All definitions by canonical name (loads the catalog on first use)."""
    global _LOADED
    if not _LOADED:  # not "if not _REGISTRY": one family imported first fills it partly
        _load()
        _LOADED = True
    return _REGISTRY


def names() -> list[str]:
    """Canonical activation names, sorted."""
    return sorted(definitions())


def lookup(name: str) -> Definition:
    """The definition for a canonical name or alias; raises UnknownActivationError."""
    defs = definitions()
    canonical = _LOOKUP.get(_normalise(name))
    if canonical is None:
        raise UnknownActivationError(name, suggest(name))
    return defs[canonical]


def preset(name: str) -> Preset | None:
    """The preset a name stands for (``gelu_new``: gelu with approximate=tanh), or None for a
    canonical name or a plain alias."""
    definitions()
    return _PRESETS.get(_normalise(name))


def preset_params(name: str) -> dict[str, ParamValue]:
    """The parameter values a name fixes (empty for a canonical name or a plain alias)."""
    found = preset(name)
    return dict(found.params) if found else {}


def spellings() -> dict[str, str]:
    """Every name a user may type, as declared (canonical names, aliases, presets), mapped to
    its canonical name: what shell completion offers."""
    out: dict[str, str] = {}
    for d in definitions().values():
        for key in (d.name, *d.aliases, *(p.name for p in d.presets)):
            out.setdefault(key, d.name)
    return dict(sorted(out.items()))


def suggest(name: str, n: int = 3) -> list[str]:
    """Close matches among names and aliases, reported as canonical names."""
    definitions()
    hits = difflib.get_close_matches(_normalise(name), list(_LOOKUP), n=n * 2, cutoff=0.6)
    out: list[str] = []
    for hit in hits:
        canonical = _LOOKUP[hit]
        if canonical not in out:
            out.append(canonical)
    return out[:n]


# ---------------------------------------------------------------------------------- registration


def _call_names(code: Mapping[str, Code]) -> dict[str, str]:
    """What ``list`` shows per framework: the callee of the default form (``F.relu``)."""
    out = {}
    for framework, c in code.items():
        for form in (c.function, c.layer):
            text = form if isinstance(form, str) else next((t for _, t in form if t), "")
            if text:
                out[framework] = text.split("(")[0]
                break
    return out


# The line that starts a docstring's examples (the rest of the docstring, indented doctests).
EXAMPLES = "\nExamples:\n"

Decorator = Callable[[Callable[..., "Array"]], Callable[..., "Array"]]


if TYPE_CHECKING:
    from typing_extensions import NotRequired, TypedDict, Unpack  # typing's need 3.11

    class Described(TypedDict):
        """What every activation states, elementwise or vector (see :class:`Definition`)."""

        family: str
        formula: str
        latex: str
        derivative: str  # the derivative's formula, as text
        reference: str
        range: NotRequired[str]  # elementwise: generated from ``image``
        params: NotRequired[tuple[Param, ...]]
        aliases: NotRequired[tuple[str, ...]]
        presets: NotRequired[tuple[Preset, ...]]
        check: NotRequired[Callable[..., str | None]]
        code: NotRequired[Mapping[str, Code]]
        name: NotRequired[str]  # when the function's own name cannot be it (``lambda_``)


def _registering(kind: Kind, described: Described, **specific: Any) -> Decorator:
    """The decorator both ``elementwise`` and ``vector`` return: record, register, document.

    The function's docstring gives the one-line summary, optional notes and, after an
    ``Examples:`` line, doctest examples of the function itself; it is replaced by the full
    anatomy generated from the record, so ``help()`` on any activation reads the same way:
    summary, formula, parameters, kinks, range, reference, notes, examples. The examples are
    kept out of the notes (``info`` shows those), and run by tests/test_doctests.py.
    """
    fields: dict[str, Any] = {**described, **specific}
    fields["derivative_formula"] = fields.pop("derivative")
    name = fields.pop("name", None)
    uses = fields.pop("uses", "")
    fields["frameworks"] = _call_names(fields.get("code", {}))
    image = fields.get("image")
    if image is not None:  # the text is the declared range at the default parameters
        assert "range" not in fields, "an elementwise record declares its range as image="
        fields["range"] = image(**{p.name: p.default for p in fields.get("params", ())}).text

    def decorate(fn: Callable[..., Array]) -> Callable[..., Array]:
        text, _, examples = inspect.cleandoc(fn.__doc__ or "").partition(EXAMPLES)
        summary, _, notes = text.partition("\n")
        canonical = name or fn.__name__.rstrip("_")
        definition = Definition(
            name=canonical,
            kind=kind,
            fn=fn,
            summary=summary.strip(),
            uses=uses,
            notes="\n\n".join(filter(None, (notes.strip(), _presets_note(fields)))),
            examples=examples.strip("\n").rstrip(),
            **fields,
        )
        register(definition)
        fn.__doc__ = anatomy(definition)
        return fn

    return decorate


def _presets_note(fields: Mapping[str, Any]) -> str:
    """The notes' paragraph naming each preset and where its name comes from."""
    presets: tuple[Preset, ...] = fields.get("presets", ())
    return "\n\n".join(f"Also named {p.text}: {p.source}" for p in presets)


def elementwise(
    *,
    d1: Callable[..., Array],
    d2: Callable[..., Array],
    sympy: SympyForm,
    limits: Limits | Callable[..., Limits],
    image: Range | Callable[..., Range],
    uses: str,
    kinks: Callable[..., tuple[Kink, ...]] | None = None,
    constants: tuple[Constant, ...] = (),
    **described: Unpack[Described],
) -> Decorator:
    """Register the decorated value function as an elementwise activation.

    ``image`` is its range (a :class:`Range`, or a function of the parameters returning one);
    the record's range text is generated from it.
    """
    return _registering(
        "elementwise",
        described,
        d1=d1,
        d2=d2,
        sympy=sympy,
        limits=limits if callable(limits) else (lambda **_: limits),
        image=image if callable(image) else (lambda **_: image),
        uses=uses,
        kinks=kinks or (lambda **_: ()),
        constants=constants,
    )


# Where each vector activation is used, until its record says so itself (``uses=``): what the
# seed tutorial teaches about output layers (softmax for several classes) and more.


def vector(
    *, jacobian: Callable[..., Array], uses: str = "", **described: Unpack[Described]
) -> Decorator:
    """Register the decorated function as a vector activation (acting on the last axis)."""
    return _registering("vector", described, jacobian=jacobian, uses=uses)


def anatomy(d: Definition) -> str:
    """The docstring every activation shares: summary, formula, parameters, kinks, reference."""
    lines = [d.summary, "", f"Used in: {d.uses}", "", "Formula:", f"    {d.formula}"]
    lines.append(f"    {d.derivative_formula}")
    if d.params:
        lines += ["", "Parameters:"]
        for p in d.params:
            default = p.default if isinstance(p.default, str) else repr(p.default)
            extra = f" (one of {', '.join(p.choices)})" if p.choices else f" ({p.domain})"
            lines.append(f"    {p.name} = {default}: {p.doc}{extra}")
    if d.kind == "elementwise":
        defaults = {p.name: p.default for p in d.params}
        kinks = d.kinks(**defaults)
        lines += ["", "Kinks (default parameters):"]
        if not kinks:
            lines.append("    none: f′ and f″ are continuous")
        for k in kinks:
            lines.append(
                f"    x = {k.at:g}: {'f jumps; ' if k.jump else ''}f′ {k.left[0]:g} from the "
                f"left, {k.right[0]:g} from the right; f″ {k.left[1]:g} / {k.right[1]:g}; "
                f"convention: {k.rule}"
            )
    lines += ["", f"Range: {d.range}", "", "Reference:", f"    {d.reference}"]

    if d.notes:
        lines += ["", d.notes]
    if d.examples:
        lines += ["", EXAMPLES.strip(), d.examples]
    return "\n".join(lines)
