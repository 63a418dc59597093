"""Sweeps: the closed-form grid path agrees with solving each cell; seeds do not depend on workers."""

import concurrent.futures as cf
from dataclasses import dataclass

import numpy as np
import pytest

import coordgap as cg
from coordgap.analysis.metrics import PREPAREDNESS_METRICS, PreparednessMetrics


@dataclass(frozen=True)
class NoisyMetric:
    """A stochastic metric model: the mean of draws seeded by the cell's child seed."""

    def evaluate(self, cell, seed):
        rng = np.random.default_rng(seed)
        return {"value": cell["x"] + float(rng.normal(size=10).mean())}


def _game(gamma, aggregator="sum"):
    return cg.PreparednessGame(
        share=[0.05, 0.1, 0.02, 0.2],
        cost=[1.0, 2.0, 0.5, 3.0],
        weight=[1.0, 0.5, 2.0, 1.0],
        prob=0.3,
        harm=500.0,
        efficacy=0.1,
        cost_exponent=gamma,
        aggregator=aggregator,
        baseline=0.5,
    )


@pytest.mark.slow
@pytest.mark.parametrize("gamma", [1.0, 1.5, 2.0, 3.0])
def test_vectorized_grid_matches_cell_by_cell_solving(gamma):
    metrics = PreparednessMetrics(_game(gamma))
    grid = {
        "share_scale": [0.3, 1.0, 2.0],
        "prob": [0.0, 0.1, 0.9],
        "efficacy": [0.05, 0.4],
        "cost_scale": [0.5, 2.0],
    }
    fast = cg.sweep(metrics, grid)
    with cf.ThreadPoolExecutor(2) as pool:
        slow = cg.sweep(metrics, grid, executor=pool)
    assert fast.method == "vectorized" and slow.method == "cells"
    for name in PREPAREDNESS_METRICS:
        np.testing.assert_allclose(
            fast.frame[name], slow.frame[name], rtol=1e-9, atol=1e-9, err_msg=name
        )


def test_cost_exponent_axis_in_closed_form():
    metrics = PreparednessMetrics(_game(2.0))
    grid = {"cost_exponent": [1.0, 2.0, 4.0]}
    fast = cg.sweep(metrics, grid)
    slow = [metrics.evaluate({"cost_exponent": g}) for g in grid["cost_exponent"]]
    np.testing.assert_allclose(
        fast.frame["robustness_nash"], [row["robustness_nash"] for row in slow], rtol=1e-10
    )


def test_other_aggregators_fall_back_to_cells():
    res = cg.sweep(PreparednessMetrics(_game(2.0, "weakest_link")), {"prob": [0.1, 0.5]})
    assert res.method == "cells"
    assert np.all(res.frame["robustness_ratio"] <= 1 + 1e-12)


def test_more_diffuse_benefit_never_shrinks_the_gap():
    res = cg.sweep(PreparednessMetrics(_game(2.0)), {"share_scale": np.linspace(0.1, 2.0, 25)})
    gap = res.frame["robustness_opt"] - res.frame["robustness_nash"]
    assert np.all(np.diff(gap) <= 1e-12)


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_seeds_do_not_depend_on_workers_or_chunks(workers):
    grid = {"x": np.arange(12.0)}
    reference = cg.sweep(NoisyMetric(), grid, rng=7).frame["value"].to_numpy()
    with cf.ThreadPoolExecutor(workers) as pool:
        other = cg.sweep(NoisyMetric(), grid, rng=7, executor=pool, chunksize=5)
    np.testing.assert_array_equal(reference, other.frame["value"].to_numpy())
    assert not np.array_equal(reference, cg.sweep(NoisyMetric(), grid, rng=8).frame["value"])


def test_process_pool_gives_identical_results():
    grid = {"x": np.arange(6.0)}
    reference = cg.sweep(NoisyMetric(), grid, rng=3).frame
    with cf.ProcessPoolExecutor(2) as pool:
        other = cg.sweep(NoisyMetric(), grid, rng=3, executor=pool).frame
    np.testing.assert_array_equal(reference.to_numpy(), other.to_numpy())


def test_bad_grids_and_metrics():
    metrics = PreparednessMetrics(_game(2.0))
    with pytest.raises(cg.InvalidParameterError, match="Did you mean 'prob'"):
        cg.sweep(metrics, {"porb": [0.1]})
    with pytest.raises(cg.InvalidParameterError, match="finite"):
        cg.sweep(metrics, {"prob": [0.1, np.nan]})
    with pytest.raises(cg.InvalidParameterError, match="share_scale"):
        cg.sweep(metrics, {"share_scale": [10.0]})
    with pytest.raises(cg.InvalidParameterError, match="Did you mean 'welfare_loss'"):
        cg.sweep(metrics, {"prob": [0.1]}, metrics=["welfare_los"])
    with pytest.raises(cg.InvalidParameterError, match="rng"):
        cg.sweep(metrics, {"prob": [0.1]}, rng=-1)
