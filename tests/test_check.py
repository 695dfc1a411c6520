"""check: the report of check — bands, tolerances and findings — without the CLI."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import erf

import actcli
from actcli import dtypes
from actcli.check import bands, compute, quantiles

GELU = actcli.get("gelu")


def dense_negative_tail() -> np.ndarray:
    """A dense float32 sweep of [−6, −3], where GELU's erf form cancels."""
    return np.unique(np.linspace(-6.0, -3.0, 300_001).astype(np.float32))


def cancelling_gelu(x: np.ndarray) -> np.ndarray:
    """The textbook kernel x·(0.5 + 0.5·erf(x/√2)), every operation in float32."""
    assert x.dtype == np.float32
    half = np.float32(0.5)
    y = x * (half + half * erf(x / np.float32(np.sqrt(2.0))))
    assert y.dtype == np.float32
    return y


def report_of(x, y, dtype="float32", tolerance=4.0, **options):
    return actcli.check(GELU, x, y, dtype=dtype, tol=tolerance, **options)


def test_a_cancelling_float32_gelu_kernel_fails_with_its_tail_findings():
    x = dense_negative_tail()
    report = report_of(x, cancelling_gelu(x))
    assert not report.passed and report.failed > 0.9 * report.rows
    # bands of sign and binade, split in parts: what a kernel bug report tabulates
    assert [(b["lo"], b["hi"]) for b in report.bands] == [
        (-6.0, -5.0),
        (-5.0, -4.0),
        (-4.0, -3.5),
        (-3.5, -3.0),
    ]
    rel = [b["max_rel"] for b in report.bands]  # from −6 towards −3
    assert rel == sorted(rel, reverse=True)  # growing into the tail ...
    assert rel[0] >= 1.0 and rel[-1] < 1e-4  # ... to 100 %: zeros and doubled values
    kinds = {f["kind"]: f for f in report.findings}
    steps = kinds["non_monotonic"]
    assert steps["count"] > 1000 and steps["x_max"] <= -3.0 and steps["x_min"] < -5.0
    first, second = steps["worst_pair"]
    assert first["x"] < second["x"] and first["given"] < second["given"]  # GELU falls there
    flush = kinds["flush_to_zero"]
    assert flush["threshold"] == pytest.approx(-5.5426, abs=1e-4)
    assert flush["message"].startswith("returns 0 for x ≤ -5.5426")
    assert "reference -8.3e-8 there" in flush["message"]
    assert "sign_error" not in kinds and "non_finite" not in kinds


def test_a_correctly_rounded_float32_table_passes_at_half_an_ulp():
    x = dense_negative_tail()
    y = GELU(x.astype(np.float64)).astype(np.float32)
    report = report_of(x, y, tolerance=0.5)
    assert report.passed and report.max_ulp <= 0.5
    assert report.findings == []  # rounding is monotone, keeps signs and flushes nothing


def bands_of(x, edges=None):
    ids, spans = bands.band_ids(np.asarray(x, np.float64), edges)
    return ids, spans


def test_default_bands_are_binades_by_sign_with_zero_apart():
    ids, spans = bands_of(np.linspace(-10, 10, 41))
    assert spans == [(-10.0, -8.0), (-8.0, -4.0), (-4.0, -2.0), (-2.0, -1.0), (-1.0, -0.5),
                     (0.0, 0.0), (0.5, 1.0), (1.0, 2.0), (2.0, 4.0), (4.0, 8.0), (8.0, 10.0)]  # fmt: skip
    # a negative band is closed towards 0: −8 is in (−16, −8], 8 in [8, 16)
    x = np.linspace(-10, 10, 41)
    assert spans[ids[x == -8.0][0]] == (-10.0, -8.0) and spans[ids[x == 8.0][0]] == (8.0, 10.0)


def test_many_binades_are_merged_and_few_split():
    x = np.concatenate([-np.geomspace(1e-30, 1e30, 1000), np.geomspace(1e-30, 1e30, 1000)])
    _, spans = bands_of(x)
    assert len(spans) <= bands.MAX_BANDS
    assert spans[0][0] == -1e30 and spans[-1][1] == 1e30
    _, one = bands_of(np.linspace(1.0, 1.999, 1000))  # one binade: eighths of it
    assert one == [(1.0 + k / 8, min(1.0 + (k + 1) / 8, 1.999)) for k in range(8)]


def test_a_band_with_under_a_percent_of_the_rows_joins_its_neighbour():
    x = np.concatenate([np.linspace(2.0, 3.99, 1000), [4.5]])  # 4.5 alone in its binade
    _, spans = bands_of(x)
    # two binades: quarters of each; [4, 4.5] joins [3.5, 4)
    assert spans == [(2.0, 2.5), (2.5, 3.0), (3.0, 3.5), (3.5, 4.5)]


