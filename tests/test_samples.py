"""sample_outputs/ is what `python tools/samples.py` makes: text byte for byte, figures valid."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "sample_outputs"
_spec = importlib.util.spec_from_file_location("samples", ROOT.parent / "tools" / "samples.py")
assert _spec is not None and _spec.loader is not None
samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(samples)


@pytest.mark.slow
def test_text_samples_regenerate_byte_for_byte(tmp_path):
    samples.generate(tmp_path, only_text=True)
    for name, _ in samples.SAMPLES:
        if name.endswith(samples.FIGURES):
            continue
        assert (tmp_path / name).read_bytes() == (ROOT / name).read_bytes(), name
    assert (tmp_path / "README.md").read_text() == (ROOT / "README.md").read_text()


def test_figure_samples_are_valid():
    for name, _ in samples.SAMPLES:
        if not name.endswith(samples.FIGURES):
            continue
        data = (ROOT / name).read_bytes()
        assert len(data) > 5_000, name  # a compressed PDF of three curves is under 10 kB
        if name.endswith(".png"):
            assert data[:8] == b"\x89PNG\r\n\x1a\n", name
        elif name.endswith(".svg"):
            assert data.startswith(b"<?xml") and b"<svg" in data, name
        else:
            assert data.startswith(b"%PDF-") and b"/FontFile2" in data, name  # TrueType
