"""The input contract: VALUES, ``--range``, ``--all``, ``--input FILE`` and standard input,
turned into blocks of float64 that the commands consume as they come.

| module | holds |
|---|---|
| :mod:`~actcli.inputs.request` | :class:`Request` and :func:`blocks`: which input, and its blocks |
| :mod:`~actcli.inputs.numbers` | one token to a float (:func:`parse_number`, :func:`parse_values`) |
| :mod:`~actcli.inputs.ranges` | a range's decimal grid (:func:`grid`, :func:`grid_blocks`) |
| :mod:`~actcli.inputs.every` | ``--all``: every value of a float type (:func:`every_value`) |
| :mod:`~actcli.inputs.npfiles` | ``.npy`` / ``.npz`` (:func:`load_numpy`) |
| :mod:`~actcli.inputs.xy` | x,y pairs for ``check`` (:func:`pair_blocks`, :data:`PairBlocks`) |
| :mod:`~actcli.inputs.layout` | a text stream's layout and header, binary files refused |
| :mod:`~actcli.inputs.text` | :class:`Reader`: text a block at a time, bad lines named |
| :mod:`~actcli.inputs.fast` | large text blocks through polars |
| :mod:`~actcli.inputs.streams` | standard input, OS errors, :func:`read_ahead` threads |
| :mod:`~actcli.inputs.spool` | rows read once (text, stdin), kept on disk for ``check``'s later passes |
"""

from __future__ import annotations

from actcli.inputs.every import every_count, every_value
from actcli.inputs.npfiles import NUMPY_SUFFIXES, load_numpy
from actcli.inputs.numbers import is_number, out_of_range, parse_number, parse_values
from actcli.inputs.ranges import MAX_STEPS, finite_span, grid, grid_blocks
from actcli.inputs.request import Request, blocks, every_pieces
from actcli.inputs.streams import read_ahead, standard_input
from actcli.inputs.text import Reader
from actcli.inputs.xy import PAIR_BLOCK, PairBlocks, in_blocks, pair_blocks, pairs

__all__ = [
    "MAX_STEPS",
    "NUMPY_SUFFIXES",
    "PAIR_BLOCK",
    "PairBlocks",
    "Reader",
    "Request",
    "blocks",
    "every_count",
    "every_pieces",
    "every_value",
    "finite_span",
    "grid",
    "grid_blocks",
    "in_blocks",
    "is_number",
    "load_numpy",
    "out_of_range",
    "pair_blocks",
    "pairs",
    "parse_number",
    "parse_values",
    "read_ahead",
    "standard_input",
]