def test_given_band_edges():
    ids, spans = bands_of([-3.0, -1.0, 0.0, 0.5, 2.0, np.nan], edges=[-1.0, 1.0])
    assert spans == [(-3.0, -1.0), (-1.0, 1.0), (1.0, 2.0)]
    assert ids.tolist() == [0, 1, 1, 1, 2, -1]  # nan x in no band
    _, kept = bands_of([5.0, 6.0], edges=[-1.0, 1.0])
    assert kept == [(5.0, 6.0)]  # empty bands are left out; the ends are the data's


def test_atol_and_rtol_pass_rows_the_ulp_tolerance_fails():
    x = np.array([-8.0, 1.0])
    y = np.array([0.0, GELU(1.0)])  # −0 for ≈ −5e−15: billions of ULP, 5e−15 absolute
    assert not report_of(x, y, "float64").passed
    loose = report_of(x, y, "float64", atol=1e-12)
    assert loose.passed and loose.failed == 0
    assert not report_of(x, y, "float64", rtol=0.5).passed  # 100 % relative
    assert report_of(x, y, "float64", rtol=1.0).passed  # numpy's allclose: ≤ atol + rtol·|ref|
    assert np.isclose(0.0, GELU(-8.0), atol=0.0, rtol=1.0)


def test_findings_of_a_flushing_kernel_a_sign_error_and_non_finite_outputs():
    x = np.linspace(-8, 8, 1601)
    y = GELU(x)
    y[x < -4] = 0.0  # flushes below −4
    y[(x > 0) & (x < 0.05)] *= -1  # wrong sign just above 0
    y[np.isclose(x, 7.0)] = np.inf
    found = {f["kind"]: f for f in report_of(x, y, "float64").findings}
    assert found["flush_to_zero"]["threshold"] == pytest.approx(-4.01)
    assert found["flush_to_zero"]["message"] == (
        "returns 0 for x ≤ -4.01 (400 inputs); reference -0.00012 there"
    )
    assert found["sign_error"]["count"] == 4
    assert (found["sign_error"]["x_min"], found["sign_error"]["x_max"]) == pytest.approx(
        (0.01, 0.04)
    )
    assert found["non_finite"]["count"] == 1 and found["non_finite"]["x_min"] == 7.0
    assert found["non_monotonic"]["count"] >= 1  # the jumps to −y and to inf


def test_zeros_not_beyond_a_threshold_are_reported_as_scattered():
    x = np.linspace(-3, -1, 21)
    y = GELU(x)
    y[[3, 10]] = 0.0
    (flush,) = [f for f in report_of(x, y, "float64").findings if f["kind"] == "flush_to_zero"]
    assert flush["threshold"] is None and flush["count"] == 2
    assert flush["message"].startswith("returns 0 at 2 inputs in [-2.7, -2]")


def test_the_special_inputs():
    x = np.array([-0.0, 0.0, -np.inf, np.inf, np.nan, 1.0])
    y = np.array([0.0, 0.0, 0.0, np.inf, 1.0, GELU(1.0)])
    found = [f for f in report_of(x, y, "float64").findings if f["kind"] == "special"]
    assert [f["message"] for f in found] == [
        "at x = -0: 0 (reference -0): right, but the sign of zero differs",
        "at x = +0: 0 (reference 0): right",
        "at x = -inf: 0 (reference 0): right",
        "at x = +inf: inf (reference inf): right",
        "at x = nan: 1 (reference nan): WRONG",
    ]


# ---------------------------------------------------------------------------------- blocks


def awkward_rows():
    """The cancelling kernel's tail, with exact rows, specials and a broken stretch."""
    tail = dense_negative_tail()[::7]
    x = np.concatenate([tail, [-0.0, 0.0, np.inf, -np.inf, np.nan]])
    y = np.concatenate([cancelling_gelu(tail), [0.0, 0.0, np.inf, 0.0, np.nan]]).astype(float)
    y[:50] = GELU(x[:50])  # exact
    y[-100:-80] = -y[-100:-80]  # wrong signs
    y[200:210] = np.nan
    return x, y


@pytest.mark.slow
@pytest.mark.parametrize("shuffled", [False, True])
def test_the_report_does_not_depend_on_the_blocks(monkeypatch, shuffled):
    """Blocks of 97 rows checked in pieces of 31 give the report of one block: steps across
    block ends, the first of equal worst rows, the flush edge, the specials' first rows."""
    x, y = awkward_rows()
    if shuffled:
        order = np.random.default_rng(3).permutation(x.size)
        x, y = x[order], y[order]
    whole = report_of(x, y)
    monkeypatch.setattr("actcli.inputs.xy.PAIR_BLOCK", 97)
    monkeypatch.setattr(compute, "PIECE", 31)
    assert repr(report_of(x, y)) == repr(whole)  # (nan == nan is false)
    kinds = [f["kind"] for f in whole.findings]
    assert kinds[:3] == ["non_monotonic", "sign_error", "flush_to_zero"]


