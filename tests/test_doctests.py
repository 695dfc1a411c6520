"""Every example in a docstring of the package runs: the public API's, the registry's and each
activation's (an activation's docstring is its anatomy, with the examples of its notes)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import actcli

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(actcli.__path__, "actcli.")
    if info.name != "actcli.__main__"  # running it would start the command line
)


def test_the_catalog_has_examples():
    examples = sum(
        len(t.examples)
        for name in MODULES
        if name.startswith("actcli.catalog")
        for t in doctest.DocTestFinder().find(importlib.import_module(name))
    )
    assert examples >= 4


@pytest.mark.slow
@pytest.mark.parametrize("name", ["actcli", *MODULES])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_every_activation_has_an_example_kept_out_of_its_notes():
    # the examples run with the module's doctests (above); ``info`` shows the notes, not them
    from actcli.catalog.registry import definitions

    for d in definitions().values():
        assert ">>>" in d.examples, d.name
        assert ">>>" not in d.notes and "Examples:" not in d.notes, d.name
        assert (d.fn.__doc__ or "").rstrip().endswith(d.examples.rstrip()), d.name
