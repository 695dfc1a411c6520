"""Framework code for a bound activation: the records' call templates, filled in.

Each record's ``code`` maps a framework to its :class:`~actcli.catalog.records.Code`: a
function form (an expression computing ``y`` from ``x``), a layer form (the layer's constructor,
then applied to ``x``) and, for Keras, the name ``Dense(..., activation=...)`` accepts. Every
parameter is written out from the bound values, since the frameworks' defaults differ from one
another; where a framework cannot express a parameter the template's case for it gives the
working equivalent, with a comment saying why. The imports a snippet needs are read off the
names it uses, so a snippet never uses a module it does not import.

Every snippet ``info`` prints for the catalog is executed in its framework by
``tools/parity.py --snippets`` and compared with actcli (``tests/test_snippets.py``).
"""

from __future__ import annotations

import math
import re
from typing import Any

from actcli.catalog import dialects
from actcli.catalog.binding import Activation
from actcli.catalog.records import FRAMEWORKS, Code, ParamValue, Template

FORMS = ("function", "layer", "dense")

# (name as a snippet uses it, the import it needs), in the order the imports are printed.
_IMPORTS = (
    ("torch", "import torch"),
    ("F", "import torch.nn.functional as F"),
    ("keras", "import keras"),
    ("tf_keras", "import tf_keras"),
    ("tf", "import tensorflow as tf"),
    ("jax", "import jax"),
    ("jnp", "import jax.numpy as jnp"),
)
_DENSE = {"keras": "keras.layers.Dense", "keras2": "tf_keras.layers.Dense"}
# each name a snippet may use -> the module it stands for (``import a.b as c``: c -> a.b)
MODULES = {
    line.rpartition(" as ")[2] if " as " in line else line.split()[1]: line.split()[1]
    for _, line in _IMPORTS
}
_FIELD = re.compile(r"\{(\w+)(?:\|(\w+))?\}")


def literal(value: ParamValue, how: str = "") -> str:
    """A parameter value as Python source: ``0.2``, ``'tanh'``, ``float("inf")``.

    ``how``: ``bool`` (a choice other than "none" is True: gelu's approximate in keras, tf and
    jax), ``square`` (tf's l2_normalize floors Σx², not the norm), ``int`` (an integral value
    as an integer: keras's norm order), ``none`` (inf as None: keras's relu without a cap).
    """
    if how == "bool":
        return str(value != "none")
    if how == "none" and value == math.inf:
        return "None"
    if isinstance(value, str):
        return repr(value)
    number = float(value) ** 2 if how == "square" else float(value)
    if math.isinf(number):
        return 'float("inf")' if number > 0 else '-float("inf")'
    if how == "int" and number.is_integer():
        return str(int(number))
    return repr(number)


def _holds(condition: str, params: dict[str, ParamValue]) -> bool:
    for item in filter(None, (c.strip() for c in condition.split(","))):
        key, _, text = item.partition("=")
        value = params[key]
        if isinstance(value, str):
            if value != text:
                return False
        else:
            num, _, den = text.partition("/")
            if value != (float(num) / float(den) if den else float(num)):
                return False
    return True


def fill(template: Template, params: dict[str, ParamValue]) -> str:
    """The template's text for these parameters ("" when the form does not exist for them)."""
    if not isinstance(template, str):
        template = next((text for cond, text in template if _holds(cond, params)), "")
    return _FIELD.sub(lambda m: literal(params[m.group(1)], m.group(2) or ""), template)


def names_used(code: str) -> list[str]:
    """The module names of :data:`MODULES` that ``code`` uses (``F.gelu(x)``: ``F``)."""
    used = set(re.findall(r"(?<![\w.])(\w+)\.", code))
    return [name for name in MODULES if name in used]


def snippet(framework: str, form: str, code: str) -> str:
    """The runnable text of one form: its imports (read off the names it uses), the template's
    comment, then ``y = ...`` (function), ``layer = ...; y = layer(x)`` or ``layer = Dense(...)``."""
    body, _, comment = code.partition("  # ")
    if form == "function":
        lines = [f"y = {body}"]
    elif form == "layer":
        lines = [f"layer = {body}", "y = layer(x)"]
    else:
        lines = [f'layer = {_DENSE[framework]}(64, activation="{body}")']
    imports = dict(_IMPORTS)
    head = [imports[name] for name in names_used("\n".join(lines))]
    notes = [f"# {note}" for note in comment.split("; ")] if comment else []
    return "\n".join([*head, *notes, *lines])


def _layer_defaults(act: Activation, code: Code, framework: str) -> dict[str, dict[str, Any]]:
    return {
        key: {
            "layer": value,
            "function": dialects.default(framework, act.name, key, _default(act, key)),
        }
        for key, value in code.layer_defaults.items()
    }


def _default(act: Activation, key: str) -> ParamValue:
    p = act.definition.param(key)
    assert p is not None, f"{act.name}: layer_defaults names no parameter {key!r}"
    return p.default


def frameworks(act: Activation) -> dict[str, dict[str, Any]]:
    """Per framework (the activation's dialect first), each form's snippet, and the layer's
    defaults where they differ from the function's."""
    order = sorted(act.definition.code, key=lambda f: (f != act.dialect, FRAMEWORKS.index(f)))
    params = dict(act.params)
    out: dict[str, dict[str, Any]] = {}
    for framework in order:
        code = act.definition.code[framework]
        forms: dict[str, Any] = {}
        for form in FORMS:
            text = fill(getattr(code, form), params)
            if text:
                forms[form] = snippet(framework, form, text)
        if forms and "layer" in forms and code.layer_defaults:
            forms["layer_defaults"] = _layer_defaults(act, code, framework)
        if forms:
            out[framework] = forms
    return out
