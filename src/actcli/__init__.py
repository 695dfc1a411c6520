"""actcli: evaluate, differentiate, plot and compare neural-network activation functions.

>>> import actcli
>>> gelu = actcli.get("gelu")
>>> float(gelu(1.0))
0.8413447460685429
>>> actcli.get("leaky_relu", dialect="keras").params["negative_slope"]
0.2
"""

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

__all__ = [
    "ActcliError",
    "Activation",
    "DataError",
    "InvalidParameterError",
    "UnknownActivationError",
    "UnknownDialectError",
    "UsageError",
    "__version__",
    "get",
    "names",
]
