"""The activation catalog: a registry of definitions, grouped by family, plus framework dialects."""

from actcli.catalog.registry import Activation, Definition, Kink, KinkPoint, get, lookup, names

__all__ = ["Activation", "Definition", "Kink", "KinkPoint", "get", "lookup", "names"]
