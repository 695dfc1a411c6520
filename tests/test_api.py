"""The Python API contract: shapes, dtypes, derivatives, Jacobians, dialects, hostile inputs."""

from __future__ import annotations

import math

import ml_dtypes
import numpy as np
import pytest

import actcli

ELEMENTWISE = [n for n in actcli.names() if actcli.get(n).kind == "elementwise"]
VECTOR = [n for n in actcli.names() if actcli.get(n).kind == "vector"]
EXTREMES = np.array(
    [-np.inf, -1.7976931348623157e308, -1e300, -1e154, -1e6, -745.2, -710.0, -40.0, -1.0,
     -5e-324, -1e-300, -0.0, 0.0, 1e-300, 5e-324, 1.0, 40.0, 710.0, 1e6, 1e154, 1e300,
     1.7976931348623157e308, np.inf, np.nan]
)  # fmt: skip


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_hostile_inputs_give_no_warning_and_no_spurious_nan(name):
    """pytest turns every RuntimeWarning into an error; finite input must never give NaN."""
    act = actcli.get(name)
    periodic = name in ("sine", "snake")  # no limit at ±inf
    for order in (0, 1, 2):
        out = act(EXTREMES) if order == 0 else act.derivative(EXTREMES, order)
        assert out.shape == EXTREMES.shape and out.dtype == np.float64
        assert np.isnan(out[-1]), "NaN in, NaN out"
        finite_in = np.isfinite(EXTREMES)
        assert not np.isnan(out[finite_in]).any(), (order, EXTREMES[finite_in & np.isnan(out)])
        if not periodic:
            assert not np.isnan(out[np.isinf(EXTREMES)]).any(), order


@pytest.mark.slow
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_shapes_and_dtypes(name):
    act = actcli.get(name)
    x = np.linspace(-3, 3, 24).reshape(2, 3, 4)
    assert act(x).shape == (2, 3, 4)
    assert act.derivative(x, 2).shape == (2, 3, 4)
    assert isinstance(act(0.5), np.floating) and np.ndim(act(0.5)) == 0
    assert act([0.5, 1.5]).dtype == np.float64  # lists and ints become float64
    assert act(np.arange(3)).dtype == np.float64
    for dtype in (np.float32, np.float16, ml_dtypes.bfloat16):
        xd = x.astype(dtype)
        y = act(xd)
        assert y.dtype == xd.dtype
        # computed in float64 and rounded correctly: the float64 result's rounding, except
        # where that result is a hair from a rounding boundary (rrelu's binary64 slope puts
        # bfloat16(-1.171875)'s float64 result exactly on one; the exact value is just above)
        wide = act(xd.astype(np.float64))
        once = wide.astype(dtype).astype(np.float64)
        differ = y.astype(np.float64) != once
        reach = np.abs(wide) * 2.0**-40
        near = (wide - reach).astype(dtype) != (wide + reach).astype(dtype)
        assert not (differ & ~near).any()


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivatives_match_central_differences(name):
    """An oracle independent of mpmath: f′ and f″ against 4th-order central differences."""
    act = actcli.get(name)
    x = np.linspace(-4.13, 4.27, 61)
    x = x[np.min(np.abs(x[:, None] - np.array(act.kinks or (99.0,))), axis=1) > 0.05]
    h = 1e-3
    for order, f in ((1, act), (2, act.derivative)):
        approx = (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h)
        exact = act.derivative(x, order)
        np.testing.assert_allclose(exact, approx, rtol=1e-6, atol=1e-7, err_msg=f"order {order}")


def test_derivative_errors():
    with pytest.raises(actcli.InvalidParameterError, match="order must be 1 or 2, got 3"):
        actcli.get("relu").derivative([1.0], order=3)
    with pytest.raises(actcli.InvalidParameterError, match="softmax is a vector activation"):
        actcli.get("softmax").derivative([1.0, 2.0])


