"""The claims' models move in sweeps like every other model (closed forms as the check)."""

import concurrent.futures as cf

import numpy as np
import pytest

import coordgap as cg
from coordgap.analysis.claims import ClaimMetrics


def test_learning_sweep_matches_the_critical_sharing_level():
    m = cg.LearningModel(n_actors=10, growth=0.7, incident_rate=2.0, learning_rate=0.1, sharing=0.3)
    grid = np.linspace(0.0, 1.0, 21)
    res = cg.sweep(ClaimMetrics(m), {"sharing": grid}, metrics=["keeps_up"])
    critical = (0.7 / (0.1 * 2.0) - 1.0) / (10 - 1)  # ηλ(1 + σ(N − 1)) = g
    np.testing.assert_array_equal(res.frame["keeps_up"].to_numpy(), (grid >= critical - 1e-12))


def test_disclosure_sweep_has_multiple_equilibria_only_above_the_bound():
    g = cg.DisclosureGame(private_precision=4.0, public_precision=1.0, public_signal=0.5)
    grid = [1.0, 3.0, 4.9, 5.2, 8.0]
    with cf.ThreadPoolExecutor(2) as pool:
        res = cg.sweep(ClaimMetrics(g), {"public_precision": grid}, executor=pool)
    bound = np.sqrt(2 * np.pi * 4.0)  # α/√β ≤ √(2π)
    assert np.all(res.frame.loc[res.frame["public_precision"] < bound, "n_equilibria"] == 1)
    assert np.all(res.frame.loc[res.frame["public_precision"] > bound * 1.5, "unique"] == 0)


def test_capture_never_raises_credible_coverage_along_a_sweep():
    res = cg.sweep(
        ClaimMetrics(cg.CaptureModel()),
        {"capture": np.linspace(0, 1, 6)},
        metrics=["credible_coverage"],
    )
    cc = res.frame["credible_coverage"].to_numpy()
    assert np.all(np.diff(cc) <= 1e-12)


def test_library_sweep_and_bad_keys():
    m = cg.LibraryScopeModel(spread=10.0, cost_per_scenario=0.05, value_scale=1.0)
    res = cg.sweep(
        ClaimMetrics(m), {"cost_per_scenario": [0.02, 0.05, 0.1]}, metrics=["optimal_breadth"]
    )
    assert res.frame["optimal_breadth"].is_monotonic_decreasing  # dearer filing, narrower
    with pytest.raises(cg.InvalidParameterError, match="Did you mean 'spread'"):
        cg.sweep(ClaimMetrics(m), {"sprd": [1.0]})
    with pytest.raises(cg.InvalidParameterError, match="model"):
        ClaimMetrics(object())
