"""``train``: a tiny network trained with each activation, and what happened to it.

- :mod:`~actcli.train.network`: the numpy network trained with the activation's own f and f′;
  :func:`train` (the entry point), :class:`Settings`, :func:`estimate`.
- :mod:`~actcli.train.datasets`: the toy data sets, generated from documented formulas.
- :mod:`~actcli.train.report`: the result objects; :meth:`Report.table` and
  :meth:`Report.document` are what ``--format table/csv/tsv`` and ``--format json`` print.
- :mod:`~actcli.train.figure`: the figure of ``-o FILE`` (matplotlib, imported when drawing).
- :mod:`~actcli.train.terminal`: the ``--terminal`` view, as text.

>>> import actcli
>>> from actcli import train
>>> report = train.train([actcli.get("relu")], train.Settings(epochs=20, samples=100))
>>> report.table().columns
['quantity', 'relu']
>>> report.document()["runs"][0]["epochs_run"]
20
"""

from actcli.train.datasets import NAMES as DATA_SETS
from actcli.train.datasets import Dataset
from actcli.train.network import (
    MAX_EPOCHS,
    MAX_HIDDEN,
    MAX_LAYERS,
    OPTIMIZERS,
    OUTPUTS,
    Network,
    Settings,
    estimate,
    train,
)
from actcli.train.report import TABLE_DIGITS, TARGET, History, Report, Run

__all__ = [
    "DATA_SETS",
    "MAX_EPOCHS",
    "MAX_HIDDEN",
    "MAX_LAYERS",
    "OPTIMIZERS",
    "OUTPUTS",
    "TABLE_DIGITS",
    "TARGET",
    "Dataset",
    "History",
    "Network",
    "Report",
    "Run",
    "Settings",
    "estimate",
    "train",
]
