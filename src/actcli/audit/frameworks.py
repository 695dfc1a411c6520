"""The frameworks ``audit`` drives: how each is named, imported and installed, what it calls
each activation, how its tensors are made and read, and how its autodiff is asked for f′.

The table of calls is the catalog's own: each record's ``code=`` spells the activation in each
framework (``F.gelu(x, approximate='none')``, ``jax.nn.gelu(x, approximate=True)``), and
:mod:`actcli.snippets` fills in the parameters as the framework's dialect binds them, so the
framework's defaults are the ones the catalog recorded from it (``tests/data/parity``), and
``tools/parity.py --snippets`` has run every one of these calls in its framework. The
reference is the same activation in the same dialect, so kink conventions match.

Nothing here imports a framework at module level: :func:`load` does, when asked.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from actcli.errors import UsageError

if TYPE_CHECKING:
    from actcli.catalog.binding import Activation

Kernel = Callable[[Any], Any]  # a framework's tensor in, its tensor out

DTYPES = ("bfloat16", "float16", "float32")  # what the frameworks compute in, narrowest first


@dataclass(frozen=True)
class Tolerance:
    """The tolerance a framework documents for testing its own results: ``name`` its test,
    ``rtol_atol`` per dtype; a row meets it when |y − ref| ≤ atol + rtol·|ref| (nan matching
    nan, as check counts errors)."""

    name: str
    rtol_atol: Mapping[str, tuple[float, float]]


# Each read from the framework's source, with the version and file:
TOLERANCES: Mapping[str, Tolerance] = {
    # torch 2.13.0, torch/testing/_comparison.py, _DTYPE_PRECISIONS (lines 83-91), the defaults
    # of torch.testing.assert_close (its docstring prints the same table)
    "torch": Tolerance(
        "torch.testing.assert_close defaults",
        {"bfloat16": (1.6e-2, 1e-5), "float16": (1e-3, 1e-5), "float32": (1.3e-6, 1e-5)},
    ),
    # jax 0.10.2, jax/_src/public_test_util.py, _default_tolerance (lines 46-76), rtol = atol =
    # that value in jax.test_util's check_jvp/check_vjp (via check_close; it also multiplies
    # both by the array's size, which would pass anything over 65,536 rows: not done here)
    "jax": Tolerance(
        "jax.test_util default tolerance",
        {"bfloat16": (1e-2, 1e-2), "float16": (1e-3, 1e-3), "float32": (1e-6, 1e-6)},
    ),
    # tensorflow 2.21.0, tensorflow/python/framework/test_util.py, the defaults of
    # tf.test.TestCase.assertAllCloseAccordingToType (lines 3386-3397); Keras on TensorFlow
    # and tf_keras are audited by the same
    "tensorflow": Tolerance(
        "tf.test.TestCase.assertAllCloseAccordingToType defaults",
        {"bfloat16": (1e-2, 1e-2), "float16": (1e-3, 1e-3), "float32": (1e-6, 1e-6)},
    ),
}


# Where actcli's default departs on purpose from the framework's function, the framework's:
# audit drives the framework as its users call it. torch 2.13.0's F.softplus is
# softplus(input, beta=1, threshold=20) (its docstring; torch.nn.Softplus.__init__ the same),
# recorded in tests/data/parity/torch.json as spec softplus:threshold=20; actcli's is inf.
CALL_DEFAULTS: Mapping[str, Mapping[str, Mapping[str, object]]] = {
    "torch": {"softplus": {"threshold": 20.0}},
}


@dataclass(frozen=True)
class Framework:
    """One framework: ``name`` is its actcli dialect (the key of the records' ``code``),
    ``module`` what is imported to use it, ``install`` how to get it."""

    name: str
    title: str
    module: str
    install: str


FRAMEWORKS: Mapping[str, Framework] = {
    "torch": Framework("torch", "PyTorch", "torch", "pip install torch"),
    "jax": Framework("jax", "JAX", "jax", "pip install jax"),
    "tf": Framework("tf", "TensorFlow", "tensorflow", "pip install tensorflow"),
    "keras": Framework("keras", "Keras", "keras", "pip install keras tensorflow"),
    "keras2": Framework("keras2", "tf_keras", "tf_keras", "pip install tf_keras"),
}
_ALIASES = {"pytorch": "torch", "tensorflow": "tf", "keras3": "keras", "tf_keras": "keras2"}


def lookup(name: str) -> Framework:
    """The framework called ``name`` (or an alias: pytorch, tensorflow, keras3, tf_keras)."""
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    if key not in FRAMEWORKS:
        known = ", ".join(["torch", "jax", "tensorflow", "keras", "keras2"])
        raise UsageError(f"unknown framework {name!r} (frameworks: {known})")
    return FRAMEWORKS[key]


def bind(spec: str, framework: Framework) -> Activation:
    """The activation ``spec`` in the framework's dialect, at the framework's defaults
    (:data:`CALL_DEFAULTS`) where the spec does not set them."""
    import actcli
    from actcli.catalog.binding import parse_spec
    from actcli.catalog.registry import lookup as definition

    name, _ = parse_spec(spec)
    try:
        canonical = definition(name).name
    except UsageError:  # not in the catalog (a formula): actcli.get says what it is
        canonical = name
    defaults = CALL_DEFAULTS.get(framework.name, {}).get(canonical, {})
    return actcli.get(spec, dialect=framework.name, **defaults)


def call(act: Activation, framework: Framework) -> str:
    """The framework's expression for ``act`` with its parameters (in x), "" when it has none."""
    from actcli import snippets

    code = act.definition.code.get(framework.name)
    if code is None or act.kind != "elementwise":
        return ""
    text = snippets.fill(code.function, dict(act.params))
    return text.partition("  # ")[0].strip()  # (the template's comment says why, for readers)


def table(framework: Framework) -> dict[str, str]:
    """Every elementwise activation the framework has a function for, at its defaults:
    actcli name -> the framework's call (the default NAME list of ``audit``)."""
    import actcli

    calls = {name: call(bind(name, framework), framework) for name in actcli.names()}
    return {name: text for name, text in calls.items() if text}


class KernelError(Exception):
    """The framework raised while computing (no derivative defined, a dtype it refuses)."""


class Backend:
    """A framework's tensors and autodiff: x (float64 holding values of ``dtype``) in, the
    kernel's values or elementwise derivative (float64, exact) out."""

    name = ""  # the key of TOLERANCES: torch, jax, tensorflow
    version = ""

    @property
    def tolerance(self) -> Tolerance:
        """The framework's documented tolerance (Keras: its backend's)."""
        return TOLERANCES[self.name]

    def devices(self) -> list[str]:
        return ["cpu"]

    def evaluate(
        self, kernel: Kernel, x: np.ndarray, dtype: str, device: str, order: int
    ) -> np.ndarray:
        raise NotImplementedError


class Torch(Backend):
    """torch.nn.functional on CPU, and CUDA when a GPU is present; f′ by torch.autograd.grad
    with a cotangent of ones (the elementwise derivative)."""

    def __init__(self, torch: Any) -> None:
        self.torch, self.name, self.version = torch, "torch", str(torch.__version__)

    def devices(self) -> list[str]:
        return ["cpu", "cuda"] if self.torch.cuda.is_available() else ["cpu"]

    def evaluate(
        self, kernel: Kernel, x: np.ndarray, dtype: str, device: str, order: int
    ) -> np.ndarray:
        torch = self.torch
        # every bfloat16 and float16 value is a float32 one: the casts are exact
        t = torch.from_numpy(x.astype(np.float32)).to(device=device, dtype=getattr(torch, dtype))
        if order == 0:
            with torch.no_grad():
                y = kernel(t)
        else:
            t.requires_grad_(True)
            out = kernel(t)
            (y,) = torch.autograd.grad(out, t, torch.ones_like(out))
        return np.asarray(y.detach().to(device="cpu", dtype=torch.float32).numpy(), np.float64)


class Jax(Backend):
    """jax.nn on JAX's default device; f′ by jax.vjp with a cotangent of ones."""

    def __init__(self, jax: Any) -> None:
        jnp = importlib.import_module("jax.numpy")
        self.jax, self.jnp, self.name, self.version = jax, jnp, "jax", str(jax.__version__)

    def devices(self) -> list[str]:
        return [str(self.jax.default_backend())]

    def evaluate(
        self, kernel: Kernel, x: np.ndarray, dtype: str, device: str, order: int
    ) -> np.ndarray:
        jnp = self.jnp
        t = jnp.asarray(x.astype(np.float32), dtype=getattr(jnp, dtype))
        if order == 0:
            y = kernel(t)
        else:
            out, pull = self.jax.vjp(kernel, t)
            (y,) = pull(jnp.ones_like(out))
        return np.asarray(y.astype(jnp.float32), dtype=np.float64)


class TensorFlow(Backend):
    """tf (and Keras on TensorFlow) where TensorFlow places ops; f′ by tf.GradientTape with
    output gradients of ones."""

    def __init__(self, tf: Any) -> None:
        self.tf, self.name, self.version = tf, "tensorflow", str(tf.__version__)

    def devices(self) -> list[str]:
        return ["gpu" if self.tf.config.list_physical_devices("GPU") else "cpu"]

    def evaluate(
        self, kernel: Kernel, x: np.ndarray, dtype: str, device: str, order: int
    ) -> np.ndarray:
        tf = self.tf
        t = tf.cast(tf.constant(x.astype(np.float32)), getattr(tf, dtype))
        if order == 0:
            y = kernel(t)
        else:
            with tf.GradientTape() as tape:
                tape.watch(t)
                out = kernel(t)
            y = tape.gradient(out, t, output_gradients=tf.ones_like(out))
            if y is None:
                raise KernelError("no gradient: the output does not depend on x through autodiff")
        return np.asarray(tf.cast(y, tf.float32).numpy(), dtype=np.float64)


def load(framework: Framework) -> tuple[Backend, str]:
    """The framework's backend and its version (Keras: with its backend's); a missing
    framework is a UsageError saying what to install."""
    module = _import(framework, framework.module)
    version = str(getattr(module, "__version__", "?"))
    if framework.name == "torch":
        return Torch(module), version
    if framework.name == "jax":
        return Jax(module), version
    if framework.name == "keras":  # Keras 3 runs on its backend's tensors and autodiff
        backend_name = str(module.backend.backend())
        backend = _backend(framework, backend_name)
        return backend, f"{version} ({backend_name} {backend.version})"
    backend = _backend(framework, "tensorflow")
    return (
        backend,
        version if framework.name == "tf" else f"{version} (tensorflow {backend.version})",
    )


def _backend(framework: Framework, name: str) -> Backend:
    kinds: dict[str, type[Backend]] = {"tensorflow": TensorFlow, "jax": Jax, "torch": Torch}
    if name not in kinds:
        raise UsageError(f"audit {framework.name}: its backend {name!r} is not one audit drives")
    return kinds[name](_import(framework, name))  # type: ignore[call-arg]


def _import(framework: Framework, module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise UsageError(
            f"audit {framework.name} needs {framework.title} ({module} does not import: {exc}); "
            f"install it: {framework.install}"
        ) from None


def kernel(expression: str, framework: Framework) -> Kernel:
    """The framework's function for ``expression`` (a :func:`call`), its names (``F``,
    ``jnp``, …) bound to the framework's modules; UsageError when the installed version lacks
    a function it calls (``F.mish`` before torch 1.9)."""
    from actcli import snippets

    namespace: dict[str, Any] = {}
    for name in snippets.names_used(expression):
        namespace[name] = _import(framework, snippets.MODULES[name])
    for dotted in _attributes(expression):
        root, *path = dotted.split(".")
        target = namespace.get(root)
        for part in path:
            target = getattr(target, part, None)
        if target is None:
            raise UsageError(f"{framework.title} here has no {dotted} (called as {expression})")
    # the expression is the catalog's template with the parameters, checked by binding, filled
    # in as Python literals (snippets.literal): no text from the command line reaches it
    fn: Kernel = eval(f"lambda x: {expression}", namespace)
    return fn


def _attributes(expression: str) -> list[str]:
    """The dotted names the expression looks up on modules: ``torch.nn.functional.gelu``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(expression, mode="eval")):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            parts: list[str] = []
            at: ast.expr = node.func
            while isinstance(at, ast.Attribute):
                parts.append(at.attr)
                at = at.value
            if isinstance(at, ast.Name) and at.id != "x":
                found.append(".".join([at.id, *reversed(parts)]))
    return found