def test_special_values_are_exact():
    assert actcli.get("softplus")(0.0) == math.log(2)
    assert actcli.get("mish").derivative(0.0) == 0.6
    assert actcli.get("silu").derivative(0.0) == 0.5
    assert actcli.get("gelu").derivative(0.0) == 0.5
    assert actcli.get("log_sigmoid")(0.0) == -math.log(2)
    assert actcli.get("squareplus")(0.0) == 1.0
    assert actcli.get("sparse_plus")(0.0) == 0.25
    assert actcli.get("selu")(-np.inf) == -1.7580993408473768
    assert actcli.get("selu")(1.0) == 1.0507009873554805
    assert actcli.get("sigmoid")(-np.inf) == 0.0
    assert actcli.get("mish")(np.inf) == np.inf
    assert actcli.get("gelu")(-10.0) == pytest.approx(-7.619853024160527e-23, rel=1e-15)


# What each framework's autodiff returns exactly at the kinks.
KINK_CONVENTIONS = [
    ("relu", "torch", {0.0: 0.0}),
    ("relu", "jax", {0.0: 0.0}),
    ("relu6", "torch", {0.0: 0.0, 6.0: 0.0}),
    ("leaky_relu", "torch", {0.0: 0.01}),
    ("leaky_relu", "jax", {0.0: 1.0}),
    ("leaky_relu", "keras", {0.0: 0.2}),
    ("hard_tanh", "torch", {-1.0: 0.0, 1.0: 0.0}),
    ("hard_tanh", "jax", {-1.0: 1.0, 1.0: 1.0}),
    ("hard_sigmoid", "torch", {-3.0: 0.0, 3.0: 0.0}),
    ("hard_sigmoid", "keras2", {-2.5: 0.2, 2.5: 0.2, 0.0: 0.2}),
    # recorded from Keras 3.15 / tf_keras 2.21 (tests/data/parity): clip passes its bounds'
    # gradient, where(x > 0, ...) gives α at 0, max + min both pass a tie's gradient, and
    # relu(x) − α·relu(−x) passes none
    ("hard_tanh", "keras", {-1.0: 1.0, 1.0: 1.0}),
    ("elu:alpha=0.5", "keras", {0.0: 0.5}),
    ("elu:alpha=0.5", "keras2", {0.0: 0.5}),
    ("celu", "keras", {0.0: 2.0}),
    ("prelu", "keras", {0.0: 0.0}),
    ("hard_silu", "torch", {-3.0: 0.0, 3.0: 1.0}),
    ("sparse_sigmoid", "torch", {-1.0: 0.0, 1.0: 0.0}),
    ("sparse_sigmoid", "jax", {-1.0: 0.25, 1.0: 0.25}),
    ("sparse_plus", "jax", {-1.0: 0.0, 1.0: 1.0}),
    ("elu", "torch", {0.0: 1.0}),
    ("elu:alpha=0.5", "torch", {0.0: 0.5}),
    ("elu:alpha=0.5", "tf", {0.0: 1.0}),
    ("selu", "torch", {0.0: 1.7580993408473768}),
    ("selu", "jax", {0.0: 1.7580993408473768}),
    ("selu", "tf", {0.0: 1.0507009873554805}),
    ("threshold:threshold=1,value=-1", "torch", {1.0: 0.0}),
    ("hard_shrink", "torch", {-0.5: 0.0, 0.5: 0.0}),
    ("soft_shrink", "torch", {-0.5: 0.0, 0.5: 0.0}),
    ("prelu", "torch", {0.0: 0.25}),
    ("step", "torch", {0.0: 0.0}),
]


@pytest.mark.parametrize(("spec", "dialect", "expected"), KINK_CONVENTIONS)
def test_kink_conventions_per_dialect(spec, dialect, expected):
    act = actcli.get(spec, dialect=dialect)
    x = np.array(list(expected))
    np.testing.assert_array_equal(act.derivative(x), np.array(list(expected.values())))


def test_dialect_defaults():
    assert actcli.get("leaky_relu").params["negative_slope"] == 0.01
    assert actcli.get("leaky_relu", dialect="jax").params["negative_slope"] == 0.01
    assert actcli.get("leaky_relu", dialect="keras").params["negative_slope"] == 0.2
    assert actcli.get("gelu").params["approximate"] == "none"
    assert actcli.get("gelu", dialect="keras").params["approximate"] == "none"
    assert actcli.get("gelu", dialect="jax").params["approximate"] == "tanh"
    k2 = actcli.get("hard_sigmoid", dialect="keras2")
    np.testing.assert_array_equal(k2([-2.5, -1.0, 0.0, 1.0, 2.5]), [0.0, 0.3, 0.5, 0.7, 1.0])
    k3 = actcli.get("hard_sigmoid", dialect="keras")
    np.testing.assert_allclose(k3([-1.0, 0.0, 1.0]), [1 / 3, 0.5, 2 / 3], rtol=1e-16)
    # an explicit parameter beats the dialect's default
    assert actcli.get("leaky_relu", dialect="keras", negative_slope=0.3).params == {
        "negative_slope": 0.3
    }


