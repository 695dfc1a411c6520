#!/usr/bin/env python3
"""Write tests/data/parity/snippets_input.json: every snippet ``info`` prints, with inputs and
actcli's values, for ``tools/parity.py --snippets`` to execute in the frameworks.

Run in actcli's own environment (the recorder never imports actcli)::

    python tools/snippet_inputs.py
    ../parity-venv/bin/python tools/parity.py --snippets

The specs are every catalog activation that has framework code, at its defaults and at the
non-default parameters in ``NON_DEFAULT`` (at least one per parameterised activation), each
bound in every dialect (a dialect's defaults change the values written out). Identical snippet
texts are recorded once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

import actcli
from actcli import snippets
from actcli.catalog import dialects
from actcli.catalog.registry import definitions

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "parity" / "snippets_input.json"

NON_DEFAULT = (
    "silu:beta=2",
    "softplus:beta=2",
    "softplus:threshold=20",
    "softplus:beta=2,threshold=20",
    "hard_sigmoid:slope=0.2",
    "hard_tanh:min_val=-2,max_val=2",
    "softmax:temperature=2",
    "softmax:inf_policy=limit",
    "log_softmax:temperature=2",
    "softmin:temperature=2",
    "squareplus:b=2",
    "hard_shrink:lambd=0.3",
    "soft_shrink:lambd=1",
    "normalize:p=1",
    "normalize:p=3",
    "normalize:eps=1e-7",
    "standardize:epsilon=0.1",
    "relu:negative_slope=0.1",
    "relu:max_value=6",
    "relu:max_value=2.5",
    "relu:threshold=1",
    "relu:negative_slope=0.1,threshold=1",
    "relu:negative_slope=0.1,max_value=6",
    "relu:max_value=2.5,threshold=1",
    "relu:negative_slope=0.1,max_value=6,threshold=1",
    "relu:negative_slope=0.1,max_value=1,threshold=2.5",
    "leaky_relu:negative_slope=0.1",
    "leaky_relu:negative_slope=0.2",
    "leaky_relu:negative_slope=0.3",
    "elu:alpha=0.5",
    "celu:alpha=2",
    "gelu:approximate=tanh",
    "gelu:approximate=none",
    "prelu:weight=0.1",
    "rrelu:lower=0.1,upper=0.3",
    "step:value=0.5",
    "step:threshold=1",
    "threshold:threshold=0.5,value=-1",
    "threshold:threshold=1",
)

# One row of x for elementwise snippets (kinks of every spec above, tails, tiny magnitudes).
ELEMENTWISE = sorted(
    {float(v) for v in np.linspace(-8.0, 8.0, 65)}
    | {-25.0, -12.0, -0.3, -1e-3, 1e-3, 0.3, 11.0, 12.0, 25.0}
)
# Rows for vector snippets (length 4, even for glu); the tiny row meets normalize's eps floor.
VECTOR = [
    [1.0, 2.0, 3.0, 4.0],
    [-1.0, 0.5, 2.0, -3.0],
    [1000.0, 0.0, -1000.0, 3.0],
    [0.0, 0.0, 0.0, 0.0],
    [3e-8, -2e-8, 1e-8, 0.0],
    [-40.0, 40.0, 1e-300, 7.0],
]


def specs() -> list[str]:
    """Every default spec with code, then the non-default ones."""
    return [n for n, d in sorted(definitions().items()) if d.code] + list(NON_DEFAULT)


def snippet_table() -> list[dict[str, Any]]:
    """(framework, form, text) -> the bindings that print it and actcli's values."""
    inputs = {"elementwise": np.array([ELEMENTWISE]), "vector": np.array(VECTOR)}
    table: dict[tuple[str, str, str], dict[str, Any]] = {}
    for spec in specs():
        for dialect in dialects.DIALECTS:
            act = actcli.get(spec, dialect=dialect)
            expected = np.asarray(act(inputs[act.kind])).tolist()
            for framework, forms in snippets.frameworks(act).items():
                for form in snippets.FORMS:
                    if form not in forms:
                        continue
                    key = (framework, form, forms[form])
                    entry = table.setdefault(
                        key,
                        {
                            "framework": framework,
                            "form": form,
                            "kind": act.kind,
                            "text": forms[form],
                            "expected": expected,
                            "printed_for": [],
                        },
                    )
                    assert np.allclose(entry["expected"], expected, rtol=1e-15, atol=0), key
                    entry["printed_for"].append(f"{spec} --dialect {dialect}")
    return list(table.values())


def write(doc: dict[str, Any], path: Path) -> None:
    """JSON with one snippet per line (readable diffs); the other keys one per line."""
    items = doc.pop("snippets")
    lines = [json.dumps(item, allow_nan=False, ensure_ascii=False) for item in items]
    head = json.dumps(doc, indent=1, allow_nan=False, ensure_ascii=False)[:-2]
    path.write_text(head + ',\n "snippets": [\n' + ",\n".join(lines) + "\n ]\n}\n", "utf-8")
    doc["snippets"] = items


def main() -> int:
    doc = {
        "generated_by": "tools/snippet_inputs.py",
        "actcli": actcli.__version__,
        "inputs": {"elementwise": [ELEMENTWISE], "vector": VECTOR},
        "specs": specs(),
        "snippets": snippet_table(),
    }
    write(doc, OUT)
    print(f"{len(doc['snippets'])} snippets -> {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