@pytest.mark.parametrize(
    ("budget", "sample"), [(1 << 21, 1 << 18), (1 << 21, 50), (40, 50), (0, 1)]
)
def test_medians_and_99th_percentiles_are_numpys_exactly(monkeypatch, budget, sample):
    """The order statistics are exact whether the sample's first guess holds them, misses
    them, or the errors around them are too many to hold (then the passes narrow down)."""
    monkeypatch.setattr(quantiles, "BUDGET", budget)
    monkeypatch.setattr(quantiles, "SAMPLE", sample)
    x, y = awkward_rows()
    report = actcli.check(GELU, x, y, dtype="float32")
    blocks = list(report.blocks())
    errors = np.concatenate([block[3] for block in blocks])
    # the ULP statistics are over the rows where the value and the reference are finite
    finite = np.concatenate([np.isfinite(b[1]) & np.isfinite(b[2]) for b in blocks])
    ids, spans = bands.band_ids(x.astype(np.float32).astype(np.float64), None)
    assert [(b["lo"], b["hi"]) for b in report.bands] == spans
    ids, errors = ids[finite], errors[finite]
    for j, band in enumerate(report.bands):
        e = errors[ids == j]
        assert band["median_ulp"] == np.median(e)
        assert band["p99_ulp"] == np.percentile(e, 99, method="inverted_cdf")
    assert report.median_ulp == np.median(errors)
    assert report.p99_ulp == np.percentile(errors, 99, method="inverted_cdf")


def test_the_99th_percentile_rank_is_numpys():
    for n in [*range(1, 2000), 10**6 + 7, 10**7, 4_294_967_296]:
        assert quantiles.p99_rank(n) == max(0, int(np.ceil(n * 0.99 - 1)))
    for n in (1, 2, 99, 100, 101, 1234):
        assert np.percentile(np.arange(n), 99, method="inverted_cdf") == quantiles.p99_rank(n)


def test_the_ulp_spacing_from_the_exponent_field():
    ref = np.array([0.0, -0.0, 1.0, -1.5, 3.0, 1e-40, 2.0**-126, 1e-310, 5e-324, 1e300])
    _, e = np.frexp(np.abs(ref))
    for dtype, t in dtypes.TYPES.items():
        exponent = np.where(ref == 0, t.emin, np.maximum(e - 1, t.emin))  # (frexp's e)
        expected = np.ldexp(1.0, exponent - (t.precision - 1))
        assert dtypes.ulp(ref, dtype).tolist() == expected.tolist()


def test_actcli_check_is_the_package_and_calls_itself(tmp_path):
    """``actcli.check(...)`` works before and after the package's modules are imported (an
    import of a submodule makes ``actcli.check`` the package: it is callable)."""
    import actcli.check.report  # (the package is now actcli.check)

    x = np.linspace(-3.0, 3.0, 61)
    report = actcli.check("relu", x, np.maximum(x, 0.0))
    assert report is not None and report.passed and report.rows == 61
    assert actcli.check.check("relu", x, np.maximum(x, 0.0)) == report
    path = tmp_path / "relu.csv"
    path.write_text("x,y\n" + "".join(f"{a!r},{max(a, 0.0)!r}\n" for a in x.tolist()))
    assert actcli.check("relu", path) == report  # a file, as the command reads it
    assert actcli.check("relu", str(path), order=1).failed > 0  # the derivative is 0 or 1
    with pytest.raises(actcli.UsageError, match="elementwise"):
        actcli.check("softmax", x, x)
    with pytest.raises(actcli.UsageError, match="tol must be a finite number"):
        actcli.check("relu", x, x, tol=-1.0)
    with pytest.raises(actcli.UsageError, match="ascending"):
        actcli.check("relu", x, x, bands=[1.0, 0.0])


def test_the_report_gives_what_the_command_prints():
    x = np.linspace(-2.0, 2.0, 101)
    report = actcli.check("gelu", x, np.asarray(GELU(x)) * (1 + 1e-12))
    band, worst = report.tables()
    assert band.title == report.title and band.columns[0] == "band of x"
    assert worst.title == "worst inputs" and worst.columns == ["x", "given", "reference", "ULP"]
    assert all(len(row[3]) <= 6 for row in worst.rows)  # ULP to 3 significant digits
    assert report.text().endswith(report.verdict + "\n") and report.text().startswith("findings:")
    doc = report.document()
    assert doc["row_count"] == 101 and doc["passed"] is False and doc["spec"] == "gelu"
    assert doc["bands"] == report.bands and doc["derivative"] == 0
    blocks = list(report.blocks())
    assert sum(b[0].size for b in blocks) == 101 and report.row_table().columns[-1] == "ulp"