def test_kink_points_describe_conventions():
    (k,) = actcli.get("leaky_relu", dialect="jax").kink_points
    assert (k.at, k.left, k.right, k.rule, k.d1, k.jump_order) == (
        0.0, (0.01, 0.0), (1.0, 0.0), "right", 1.0, 1,
    )  # fmt: skip
    assert actcli.get("step").kink_points[0].jump_order == 0
    assert actcli.get("celu").kink_points[0].jump_order == 2


def test_torch_softplus_threshold_is_reproducible_on_request():
    exact, torchlike = actcli.get("softplus"), actcli.get("softplus:threshold=20")
    assert exact(20.5) == pytest.approx(20.5 + math.log1p(math.exp(-20.5)), rel=1e-16)
    assert torchlike(20.5) == 20.5
    assert torchlike.derivative(20.5) == 1.0
    assert torchlike.kinks == (20.0,)


@pytest.mark.parametrize("name", VECTOR)
def test_vector_jacobians_match_finite_differences(name):
    act = actcli.get(name)
    rng = np.random.default_rng(7)
    v = rng.normal(size=6)
    if name == "sparsemax":
        v = np.array([1.2, 0.9, -0.3, 0.4, 2.0, -1.0]) * 0.5
    jac = act.jacobian(v)
    y = act(v)
    assert jac.shape == (y.shape[-1], v.shape[-1])
    h = 1e-6
    fd = np.stack([(act(v + h * e) - act(v - h * e)) / (2 * h) for e in np.eye(6)], axis=-1)
    np.testing.assert_allclose(jac, fd, rtol=1e-6, atol=1e-8)
    batch = np.stack([v, v[::-1]])
    assert act(batch).shape == (2, y.shape[-1])
    assert act.jacobian(batch).shape == (2, y.shape[-1], 6)


def test_softmax_family_values():
    sm = actcli.get("softmax")
    np.testing.assert_allclose(sm([1.0, 2.0, 3.0]).sum(), 1.0, rtol=1e-15)
    np.testing.assert_array_equal(sm([1000.0, 0.0, -1000.0]), [1.0, 0.0, 0.0])
    assert actcli.get("log_softmax")([0.0, -800.0])[1] == -800.0  # not log(0)
    np.testing.assert_allclose(
        actcli.get("softmax", temperature=2.0)([2.0, 4.0]), sm([1.0, 2.0]), rtol=1e-15
    )
    np.testing.assert_allclose(actcli.get("softmin")([1.0, 2.0]), sm([2.0, 1.0]), rtol=1e-15)


def test_softmax_inf_policy():
    nan, limit = actcli.get("softmax"), actcli.get("softmax:inf_policy=limit")
    assert np.isnan(nan([np.inf, 0.0])).all()
    np.testing.assert_array_equal(limit([np.inf, 0.0]), [1.0, 0.0])
    np.testing.assert_array_equal(limit([np.inf, np.inf, 0.0]), [0.5, 0.5, 0.0])
    np.testing.assert_array_equal(limit([-np.inf, -np.inf]), [0.5, 0.5])
    np.testing.assert_array_equal(nan([-np.inf, 0.0]), [0.0, 1.0])  # one −inf is fine
    assert np.isnan(nan([-np.inf, -np.inf])).all()
    assert np.isnan(limit([np.nan, 0.0])).all()


def test_gated_conventions():
    a, b = 0.7, -1.3
    sig = 1 / (1 + math.exp(-b))
    assert actcli.get("glu")([a, b])[0] == pytest.approx(a * sig, rel=1e-15)  # second half gates
    assert actcli.get("reglu")([a, b])[0] == pytest.approx(a * b, rel=1e-15)  # relu(first)·second
    assert actcli.get("bilinear")([a, b])[0] == pytest.approx(a * b, rel=1e-15)
    silu_a = a / (1 + math.exp(-a))
    assert actcli.get("swiglu")([a, b])[0] == pytest.approx(silu_a * b, rel=1e-15)


