"""The same sweep on a dask LocalCluster gives identical results (executor= is the only change)."""

import numpy as np
import pytest

import coordgap as cg
from coordgap.analysis.montecarlo import DesignMetrics

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dask may warn about ports and resources at start-up
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = distributed.Client(cluster)
    yield client
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        client.close()
        cluster.close()


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_sweep_on_dask_matches_local(client):
    model = cg.PolicyModel.default()
    metrics = DesignMetrics(model, cg.Design("bond", [cg.PerformanceBond()]))
    grid = {"PerformanceBond.amount": [0.0, 1.0, 2.0, 4.0]}
    local = cg.sweep(metrics, grid, rng=11).frame
    remote = cg.sweep(metrics, grid, rng=11, executor=client.get_executor()).frame
    np.testing.assert_array_equal(local.to_numpy(dtype=float), remote.to_numpy(dtype=float))
