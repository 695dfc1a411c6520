"""dtypes: the float types' facts against numpy's and ml_dtypes' own, and the shortest
spelling, exhaustively for the 16-bit types."""

from __future__ import annotations

import math

import ml_dtypes
import numpy as np
import pytest

from actcli import dtypes
from actcli.errors import UsageError


@pytest.mark.parametrize("name", dtypes.NAMES)
def test_the_facts_are_the_libraries(name):
    t = dtypes.lookup(name)
    info = ml_dtypes.finfo(t.numpy)
    assert t.numpy.itemsize * 8 == t.width
    assert t.precision == info.nmant + 1
    assert t.smallest_normal == float(info.smallest_normal)
    assert t.smallest_subnormal == float(info.smallest_subnormal)
    assert t.largest == float(info.max)
    assert t.epsilon == float(info.eps)
    assert (t.emin, t.emax) == (info.minexp, info.maxexp - 1)
    assert t.narrow == (name != "float64")
    with np.errstate(over="ignore", invalid="ignore"):
        beyond = np.array([t.overflow_threshold * 1.01]).astype(t.numpy).astype(np.float64)[0]
    assert np.isnan(beyond) if t.overflow == "nan" else np.isinf(beyond) or name == "float64"
    minus_zero = np.array(-0.0).astype(t.numpy).astype(np.float64)
    assert bool(np.signbit(minus_zero)) == t.negative_zero


def test_the_command_line_knows_every_type():
    from actcli.cli.options import Dtype

    assert [d.value for d in Dtype] == list(dtypes.NAMES)


def test_an_unknown_type_is_a_usage_error_naming_the_choices():
    with pytest.raises(UsageError, match=r"float64, float32, .*, float8_e5m2fnuz, got 'float8'"):
        dtypes.lookup("float8")


WIDE = [name for name in dtypes.NAMES if dtypes.lookup(name).width >= 16]


@pytest.mark.parametrize("name", WIDE)
def test_ulp_is_the_spacing_above_each_value(name):
    t = dtypes.lookup(name)
    values = dtypes.rounded([0.0, -0.0, 1.0, -1.5, 3.0, 1e-40, 1e-300, 1e-5, 100.0, 6e4], name)
    up = dtypes.round_to(values, name)
    with np.errstate(over="ignore"):
        following = np.nextafter(np.abs(up), np.array(np.inf, dtype=t.numpy)).astype(np.float64)
    expected = following - np.abs(values)
    assert dtypes.ulp(values, name).tolist() == expected.tolist()


@pytest.mark.parametrize("name", [n for n in dtypes.NARROW if n in WIDE])
def test_bits_round_trip(name):
    values = np.array([0.0, -0.0, 1.0, -2.5, np.inf, -np.inf])
    bits = dtypes.to_bits(values, name)
    assert bits.dtype == dtypes.lookup(name).unsigned
    back = dtypes.from_bits(bits, name).astype(np.float64)
    assert back.tolist() == values.tolist()
    assert [math.copysign(1, v) for v in back] == [math.copysign(1, v) for v in values]


def _shortest_holds(texts: list[str], values: np.ndarray, name: str) -> None:
    """Each text reads back as its value in ``name``, and one digit fewer never does."""
    kind = dtypes.lookup(name).numpy
    finite = np.isfinite(values.astype(np.float64))
    with np.errstate(over="ignore"):
        back = np.array([float(s) for s in texts]).astype(kind)
    assert np.array_equal(back[finite], values[finite])
    for text, value in zip(np.array(texts)[finite], values[finite], strict=True):
        digits = len(text.lstrip("-").split("e")[0].replace(".", "").strip("0")) or 1
        if digits > 1:
            shorter = f"{float(value):.{digits - 1}g}"
            with np.errstate(over="ignore"):
                assert np.array(float(shorter)).astype(kind) != value, (text, shorter)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["float16", "bfloat16"])
