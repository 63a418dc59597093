"""The incentives link: designs compared on a registry's own actors and filings."""

import numpy as np
import pytest

import coordgap as cg


@pytest.mark.slow
def test_registry_parameterizes_the_policy_model():
    registry = cg.load_registry()
    model = registry.policy_model()
    frame = registry.actors_frame()
    assert model.n_actors == len(frame) == 20
    np.testing.assert_allclose(model.participation.capacity, frame["committed_capacity"])
    np.testing.assert_allclose(model.commitment.bond, frame["bond"])
    np.testing.assert_allclose(model.commitment.liability, frame["liability"])
    assert model.roles == tuple(frame["role"])
    required = sum(f.capacity for s in registry.scenarios for f in s.functions)
    assert model.commitment.required == pytest.approx(required)
    # Role-level calibration comes from the base model.
    spec = cg.load_model()
    join = {g.role: g.registry["join_cost"] for g in spec.actors}
    np.testing.assert_allclose(model.participation.cost, [join[r] for r in frame["role"]])


@pytest.mark.slow
def test_designs_compare_on_a_registry():
    model = cg.load_registry().policy_model()
    cloud = cg.Design(
        "cloud procurement",
        [cg.ProcurementPreference(margin=0.2, volume=10.0, win_prob=0.5, roles=["cloud_provider"])],
    )
    frame = cg.compare(model, [cloud]).to_frame()
    clouds = int(np.sum(np.array(model.roles) == "cloud_provider"))
    assert frame.loc["cloud procurement", "fiscal_cost_worst"] <= clouds * 1.0 + 1e-12
    assert (
        frame.loc["cloud procurement", "participation_worst"]
        >= frame.loc["baseline", "participation_worst"]
    )


@pytest.mark.slow
def test_a_void_registry_delivers_nothing():
    model = cg.load_registry().policy_model()
    from coordgap.analysis.compare import evaluate_design

    void = evaluate_design(model, cg.Design("a", [cg.AssuranceRefund(threshold=50, bonus=0.1)]))
    assert void.worst["participation"] == 20  # everyone files for the bonus...
    assert void.worst["credible_coverage"] == 0.0  # ...but nothing binds
    assert void.worst["fiscal_cost"] > 0


def test_unknown_role_in_base_is_reported(tmp_path):
    base = tmp_path / "m.toml"
    base.write_text(
        "[preparedness]\nprob = 0.1\nharm = 10.0\nefficacy = 0.5\n"
        "[commitment]\ndiscount = 0.8\ncarry_rate = 0.1\ntrigger_prob = 0.05\n"
        "[actors.ai_developer]\ncount = 1\nshare = 0.1\ncost = 1.0\n"
        "[actors.ai_developer.registry]\njoin_cost = 1.0\ncapacity = 1.0\n"
        "response_cost_median = 1.0\nresponse_cost_sigma = 1.0\n"
    )
    with pytest.raises(cg.SpecError, match="no calibration for role"):
        cg.load_registry().policy_model(cg.load_model(base))
