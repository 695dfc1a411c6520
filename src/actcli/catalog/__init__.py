"""The activation catalog: every activation's record, the registry of them, and binding.

``records`` holds the frozen records (Definition and its parts), ``registry`` the records by
name and the decorators that register them, ``binding`` the Activation a spec binds to
parameters and a dialect (``get``). The activations themselves live by family in
``rectifiers``, ``sigmoids``, ``smooth`` and ``vector``; ``dialects`` holds the frameworks'
defaults and kink conventions, ``framework_errors`` where the frameworks are inaccurate.
"""

from actcli.catalog.binding import Activation, get
from actcli.catalog.records import Definition, Kink, KinkPoint
from actcli.catalog.registry import lookup, names

__all__ = ["Activation", "Definition", "Kink", "KinkPoint", "get", "lookup", "names"]
