"""actcli: evaluate, differentiate, plot and compare neural-network activation functions.

>>> import actcli
>>> gelu = actcli.get("gelu")
>>> float(gelu(1.0))
0.8413447460685429
>>> actcli.get("leaky_relu", dialect="keras").params["negative_slope"]
0.2
"""

from typing import Any

from actcli.catalog.binding import Activation, get
from actcli.catalog.registry import names
from actcli.errors import (
    ActcliError,
    DataError,
    InvalidParameterError,
    UnknownActivationError,
    UnknownDialectError,
    UsageError,
)

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """``actcli.check``: the check package, imported on first use (it calls itself:
    ``actcli.check("gelu", x, y)``); ``actcli.plot``: :func:`actcli.plot_api.plot`, which
    brings matplotlib in only when called."""
    if name == "check":
        import importlib

        return importlib.import_module("actcli.check")
    if name == "plot":
        from actcli.plot_api import plot

        return plot
    raise AttributeError(f"module 'actcli' has no attribute {name!r}")


__all__ = [
    "ActcliError",
    "Activation",
    "DataError",
    "InvalidParameterError",
    "UnknownActivationError",
    "UnknownDialectError",
    "UsageError",
    "__version__",
    "check",
    "get",
    "names",
    "plot",
]