def test_every_16_bit_value_is_spelled_shortest(name):
    t = dtypes.lookup(name)
    values = np.arange(1 << 16, dtype=np.uint32).astype(t.unsigned).view(t.numpy)
    with np.errstate(invalid="ignore"):  # (the signalling nans)
        texts = dtypes.spell_column(values)
        _shortest_holds(texts, values, name)
    assert texts[0] == "0.0" and texts[1 << 15] == "-0.0"
    assert dtypes.spell(values[1], name) == texts[1]


def test_spellings_people_know():
    assert dtypes.spell(np.float32(0.1)) == "0.1"
    assert dtypes.spell(0.1, "bfloat16") == "0.1"  # (its value is 0.10009765625)
    assert dtypes.spell(3.14159, "bfloat16") == "3.14"
    assert dtypes.spell(1e-7, "float32") == "1e-7"
    assert dtypes.spell(2.5e-5, "float32") == "0.000025"
    assert dtypes.spell(65504.0, "float16") == "65500.0"
    assert dtypes.spell(float("-inf"), "float16") == "-inf"
    assert dtypes.spell(0.1, "float32", precision=3) == "0.1"
    assert dtypes.spell(1 / 3) == "0.3333333333333333"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["float32", "float64"])
def test_a_column_is_spelled_as_each_value_is(name):
    t = dtypes.lookup(name)
    rng = np.random.default_rng(11)
    values = rng.integers(0, 2**t.width, 60_000, dtype=np.uint64).astype(t.unsigned).view(t.numpy)
    edges = dtypes.round_to([7.630131e-6, 8.1860996e14, 1e-5, 1e13, 1e16, 2.5e-5, 1e-45], name)
    values = np.concatenate([edges, values])
    with np.errstate(invalid="ignore"):  # (random bits hold signalling nans)
        texts = dtypes.spell_column(values)
        assert texts == [dtypes.spell(v) for v in values]
        _shortest_holds(texts, values, name)


@pytest.mark.parametrize("name", dtypes.FLOAT8)
def test_float8_every_value_and_its_spelling(name):
    from actcli import inputs

    t = dtypes.lookup(name)
    values = np.concatenate(list(inputs.every_value(name)))
    patterns = np.arange(256, dtype=np.uint8).view(t.numpy).astype(np.float64)
    finite = np.unique(patterns[np.isfinite(patterns)])
    assert np.array_equal(np.unique(values), finite)  # every finite value, once
    assert inputs.every_count(name) == values.size == len(values)
    assert np.all(np.diff(values) >= 0)  # ascending
    assert (np.signbit(values) & (values == 0)).any() == t.negative_zero
    texts = dtypes.spell_column(dtypes.round_to(values, name))
    _shortest_holds(texts, dtypes.round_to(values, name), name)
    assert values.max() == t.largest


@pytest.mark.parametrize("name", dtypes.FLOAT8)
def test_float8_ulp_is_the_spacing_above_each_value(name):
    t = dtypes.lookup(name)
    values = np.array([0.0, 1.0, 3.0, -1.5, t.smallest_subnormal, t.smallest_normal, t.largest / 2])
    up = dtypes.round_to(values, name)
    top = np.array(t.largest, dtype=t.numpy)  # (towards inf: the types without one have nan)
    following = np.array([np.nextafter(abs(v), top) for v in up])
    expected = following.astype(np.float64) - np.abs(values)
    assert dtypes.ulp(values, name).tolist() == expected.tolist()


def test_float8_overflow_is_the_types():
    assert np.isnan(dtypes.rounded([500.0], "float8_e4m3fn")[0])  # no inf: nan
    assert dtypes.rounded([460.0], "float8_e4m3fn")[0] == 448.0  # below 464, half an ULP up
    assert dtypes.rounded([1e6], "float8_e5m2")[0] == np.inf
    assert dtypes.lookup("float8_e4m3fn").overflow_threshold == 464.0
