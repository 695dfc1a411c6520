"""The activation catalog: a registry of definitions, grouped by family, plus framework dialects."""

from actcli.catalog.binding import Activation, get
from actcli.catalog.records import Definition, Kink, KinkPoint
from actcli.catalog.registry import lookup, names

__all__ = ["Activation", "Definition", "Kink", "KinkPoint", "get", "lookup", "names"]
