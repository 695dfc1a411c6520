#!/usr/bin/env python3
"""Record framework parity data: PyTorch and JAX activations on a fixed float64 grid.

This script is NOT part of actcli and does not import it. torch and jax are never runtime or CI
dependencies of actcli (DESIGN.md §2, §5): the outputs of this script are committed as golden
data in ``tests/data/parity/<framework>.json`` and ``tests/test_parity.py`` compares actcli's
dialects with them.

How to run (from the repository root), in a throw-away virtualenv outside the repository::

    python3 -m venv /tmp/parity-venv
    /tmp/parity-venv/bin/pip install torch==2.13.0 jax jaxlib numpy   # CPU builds
    /tmp/parity-venv/bin/python tools/parity.py                  # writes every available one
    /tmp/parity-venv/bin/python tools/parity.py --framework jax  # or only one

(On the project's machines ``pip install torch==2.13.0`` takes a CPU wheel from local disk; plain
``torch`` would pull a multi-GB CUDA build.) A framework that is not installed is skipped with a
message; its existing JSON file is left untouched.

What is recorded, in float64 (JAX with ``jax_enable_x64``), on the CPU:

* ``grid``: a sorted, de-duplicated set of about 330 points: linspace(-40, 40, 161),
  linspace(-10, 10, 161) (the region where cancellation traps live), the kink points
  -6, -3, -2.5, -1, -0.5, 0, 0.5, 1, 2.5, 3, 6 and the softplus switch points ±10, ±20 (βx = 20
  for β = 2 and 1), each with both ``nextafter`` neighbours, and ±1e-300, ±1e-12, ±1e-8, ±1e-6,
  ±1e-4, ±1e-2, ±50, ±100, ±700, ±710, ±1000.
* ``elementwise[spec]``: the framework's value ``y`` and its reverse-mode autodiff first
  derivative ``dy`` (torch: ``autograd.grad(y.sum(), x)``; jax: ``vmap(grad(f))``). ``dy`` is
  ``null`` with a ``dy_error`` message where the framework has no derivative (torch.heaviside).
* ``vector[spec]``: a few fixed input vectors, with value and full Jacobian
  (torch: ``torch.autograd.functional.jacobian``; jax: ``jax.jacfwd``), shape (n_out, n).

``spec`` is actcli's spec syntax: ``name`` or ``name:key=value,...`` with actcli's canonical
names and parameter names; ``call`` is the exact framework expression evaluated.

Floats are written with ``repr`` (they round-trip exactly); non-finite values are written as the
strings "nan", "inf" and "-inf"; -0.0 is kept as -0.0.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import platform
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

OUT_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "parity"

KINK_POINTS = (-6.0, -3.0, -2.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5, 3.0, 6.0)
SWITCH_POINTS = (-20.0, -10.0, 10.0, 20.0)  # torch softplus threshold 20 on βx, β = 1 and 2
MAGNITUDES = (1e-300, 1e-12, 1e-8, 1e-6, 1e-4, 1e-2, 50.0, 100.0, 700.0, 710.0, 1000.0)

VECTOR_CASES = (
    [1.0, 2.0, 3.0],
    [1000.0, 0.0, -1000.0],
    [0.0, 0.0, 0.0, 0.0],
    [-1.0, 0.5, 2.0, -3.0],
    [5.0],
    [1e-300, -1e-300, 40.0, -40.0],
)
# glu halves its input: only even lengths.
GLU_CASES = (
    [0.0, 0.0, 0.0, 0.0],
    [-1.0, 0.5, 2.0, -3.0],
    [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    [1000.0, -1000.0, -800.0, 800.0],
    [2.0, -3.0],
)
STANDARDIZE_CASES = (
    [1.0, 2.0, 3.0],
    [1000.0, 0.0, -1000.0],
    [0.0, 0.0, 0.0, 0.0],
    [-1.0, 0.5, 2.0, -3.0],
    [5.0],
)


def make_grid() -> list[float]:
    pts: list[float] = []
    pts += np.linspace(-40.0, 40.0, 161).tolist()
    pts += np.linspace(-10.0, 10.0, 161).tolist()
    for k in KINK_POINTS + SWITCH_POINTS:
        pts += [k, math.nextafter(k, -math.inf), math.nextafter(k, math.inf)]
    for m in MAGNITUDES:
        pts += [m, -m]
    # x + 0.0 turns -0.0 into 0.0, so the set keeps a single zero.
    return sorted({float(p) + 0.0 for p in pts})


def encode(value: Any) -> Any:
    """Floats -> repr-exact JSON numbers; non-finite -> "nan" / "inf" / "-inf"."""
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return encode(value.tolist())
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    return value


# --------------------------------------------------------------------------------------------
# PyTorch


def torch_specs() -> tuple[str, dict[str, Any], list[tuple], list[tuple]]:
    import torch
    import torch.nn.functional as F

    torch.set_default_dtype(torch.float64)
    t = torch.tensor
    f64 = torch.float64

    elementwise: list[tuple[str, str, Callable]] = [
        (
            "step",
            "torch.heaviside(x, torch.tensor(1.0))",
            lambda x: torch.heaviside(x, t(1.0, dtype=f64)),
        ),
        ("identity", "torch.nn.Identity()(x)", lambda x: torch.nn.Identity()(x)),
        ("relu", "torch.nn.functional.relu(x)", F.relu),
        ("relu6", "torch.nn.functional.relu6(x)", F.relu6),
        ("leaky_relu", "torch.nn.functional.leaky_relu(x)", F.leaky_relu),
        (
            "leaky_relu:negative_slope=0.2",
            "torch.nn.functional.leaky_relu(x, negative_slope=0.2)",
            lambda x: F.leaky_relu(x, negative_slope=0.2),
        ),
        (
            "prelu",
            "torch.nn.functional.prelu(x, torch.tensor([0.25]))",
            lambda x: F.prelu(x, t([0.25], dtype=f64)),
        ),
        (
            "rrelu",
            "torch.nn.functional.rrelu(x, training=False)",
            lambda x: F.rrelu(x, training=False),
        ),
        (
            "threshold:threshold=0,value=0",
            "torch.nn.functional.threshold(x, 0.0, 0.0)",
            lambda x: F.threshold(x, 0.0, 0.0),
        ),
        (
            "threshold:threshold=0.5,value=-1",
            "torch.nn.functional.threshold(x, 0.5, -1.0)",
            lambda x: F.threshold(x, 0.5, -1.0),
        ),
        ("hard_tanh", "torch.nn.functional.hardtanh(x)", F.hardtanh),
        (
            "hard_tanh:min_val=-0.5,max_val=2.5",
            "torch.nn.functional.hardtanh(x, min_val=-0.5, max_val=2.5)",
            lambda x: F.hardtanh(x, min_val=-0.5, max_val=2.5),
        ),
        ("hard_sigmoid", "torch.nn.functional.hardsigmoid(x)", F.hardsigmoid),
        ("hard_silu", "torch.nn.functional.hardswish(x)", F.hardswish),
        ("hard_shrink", "torch.nn.functional.hardshrink(x)", F.hardshrink),
        (
            "hard_shrink:lambd=1",
            "torch.nn.functional.hardshrink(x, lambd=1.0)",
            lambda x: F.hardshrink(x, lambd=1.0),
        ),
        ("soft_shrink", "torch.nn.functional.softshrink(x)", F.softshrink),
        (
            "soft_shrink:lambd=1",
            "torch.nn.functional.softshrink(x, lambd=1.0)",
            lambda x: F.softshrink(x, lambd=1.0),
        ),
        ("tanh_shrink", "torch.nn.functional.tanhshrink(x)", F.tanhshrink),
        ("sigmoid", "torch.sigmoid(x)", torch.sigmoid),
        ("log_sigmoid", "torch.nn.functional.logsigmoid(x)", F.logsigmoid),
        ("tanh", "torch.tanh(x)", torch.tanh),
        ("softsign", "torch.nn.functional.softsign(x)", F.softsign),
        ("softplus:threshold=20", "torch.nn.functional.softplus(x)", F.softplus),
        (
            "softplus:beta=2,threshold=20",
            "torch.nn.functional.softplus(x, beta=2.0)",
            lambda x: F.softplus(x, beta=2.0),
        ),
        ("silu", "torch.nn.functional.silu(x)", F.silu),
        ("mish", "torch.nn.functional.mish(x)", F.mish),
        ("gelu", "torch.nn.functional.gelu(x)", F.gelu),
        (
            "gelu:approximate=tanh",
            "torch.nn.functional.gelu(x, approximate='tanh')",
            lambda x: F.gelu(x, approximate="tanh"),
        ),
        ("elu", "torch.nn.functional.elu(x)", F.elu),
        ("elu:alpha=0.5", "torch.nn.functional.elu(x, alpha=0.5)", lambda x: F.elu(x, alpha=0.5)),
        ("selu", "torch.nn.functional.selu(x)", F.selu),
        ("celu", "torch.nn.functional.celu(x)", F.celu),
        ("celu:alpha=2", "torch.nn.functional.celu(x, alpha=2.0)", lambda x: F.celu(x, alpha=2.0)),
        ("exponential", "torch.exp(x)", torch.exp),
    ]
    vector: list[tuple[str, str, Callable, tuple]] = [
        (
            "softmax",
            "torch.nn.functional.softmax(x, dim=-1)",
            lambda x: F.softmax(x, dim=-1),
            VECTOR_CASES,
        ),
        (
            "log_softmax",
            "torch.nn.functional.log_softmax(x, dim=-1)",
            lambda x: F.log_softmax(x, dim=-1),
            VECTOR_CASES,
        ),
        (
            "softmin",
            "torch.nn.functional.softmin(x, dim=-1)",
            lambda x: F.softmin(x, dim=-1),
            VECTOR_CASES,
        ),
        ("glu", "torch.nn.functional.glu(x, dim=-1)", lambda x: F.glu(x, dim=-1), GLU_CASES),
    ]
    meta = {
        "version": torch.__version__.split("+")[0],
        "version_full": torch.__version__,
        "device": "cpu",
        "notes": {
            "derivative": "reverse mode: torch.autograd.grad(f(x).sum(), x)",
            "jacobian": "torch.autograd.functional.jacobian(f, x)",
            "softplus": "torch's default threshold 20 (x returned when beta*x > 20) is recorded "
            "under spec softplus:threshold=20; actcli's own default threshold is inf",
            "threshold": "torch requires threshold and value; both are explicit in the spec",
        },
    }
    return "torch", meta, elementwise, vector


def torch_eval(elementwise: list[tuple], vector: list[tuple], grid: list[float]) -> dict:
    import torch

    out_e: dict[str, Any] = {}
    for spec, call, fn in elementwise:
        x = torch.tensor(grid, dtype=torch.float64, requires_grad=True)
        y = fn(x)
        entry: dict[str, Any] = {"call": call, "y": y.detach().numpy()}
        try:
            (dy,) = torch.autograd.grad(y.sum(), x)
            entry["dy"] = dy.numpy()
        except RuntimeError as exc:  # torch.heaviside has no derivative
            entry["dy"] = None
            entry["dy_error"] = str(exc).splitlines()[0]
        out_e[spec] = entry
    out_v: dict[str, Any] = {}
    for spec, call, fn, cases in vector:
        rows = []
        for case in cases:
            x = torch.tensor(case, dtype=torch.float64)
            y = fn(x)
            jac = torch.autograd.functional.jacobian(fn, x)
            rows.append({"x": list(case), "y": y.numpy(), "jacobian": jac.numpy()})
        out_v[spec] = {"call": call, "cases": rows}
    return {"elementwise": out_e, "vector": out_v}


# --------------------------------------------------------------------------------------------
# JAX


def jax_specs() -> tuple[str, dict[str, Any], list[tuple], list[tuple]]:
    import jax

    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platforms", "cpu")
    import jax.nn as nn
    import jax.numpy as jnp

    elementwise: list[tuple[str, str, Callable]] = [
        ("step", "jax.numpy.heaviside(x, 1.0)", lambda x: jnp.heaviside(x, 1.0)),
        ("identity", "jax.nn.identity(x)", nn.identity),
        ("relu", "jax.nn.relu(x)", nn.relu),
        ("relu6", "jax.nn.relu6(x)", nn.relu6),
        ("leaky_relu", "jax.nn.leaky_relu(x)", nn.leaky_relu),
        (
            "leaky_relu:negative_slope=0.2",
            "jax.nn.leaky_relu(x, negative_slope=0.2)",
            lambda x: nn.leaky_relu(x, negative_slope=0.2),
        ),
        ("hard_tanh", "jax.nn.hard_tanh(x)", nn.hard_tanh),
        ("hard_sigmoid", "jax.nn.hard_sigmoid(x)", nn.hard_sigmoid),
        ("hard_silu", "jax.nn.hard_silu(x)", nn.hard_silu),
        ("sigmoid", "jax.nn.sigmoid(x)", nn.sigmoid),
        ("log_sigmoid", "jax.nn.log_sigmoid(x)", nn.log_sigmoid),
        ("tanh", "jax.numpy.tanh(x)", jnp.tanh),
        ("softsign", "jax.nn.soft_sign(x)", nn.soft_sign),
        ("softplus", "jax.nn.softplus(x)", nn.softplus),
        ("squareplus", "jax.nn.squareplus(x)", nn.squareplus),
        ("squareplus:b=1", "jax.nn.squareplus(x, b=1.0)", lambda x: nn.squareplus(x, b=1.0)),
        ("sparse_plus", "jax.nn.sparse_plus(x)", nn.sparse_plus),
        ("sparse_sigmoid", "jax.nn.sparse_sigmoid(x)", nn.sparse_sigmoid),
        ("silu", "jax.nn.silu(x)", nn.silu),
        ("mish", "jax.nn.mish(x)", nn.mish),
        (
            "gelu:approximate=none",
            "jax.nn.gelu(x, approximate=False)",
            lambda x: nn.gelu(x, approximate=False),
        ),
        ("gelu:approximate=tanh", "jax.nn.gelu(x)  # approximate=True is jax's default", nn.gelu),
        ("elu", "jax.nn.elu(x)", nn.elu),
        ("elu:alpha=0.5", "jax.nn.elu(x, alpha=0.5)", lambda x: nn.elu(x, alpha=0.5)),
        ("selu", "jax.nn.selu(x)", nn.selu),
        ("celu", "jax.nn.celu(x)", nn.celu),
        ("celu:alpha=2", "jax.nn.celu(x, alpha=2.0)", lambda x: nn.celu(x, alpha=2.0)),
        ("exponential", "jax.numpy.exp(x)", jnp.exp),
    ]
    if hasattr(nn, "quick_gelu"):  # not in jax 0.10.x; recorded if a later jax adds it
        elementwise.append(("quick_gelu", "jax.nn.quick_gelu(x)", nn.quick_gelu))

    vector: list[tuple[str, str, Callable, tuple]] = [
        ("softmax", "jax.nn.softmax(x, axis=-1)", lambda x: nn.softmax(x, axis=-1), VECTOR_CASES),
        (
            "log_softmax",
            "jax.nn.log_softmax(x, axis=-1)",
            lambda x: nn.log_softmax(x, axis=-1),
            VECTOR_CASES,
        ),
        ("glu", "jax.nn.glu(x, axis=-1)", lambda x: nn.glu(x, axis=-1), GLU_CASES),
        (
            "standardize",
            "jax.nn.standardize(x, axis=-1, epsilon=1e-5)  # algorithm='fast'",
            lambda x: nn.standardize(x, axis=-1, epsilon=1e-5),
            STANDARDIZE_CASES,
        ),
    ]
    meta = {
        "version": jax.__version__,
        "jaxlib_version": _jaxlib_version(),
        "device": str(jax.devices()[0].platform),
        "config": {
            "jax_enable_x64": True,
            "jax_softmax_custom_jvp": bool(jax.config.jax_softmax_custom_jvp),
        },
        "notes": {
            "derivative": "reverse mode: jax.vmap(jax.grad(f))(x), eager (no outer jit)",
            "jacobian": "jax.jacfwd(f)(x)",
            "gelu": "jax's default approximate=True is recorded under gelu:approximate=tanh, "
            "approximate=False (erfc form) under gelu:approximate=none: both explicit, "
            "since actcli's jax dialect defaults gelu to tanh",
            "standardize": "jax.nn.standardize default algorithm='fast' (variance E[x^2]-E[x]^2, "
            "clipped at 0; cancels when |mean| >> std, catalog §4b.12); on the recorded cases "
            "'fast' and 'stable' agree to 1 ulp",
            "subnormals": "XLA on the CPU treats subnormal inputs as zero (denormals-are-zero): "
            "at x = ±5e-324 jax takes its x = 0 branch",
            "quick_gelu": "absent from jax.nn in this version, not recorded"
            if not hasattr(nn, "quick_gelu")
            else "recorded",
        },
    }
    return "jax", meta, elementwise, vector


def _jaxlib_version() -> str:
    try:
        import jaxlib

        return str(jaxlib.__version__)
    except (ImportError, AttributeError):
        return "unknown"


def jax_eval(elementwise: list[tuple], vector: list[tuple], grid: list[float]) -> dict:
    import jax
    import jax.numpy as jnp

    xg = jnp.asarray(np.asarray(grid, dtype=np.float64))
    assert xg.dtype == jnp.float64, "jax_enable_x64 did not take effect"
    out_e: dict[str, Any] = {}
    for spec, call, fn in elementwise:
        y = np.asarray(fn(xg), dtype=np.float64)
        dy = np.asarray(jax.vmap(jax.grad(fn))(xg), dtype=np.float64)
        out_e[spec] = {"call": call, "y": y, "dy": dy}
    out_v: dict[str, Any] = {}
    for spec, call, fn, cases in vector:
        rows = []
        for case in cases:
            x = jnp.asarray(np.asarray(case, dtype=np.float64))
            y = np.asarray(fn(x), dtype=np.float64)
            jac = np.asarray(jax.jacfwd(fn)(x), dtype=np.float64)
            rows.append({"x": list(case), "y": y, "jacobian": jac})
        out_v[spec] = {"call": call, "cases": rows}
    return {"elementwise": out_e, "vector": out_v}


# --------------------------------------------------------------------------------------------

FRAMEWORKS = {
    "torch": ("torch", torch_specs, torch_eval),
    "jax": ("jax", jax_specs, jax_eval),
}


def dump(doc: dict[str, Any], path: Path) -> None:
    """JSON with one array per line: readable diffs, modest size, exact floats."""
    arrays: list[Any] = []

    def stash(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: stash(v) for k, v in node.items()}
        if isinstance(node, list) and not any(isinstance(v, dict) for v in _flatten(node)):
            arrays.append(node)
            return f"@@ARRAY{len(arrays) - 1}@@"
        if isinstance(node, list):
            return [stash(v) for v in node]
        return node

    text = json.dumps(stash(doc), indent=1, allow_nan=False)
    for i, arr in enumerate(arrays):
        text = text.replace(f'"@@ARRAY{i}@@"', json.dumps(arr, allow_nan=False), 1)
    # Self-check: exact round trip.
    assert json.loads(text) == json.loads(json.dumps(doc, allow_nan=False))
    path.write_text(text + "\n", encoding="utf-8")


def _flatten(node: Any) -> list[Any]:
    if isinstance(node, list):
        return [w for v in node for w in _flatten(v)]
    return [node]


def run(name: str, grid: list[float]) -> Path | None:
    module, specs, evaluate = FRAMEWORKS[name]
    if importlib.util.find_spec(module) is None:
        print(f"{name}: not installed, skipped", file=sys.stderr)
        return None
    fw, meta, elementwise, vector = specs()
    data = evaluate(elementwise, vector, grid)
    doc: dict[str, Any] = {
        "framework": fw,
        "version": meta.pop("version"),
        "generated_by": "tools/parity.py",
        **meta,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
        "kink_points": list(KINK_POINTS),
        "grid": grid,
        "elementwise": data["elementwise"],
        "vector": data["vector"],
    }
    doc = encode(doc)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{fw}.json"
    dump(doc, path)
    print(
        f"{fw} {doc['version']}: {len(data['elementwise'])} elementwise, "
        f"{len(data['vector'])} vector specs, {len(grid)} grid points -> {path} "
        f"({path.stat().st_size / 1e6:.2f} MB)",
        file=sys.stderr,
    )
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--framework",
        choices=sorted(FRAMEWORKS),
        action="append",
        help="only this framework (repeatable); default: every installed one",
    )
    args = ap.parse_args(argv)
    grid = make_grid()
    written = [run(name, grid) for name in (args.framework or list(FRAMEWORKS))]
    if not any(written):
        print("no framework installed: nothing written", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
