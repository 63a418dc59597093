"""The fast design evaluation against the exhaustive reference, on random models.

A design is evaluated fast: the type-count test runs on V held over all count vectors
(``neighbours="tensor"``), the models a design derives are normalized but not checked again,
the preparedness game (M1) carries over when its columns are unchanged, and the membership
rent is found by bracketed Newton. The reference does none of that: it rebuilds the applied
model outside any derived block (every rule checked, every view computed afresh), lists every
pure equilibrium by checking all 2^N profiles from the definition of the gains (or, for large
games, by the type-count test with every neighbour value recomputed), takes the least and the
greatest by (participation, coverage), and computes every metric there.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from test_policy_properties import (
    SETTINGS,
    brute_force_equilibria,
    degenerate_warnings_allowed,
    draw_design,
    policy_models,
)

import coordgap as cg
from coordgap.analysis.compare import METRICS, evaluate_design, outcome_metrics
from coordgap.games.commitment import CommitmentModel
from coordgap.params import checking_rules, derived
from strategies import floats, participation_game


def _rebuilt(model):
    """``model`` built again outside any derived block: every rule checked, no view kept."""
    assert checking_rules()
    return model.replace(actors=model.actors.replace())


def _extremes(model, profiles):
    """The least and the greatest of ``profiles`` by (participation, coverage)."""
    game = model.game
    keys = [(int(p.sum()), float(game.coverage(p))) for p in profiles]
    order = sorted(range(len(profiles)), key=keys.__getitem__)
    return profiles[order[0]], profiles[order[-1]]


def _assert_metrics_close(fast: dict, slow: dict, scale: float) -> None:
    assert list(fast) == list(METRICS)
    for key in METRICS:
        a, b = float(fast[key]), float(slow[key])
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9 * scale), (key, a, b)


@pytest.mark.slow
@settings(max_examples=60, **SETTINGS)
@given(st.data())
def test_fast_evaluation_agrees_with_brute_force_on_random_models(data):
    model = data.draw(policy_models())
    design = draw_design(data.draw, model)
    with degenerate_warnings_allowed():
        fast = evaluate_design(model, design)
        reference = _rebuilt(design.apply(model))
        profiles = brute_force_equilibria(reference.game)
        if profiles is None:  # a gain within rounding of zero: the list depends on rounding
            return
        least, greatest = _extremes(reference, profiles)
        scale = max(1.0, model.prob * model.harm)
        _assert_metrics_close(fast.worst, outcome_metrics(reference, design, least), scale)
        _assert_metrics_close(fast.best, outcome_metrics(reference, design, greatest), scale)
    total = len(profiles)  # brute force lists the profiles; the fast solver counts them
    assert fast.n_equilibria == total
    full = np.ones(model.n_actors, dtype=bool)
    unique = total == 1 and bool(np.array_equal(profiles[0], full))
    assert fast.full_participation_unique == unique


def _default_cell(draw, spec):
    """The packaged model with its game-level numbers and one design's levels moved."""
    model = spec.policy_model()
    model = model.set("preparedness.prob", draw(floats(0.02, 0.5)))
    model = model.set("preparedness.harm", draw(floats(2000.0, 60000.0)))
    model = model.scale("actors.*.registry.join_cost", draw(floats(0.2, 3.0)))
    model = model.set("participation.threshold", draw(floats(0.0, 58.0)))
    design = draw(st.sampled_from(spec.designs))
    factor = draw(floats(0.0, 3.0))
    instruments = [i.with_level(i.size * factor) for i in design.instruments]
    return model, cg.Design(design.name, instruments)


@pytest.mark.slow
@settings(max_examples=25, **SETTINGS)
@given(st.data())
def test_fast_evaluation_agrees_with_the_exhaustive_reference_at_full_size(data):
    # 58 actors in 5 types (87,048 count vectors): too many profiles for brute force, so the
    # reference lists the equilibria by the type-count test with every V(m ± e_r) recomputed.
    spec = cg.load_model()
    model, design = _default_cell(data.draw, spec)
    with degenerate_warnings_allowed():
        fast = evaluate_design(model, design)
        reference = _rebuilt(design.apply(model))
        eqs = cg.solve(reference.game, method="types", neighbours="recompute")
    least, greatest = eqs.least.joined, eqs.greatest.joined
    scale = model.prob * model.harm
    _assert_metrics_close(fast.worst, outcome_metrics(reference, design, least), scale)
    _assert_metrics_close(fast.best, outcome_metrics(reference, design, greatest), scale)
    assert fast.n_equilibria == eqs.n_equilibria
    assert fast.full_participation_unique == eqs.full_participation_unique


