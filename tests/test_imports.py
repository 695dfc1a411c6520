"""Start-up stays light: importing actcli or evaluating relu pulls in no heavy library."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("scipy", "matplotlib", "rich", "sympy", "polars", "typer")


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_import_actcli_is_light():
    assert not _loaded_after("import actcli") & set(HEAVY)


def test_the_common_activations_need_no_scipy():
    calls = "; ".join(f"actcli.get('{n}')([1.0])" for n in ("relu", "sigmoid", "gelu", "silu"))
    assert not _loaded_after(f"import actcli; {calls}") & set(HEAVY)


@pytest.mark.slow
def test_the_catalog_needs_no_scipy():
    # erf, erfc and the rest come from actcli's own kernels (the same bytes on every CPU)
    assert "scipy" not in _loaded_after("import actcli; actcli.get('serf')([1.0])")
    assert "scipy" not in _loaded_after("import actcli; actcli.get('gelu').derivative([1.0], 2)")
