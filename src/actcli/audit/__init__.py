"""audit: a framework's own kernels over every bfloat16/float16 input and a float32 band,
values and autodiff derivatives, checked against actcli's reference: one report card.

:func:`audit` is the entry (``actcli.audit.audit("torch", ["gelu"], derivative=True)``). Its
modules:

- :mod:`~actcli.audit.frameworks`: the frameworks, their calls (the catalog's), tensors,
  autodiff and documented tolerance; imports a framework only when asked
- :mod:`~actcli.audit.run`: the cells, each one ``check`` of the framework's outputs
- :mod:`~actcli.audit.card`: :class:`AuditCard`: its table, text and JSON document
"""

from __future__ import annotations

from actcli.audit.card import AuditCard, Cell
from actcli.audit.run import audit

__all__ = ["AuditCard", "Cell", "audit"]
