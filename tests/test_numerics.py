"""The error-free primitives in numerics, checked exactly with fractions."""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from actcli import numerics as nx

moderate = st.floats(min_value=-1e100, max_value=1e100, allow_nan=False, allow_infinity=False)


@given(moderate, moderate)
def test_two_prod_is_exact(a, b):
    p, e = nx.two_prod(np.array([a]), np.array([b]))
    product = Fraction(a) * Fraction(b)
    if abs(product) > Fraction(2.0**-960):  # within the normal range of the error term
        assert Fraction(float(p[0])) + Fraction(float(e[0])) == product


@given(moderate, moderate)
def test_two_sum_is_exact(a, b):
    s, e = nx.two_sum(np.array([a]), np.array([b]))
    assert Fraction(float(s[0])) + Fraction(float(e[0])) == Fraction(a) + Fraction(b)


@given(st.floats(min_value=-1e150, max_value=1e150, allow_nan=False))
def test_two_square_is_exact(a):
    p, e = nx.two_square(np.array([a]))
    if abs(a) > 1e-140:  # below, the error term a²·2⁻⁵³ is subnormal and cannot be exact
        assert Fraction(float(p[0])) + Fraction(float(e[0])) == Fraction(a) ** 2


def test_sigmoid_keeps_relative_accuracy_into_the_subnormal_range():
    s, sm = nx.sigmoid_pair(np.array([-710.0, 710.0, 0.0]))
    assert s[0] == math.exp(-710.0) / (1 + math.exp(-710.0))
    assert s[1] == 1.0
    assert s[2] == sm[2] == 0.5


def test_exp_mul_avoids_the_intermediate_underflow():
    got = nx.exp_mul(np.array([-720.0]), 1e10)[0]
    assert got > 1e-303
    with mpmath.workprec(200):  # one rounding: e^(−720) and 1e10 multiplied exactly
        assert abs(mpmath.mpf(float(got)) - mpmath.exp(-720) * 1e10) <= 0.502 * math.ulp(got)


def test_dd_constants():
    hi, lo = nx.dd_from_decimal("1.702")
    assert Fraction(hi) + Fraction(lo) - Fraction("1.702") < Fraction(1, 10**32)
    hi, lo = nx._dd_rational(1, 6)
    assert abs(Fraction(hi) + Fraction(lo) - Fraction(1, 6)) < Fraction(1, 10**32)


def test_sin_dd_matches_a_long_series():
    theta = np.array([-1.05, 0.3, 1.9])
    sh, sl = nx.sin_dd(theta, np.zeros(3))
    for t, h, lo in zip(theta, sh, sl, strict=True):
        x = Fraction(float(t))
        series = sum((-1) ** k * x ** (2 * k + 1) / math.factorial(2 * k + 1) for k in range(30))
        assert abs(Fraction(float(h)) + Fraction(float(lo)) - series) < Fraction(1, 10**27)


def test_mills_ratio_joins_its_pieces_smoothly():
    x = np.array([-3.0, np.nextafter(-3.0, 0), -7.0, np.nextafter(-7.0, 0), 0.0])
    hi, lo = nx.mills(x)
    p = hi + lo
    assert p[-1] == 0.5
    np.testing.assert_allclose(p[0], p[1], rtol=1e-15)
    np.testing.assert_allclose(p[2], p[3], rtol=1e-15)


def test_std_normal_cdf():
    x = np.array([-40.0, -10.0, 0.0, 10.0])
    phi = nx.std_normal_cdf(x)
    assert phi[2] == 0.5
    assert phi[3] == 1.0
    np.testing.assert_allclose(phi[1], 7.619853024160527e-24, rtol=4e-16)
    assert 0 <= phi[0] < 1e-300