def test_sparsemax_projects_onto_simplex():
    p = actcli.get("sparsemax")([0.1, 2.1, 0.2, -np.inf])
    np.testing.assert_allclose(p, [0.0, 1.0, 0.0, 0.0])
    q = actcli.get("sparsemax")([0.5, 0.4, 0.45])
    assert q.sum() == pytest.approx(1.0) and (q > 0).all()


def test_normalisers():
    st = actcli.get("standardize", epsilon=0.0)(np.array([1e8 + 1, 1e8 - 1, 1e8 + 3, 1e8 - 3]))
    np.testing.assert_allclose(st.mean(), 0.0, atol=1e-15)
    np.testing.assert_allclose(st.std(), 1.0, rtol=1e-12)  # two-pass variance: no cancellation
    n = actcli.get("normalize")([3e300, 4e300])  # no overflow in the norm
    np.testing.assert_allclose(n, [0.6, 0.8], rtol=1e-15)
    np.testing.assert_array_equal(actcli.get("normalize")([0.0, 0.0]), [0.0, 0.0])
    np.testing.assert_allclose(actcli.get("normalize", p=1)([1.0, -3.0]), [0.25, -0.75])


def test_elementwise_jacobian_is_diagonal():
    jac = actcli.get("relu").jacobian([2.0, -1.0, np.inf])
    np.testing.assert_array_equal(jac, np.diag([1.0, 0.0, 1.0]))


@pytest.mark.parametrize("name", [n for n in actcli.names() if actcli.get(n).kind == "vector"])
@pytest.mark.parametrize("shape", [(0,), (3, 0), (0, 4)])
def test_vector_activations_of_empty_arrays_are_empty(name, shape):
    """As in every framework: no rows, or rows of no entries, give an empty result."""
    act = actcli.get(name)
    x = np.zeros(shape)
    out = act(x)
    jac = act.jacobian(x)
    width = shape[-1] // 2 if name in ("glu", "reglu", "geglu", "swiglu", "bilinear") else shape[-1]
    assert out.shape == (*shape[:-1], width)
    assert jac.shape == (*shape[:-1], width, shape[-1])


def test_vector_activations_take_an_axis_as_the_frameworks_do():
    """act(x, axis=...) is F.softmax(x, dim=...) / jax.nn.softmax(x, axis=...): along that
    axis, or along several together (keras and jax accept tuples)."""
    x = np.arange(12.0).reshape(3, 4) / 7
    softmax = actcli.get("softmax")
    np.testing.assert_array_equal(softmax(x, axis=0), softmax(x.T).T)
    np.testing.assert_array_equal(softmax(x, axis=-2), softmax(x.T).T)
    together = softmax(x, axis=(0, 1))
    np.testing.assert_array_equal(together, softmax(x.reshape(-1)).reshape(3, 4))
    assert together.sum() == pytest.approx(1.0)
    jac = softmax.jacobian(x, axis=0)
    assert jac.shape == (4, 3, 3)
    np.testing.assert_array_equal(jac[1], softmax.jacobian(x[:, 1]))
    glu = actcli.get("glu")
    halves = glu(np.arange(8.0).reshape(4, 2), axis=0)
    np.testing.assert_array_equal(halves, glu(np.arange(8.0).reshape(4, 2).T).T)
    x32 = x.astype(np.float32)
    assert softmax(x32, axis=0).dtype == np.float32
    for bad, message in [
        (lambda: softmax(x, axis=2), "out of range"),
        (lambda: softmax(x, axis=(0, 0)), "twice"),
        (lambda: actcli.get("relu")(x, axis=0), "elementwise: it takes no axis"),
        (lambda: glu(np.zeros((2, 2)), axis=(0, 1)), "along one axis"),
    ]:
        with pytest.raises(actcli.InvalidParameterError, match=message):
            bad()


def test_a_name_that_is_not_a_string_is_an_unknown_activation():
    with pytest.raises(actcli.UnknownActivationError, match="unknown activation 'None'"):
        actcli.get(None)  # type: ignore[arg-type]
