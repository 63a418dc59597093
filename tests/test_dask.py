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


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_sensitivity_on_dask_matches_local(client):
    from scipy import stats

    spec = cg.load_model()
    model = spec.policy_model()
    designs = [d for d in spec.designs if d.name in ("baseline", "bond", "compute_access")]
    distributions = {
        "preparedness.prob": stats.uniform(0.05, 0.1),
        "actors.*.registry.join_cost": stats.lognorm(0.4),
    }
    kwargs = dict(n=8, scale=["actors.*.registry.join_cost"], rng=5)
    local = cg.sensitivity(model, designs, distributions, **kwargs)
    remote = cg.sensitivity(model, designs, distributions, executor=client.get_executor(), **kwargs)
    np.testing.assert_array_equal(
        local.outputs.select_dtypes("number").to_numpy(),
        remote.outputs.select_dtypes("number").to_numpy(),
    )
    frame_local, frame_remote = local.indices, remote.indices
    assert frame_local.equals(frame_remote)
