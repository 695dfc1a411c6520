"""Figures are real files: written by matplotlib, checked as PNG/SVG/PDF, reproducible."""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

import actcli
from actcli import curves, plotting


def png_pixels(path: Path) -> np.ndarray:
    """Decode an 8-bit RGBA/RGB PNG (what Agg writes) into an (h, w, c) array."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    idat = b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IDAT":
            idat += body
        else:
            chunks[kind] = body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8
    channels = {2: 3, 6: 4}[colour]
    raw = zlib.decompress(idat)
    stride = width * channels
    out = np.zeros((height, stride), dtype=np.int32)
    prev = np.zeros(stride, dtype=np.int32)
    for r in range(height):
        line = raw[r * (stride + 1) : (r + 1) * (stride + 1)]
        ftype, row = line[0], np.frombuffer(line[1:], dtype=np.uint8).astype(np.int32)
        cur = row.copy()
        if ftype == 1:
            for i in range(channels, stride):
                cur[i] = (cur[i] + cur[i - channels]) & 255
        elif ftype == 2:
            cur = (row + prev) & 255
        elif ftype == 3:
            for i in range(stride):
                left = cur[i - channels] if i >= channels else 0
                cur[i] = (row[i] + (left + prev[i]) // 2) & 255
        elif ftype == 4:
            for i in range(stride):
                a = cur[i - channels] if i >= channels else 0
                b, c = prev[i], (prev[i - channels] if i >= channels else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[i] = (row[i] + pred) & 255
        out[r] = cur
        prev = cur
    return out.reshape(height, width, channels)


def relu_figure(tmp_path: Path, name: str = "relu.png", **kw: object) -> Path:
    x = curves.grid(-5, 5, 501)
    panel = plotting.Panel(curves.curves(actcli.get("relu"), x, 1, []), x)
    fig = plotting.figure([panel], title="relu", look=plotting.Look(**kw))  # type: ignore[arg-type]
    path = tmp_path / name
    plotting.save(fig, path, {"title": "relu", "command": "test"})
    return path


def test_png_has_the_size_and_the_curve(tmp_path):
    path = relu_figure(tmp_path, size=(4.0, 3.0), dpi=100)
    pixels = png_pixels(path)
    assert pixels.shape[:2] == (300, 400)
    # the relu line (Okabe-Ito blue, 0072B2) is drawn: many pixels of that colour
    blue = (
        (np.abs(pixels[..., 0] - 0x00) < 40)
        & (np.abs(pixels[..., 1] - 0x72) < 40)
        & (np.abs(pixels[..., 2] - 0xB2) < 40)
    )
    assert blue.sum() > 300
    # and it rises to the right: blue pixels in the right half sit higher than in the left
    rows, cols = np.nonzero(blue)
    assert rows[cols > 250].mean() < rows[cols < 150].mean()


@pytest.mark.slow
def test_same_figure_same_bytes(tmp_path):
    for suffix in (".png", ".svg", ".pdf"):
        a = relu_figure(tmp_path, "a" + suffix).read_bytes()
        b = relu_figure(tmp_path, "b" + suffix).read_bytes()
        assert a == b, suffix


def test_svg_and_pdf_are_valid(tmp_path):
    svg = relu_figure(tmp_path, "f.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<svg" in svg and "relu" in svg
    pdf = relu_figure(tmp_path, "f.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


def test_provenance_metadata_in_png(tmp_path):
    data = relu_figure(tmp_path).read_bytes()
    assert b"tEXtTitle\x00relu" in data
    assert b"command: test" in data


def test_bad_suffix_and_missing_directory(tmp_path):
    with pytest.raises(actcli.UsageError, match=r"suffix must be one of \.png, \.svg, \.pdf"):
        plotting.check_output(tmp_path / "f.jpg")
    with pytest.raises(actcli.DataError, match="no directory"):
        plotting.check_output(tmp_path / "missing" / "f.png")


def test_no_pyplot_in_file_mode(tmp_path):
    relu_figure(tmp_path)
    assert "matplotlib.pyplot" not in sys.modules


def test_jumps_are_cut_and_marked():
    x = curves.grid(-1, 1, 5)
    (f, df) = curves.curves(actcli.get("relu"), x, 1, [])
    assert len(f.pieces) == 1  # relu itself is continuous
    assert [p.x.tolist() for p in df.pieces] == [[-1.0, -0.5, 0.0], [0.0, 0.5, 1.0]]
    assert df.pieces[0].y[-1] == 0.0 and df.pieces[1].y[0] == 1.0
    assert df.filled == [(0.0, 0.0)] and df.hollow == [(0.0, 1.0)]
    (jax_df,) = curves.curves(actcli.get("leaky_relu", dialect="jax"), x, 1, [])[1:]
    assert jax_df.filled == [(0.0, 1.0)] and jax_df.hollow == [(0.0, 0.01)]
    (step,) = curves.curves(actcli.get("step"), x, 0, [])
    assert len(step.pieces) == 2 and step.filled == [(0.0, 1.0)] and step.hollow == [(0.0, 0.0)]


def test_vector_activations_along_one_input():
    x = curves.grid(-2, 2, 5)
    soft = curves.curves(actcli.get("softmax"), x, 1, [0.0])
    assert [c.label for c in soft] == [
        "softmax([x, 0])₀",
        "∂softmax([x, 0])₀/∂x",
        "softmax([x, 0])₁",
        "∂softmax([x, 0])₁/∂x",
    ]
    np.testing.assert_allclose(soft[0].y, 1 / (1 + np.exp(-x)))
    (glu,) = curves.curves(actcli.get("glu"), x, 0, [])
    np.testing.assert_allclose(glu.y, 1 / (1 + np.exp(-x)))  # glu([1, x]) = σ(x)
    (reglu,) = curves.curves(actcli.get("reglu"), x, 0, [])
    np.testing.assert_array_equal(reglu.y, np.maximum(x, 0))  # reglu([x, 1]) = relu(x)


def test_y_limits_are_not_squashed_by_an_unbounded_curve():
    x = curves.grid(-10, 10, 201)
    cs = curves.curves(actcli.get("exponential"), x, 0, []) + curves.curves(
        actcli.get("sigmoid"), x, 0, []
    )
    lo, hi = curves.y_limits(cs, x)
    assert hi < 100  # e^10 = 22026 would flatten the sigmoid
    assert lo <= 0


def test_mathtext_fallback():
    assert plotting.mathtext_or_none(r"\max(x, 0)") == r"$\max(x, 0)$"
    assert plotting.mathtext_or_none(r"\begin{cases} x \end{cases}") is None


def test_every_catalog_formula_is_mathtext_or_piecewise():
    from matplotlib.mathtext import MathTextParser

    from actcli.catalog.registry import definitions

    parser = MathTextParser("path")
    for d in definitions().values():
        text = plotting.mathtext_or_none(d.latex)
        if text is not None:
            parser.parse(text)  # raises if mathtext cannot draw it


@pytest.mark.slow
def test_past_seven_activations_colours_repeat_with_markers_and_black_is_ink(tmp_path):
    x = curves.grid(-3, 3, 61)
    names = ["relu", "gelu", "silu", "mish", "elu", "selu", "celu", "softplus", "sigmoid", "tanh"]
    panel = plotting.Panel([c for n in names for c in curves.curves(actcli.get(n), x, 0, [])], x)
    for style, ink in (("light", "#000000"), ("dark", "#ffffff")):
        fig = plotting.figure([panel], look=plotting.Look(style=style))
        lines = [line for line in fig.axes[0].get_lines() if line.get_label() in names]
        styles = {line.get_label(): (line.get_color(), line.get_marker()) for line in lines}
        assert styles["celu"] == (ink, "None")  # the 7th: black on light, white on dark
        assert styles["softplus"] == (styles["relu"][0], "s")  # the 8th: relu's colour, marked
        assert len(set(styles.values())) == len(names)
        plotting.save(fig, tmp_path / f"{style}.png", {})
        assert png_pixels(tmp_path / f"{style}.png").shape[2] in (3, 4)