@pytest.mark.parametrize(
    ("prob", "harm", "join_cost", "threshold", "factor"),
    [(0.5, 2000.0, 1.0, 0.0, 0.25), (0.21875, 43964.0, 1.25, 25.0, 0.75)],
)
def test_equilibria_that_tie_on_count_and_coverage_give_the_same_ends(
    prob, harm, join_cost, threshold, factor
):
    # Weak assurance contracts: about 1.5e12 and 2.1e12 equilibrium profiles, and several
    # class-count vectors at each end with the same count and the same coverage (to the last
    # bit, or not, depending on how the sum was formed) but different robustness. The fast
    # evaluation lists only the two ends, the reference every vector: both must order the
    # ties the same way (found by a random search of the property above).
    spec = cg.load_model()
    model = spec.policy_model().set("preparedness.prob", prob).set("preparedness.harm", harm)
    model = model.scale("actors.*.registry.join_cost", join_cost)
    model = model.set("participation.threshold", threshold)
    (design,) = [d for d in spec.designs if d.name == "assurance"]
    design = cg.Design(design.name, [i.with_level(i.size * factor) for i in design.instruments])
    with degenerate_warnings_allowed():
        fast = evaluate_design(model, design)
        reference = _rebuilt(design.apply(model))
        eqs = cg.solve(reference.game, method="types", neighbours="recompute")
    ends = (eqs.least.count, eqs.greatest.count)
    assert sum(e.count in ends for e in eqs) > 2  # the case this test is about
    scale = model.prob * model.harm
    _assert_metrics_close(fast.worst, outcome_metrics(reference, design, eqs.least.joined), scale)
    _assert_metrics_close(fast.best, outcome_metrics(reference, design, eqs.greatest.joined), scale)


def test_the_default_designs_agree_with_the_exhaustive_reference():
    spec = cg.load_model()
    model = spec.policy_model()
    for design in spec.designs:
        fast = evaluate_design(model, design)
        reference = _rebuilt(design.apply(model))
        eqs = cg.solve(reference.game, method="types", neighbours="recompute")
        scale = model.prob * model.harm
        _assert_metrics_close(
            fast.worst, outcome_metrics(reference, design, eqs.least.joined), scale
        )
        _assert_metrics_close(
            fast.best, outcome_metrics(reference, design, eqs.greatest.joined), scale
        )
        assert (fast.n_equilibria, fast.full_participation_unique) == (
            eqs.n_equilibria,
            eqs.full_participation_unique,
        )


@settings(max_examples=60, **SETTINGS)
@given(st.data())
def test_class_counts_find_every_equilibrium_with_unequal_costs_in_a_class(data):
    # Random games whose actors fall into classes of equal share and contribution but with
    # their own joining costs and incentives (as per-actor cost shocks make them), with
    # assurance refunds and every critical-mass curve: all three ways of testing the count
    # vectors count exactly the profiles that brute force finds, and report the least and the
    # greatest by (participation, coverage).
    game = participation_game(data, classes=True, max_classes=4, max_size=5, efficacy=1.0)
    profiles = brute_force_equilibria(game)
    if profiles is None:
        return
    keys = sorted((int(p.sum()), float(game.coverage(p))) for p in profiles)
    listed = {}
    with degenerate_warnings_allowed():
        for way in ("tensor", "lookup", "recompute"):
            eqs = cg.solve(game, method="types", neighbours=way)
            assert eqs.complete and eqs.n_equilibria == len(profiles), way
            assert all(e.max_regret <= 1e-9 * max(1.0, game.scale) for e in eqs), way
            if keys:
                assert (eqs.least.count, eqs.greatest.count) == (keys[0][0], keys[-1][0])
                assert eqs.least.coverage == pytest.approx(keys[0][1], abs=1e-12)
                assert eqs.greatest.coverage == pytest.approx(keys[-1][1], abs=1e-12)
            listed[way] = [(e.joined.tolist(), e.n_profiles, e.kind) for e in eqs]
    assert listed["tensor"] == listed["lookup"] == listed["recompute"]


@settings(max_examples=40, **SETTINGS)
@given(st.data())
def test_newton_rent_agrees_with_bisection(data):
    # The lognormal response cost given as a scipy distribution takes the general path
    # (bisection, partial expectation by quadrature): the same fixed point to 1e-8.
    n = data.draw(st.integers(1, 4))
    median, sigma = data.draw(floats(0.05, 3.0)), data.draw(floats(0.3, 1.5))
    columns = dict(
        capacity=1.0,
        bond=[data.draw(floats(0.0, 3.0)) for _ in range(n)],
        liability=[data.draw(floats(0.0, 3.0)) for _ in range(n)],
        incentive=[data.draw(floats(0.0, 2.0)) for _ in range(n)],
        join_cost=[data.draw(floats(0.0, 1.0)) for _ in range(n)],
        share=0.5 / n,
        response_benefit=[data.draw(floats(0.0, 10.0)) for _ in range(n)],
        discount=data.draw(floats(0.05, 0.95)),
        carry_rate=data.draw(floats(0.0, 0.2)),
        trigger_prob=data.draw(floats(0.01, 1.0)),
    )
    newton = CommitmentModel(
        response_cost_median=median, response_cost_sigma=sigma, **columns
    ).rent()
    bisection = CommitmentModel(
        response_cost=stats.lognorm(s=sigma, scale=median), **columns
    ).rent()
    np.testing.assert_allclose(newton, bisection, rtol=1e-8, atol=1e-9)


def test_derived_models_are_normalized_without_rechecking():
    # Inside a derived block the rules are not checked, but the arrays are normalized.
    table = cg.ActorTable(share=[0.2, 0.3])
    with derived():
        assert not checking_rules()
        bad = table.replace(join_cost=[-1.0, 2.0])  # a rule broken on purpose
    assert bad.join_cost.flags.writeable is False and bad.join_cost.shape == (2,)
    assert checking_rules()
    with pytest.raises(cg.InvalidParameterError, match="join_cost"):
        table.replace(join_cost=[-1.0, 2.0])
