"""The thresholds-in-joined-capacity method (``method="cells"``) against independent references:
brute force over all 2^N profiles on random games whose actors all differ, the exhaustive
class-count test where classes make it possible, and the anonymous method on value tables."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_policy_properties import SETTINGS, brute_force_equilibria, degenerate_warnings_allowed

import coordgap as cg
from coordgap.analysis.montecarlo import perturb
from coordgap.solvers.cells import TooManyCandidates, solve_cells
from strategies import floats, participation_game


def _keys(game, profiles):
    return sorted((int(p.sum()), float(game.coverage(p))) for p in profiles)


@settings(max_examples=150, **SETTINGS)
@given(st.data())
def test_cells_find_every_equilibrium_of_games_whose_actors_all_differ(data):
    game = participation_game(data, data.draw(st.integers(1, 10)))
    profiles = brute_force_equilibria(game)
    if profiles is None:  # a gain within rounding of zero: the list depends on rounding
        return
    with degenerate_warnings_allowed():
        eqs = cg.solve(game, method="cells", limit=2**10)  # every profile listed
    assert eqs.method == "threshold-cells"
    assert eqs.complete and eqs.success
    assert eqs.n_equilibria == len(profiles)
    assert all(e.max_regret <= 1e-9 * max(1.0, game.scale) for e in eqs)
    found = {p.tobytes() for p in profiles}
    assert all(e.joined.tobytes() in found for e in eqs)  # representatives are equilibria
    keys = _keys(game, profiles)
    if keys:
        assert (eqs.least.count, eqs.greatest.count) == (keys[0][0], keys[-1][0])
        assert eqs.least.coverage == pytest.approx(keys[0][1], abs=1e-12)
        assert eqs.greatest.coverage == pytest.approx(keys[-1][1], abs=1e-12)
    full = np.ones(game.n_actors, dtype=bool)
    unique = len(profiles) == 1 and bool(np.array_equal(profiles[0], full))
    assert eqs.full_participation_unique == unique


@settings(max_examples=80, **SETTINGS)
@given(st.data())
def test_cells_list_what_the_exhaustive_class_count_test_lists(data):
    # Both test the same inequalities with V recomputed at each vector: the listings agree
    # record for record, and both agree with brute force.
    game = participation_game(data, classes=True)
    with degenerate_warnings_allowed():
        cells = cg.solve(game, method="cells", limit=2**12)
        exhaustive = cg.solve(game, method="types", neighbours="recompute", limit=2**12)
    listed = [(e.joined.tolist(), e.free.tolist(), e.n_profiles, e.kind) for e in cells]
    reference = [(e.joined.tolist(), e.free.tolist(), e.n_profiles, e.kind) for e in exhaustive]
    assert listed == reference
    assert cells.n_equilibria == exhaustive.n_equilibria
    profiles = brute_force_equilibria(game)
    if profiles is not None:
        assert cells.n_equilibria == len(profiles)


@settings(max_examples=40, **SETTINGS)
@given(st.data())
def test_cells_agree_with_the_anonymous_method_on_value_tables(data):
    n = data.draw(st.integers(1, 8))
    integers = data.draw(st.booleans())  # integer values and costs: exact indifference
    if integers:
        value = np.cumsum([float(data.draw(st.integers(0, 4))) for _ in range(n + 1)])
        cost = np.array([float(data.draw(st.integers(0, 2))) for _ in range(n)])
    else:
        value = np.cumsum([data.draw(floats(0.0, 4.0)) for _ in range(n + 1)])
        cost = np.array([data.draw(floats(0.0, 2.0)) for _ in range(n)])
    game = cg.ParticipationGame.anonymous(value, 1.0 / n, cost)
    with degenerate_warnings_allowed():
        cells = cg.solve(game, method="cells")
        anonymous = cg.solve(game, method="anonymous")
    assert cells.n_equilibria == anonymous.n_equilibria
    assert cells.least.count == anonymous.least.count
    assert cells.greatest.count == anonymous.greatest.count


def _shocked_games(n_draws, seed):
    """The packaged designs applied to the packaged model with per-actor joining-cost shocks,
    as a robustness study draws them: 58 actors in up to 41 classes."""
    spec = cg.load_model()
    model = spec.policy_model()
    rng = np.random.default_rng(seed)
    for _ in range(n_draws):
        base, _ = perturb(
            model,
            spec.designs[0],
            {"preparedness.prob": 0.05 + 0.1 * rng.random()},
        )
        base = base.scale(
            "actors.*.registry.join_cost", np.exp(0.5 * rng.standard_normal(base.n_actors))
        )
        for design in spec.designs:
            yield design.name, design.apply(base).game


def test_cells_find_more_than_best_response_iteration_and_never_less():
    # At full size brute force is out of reach. Every profile that best-response iteration
    # certifies is among the cells' equilibria, and on these draws the iteration misses
    # the greatest equilibrium at least once: the cells list holds strictly more.
    missed = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, game in _shocked_games(4, seed=0):
            cells = solve_cells(game, limit=10**6)
            lattice = cg.solve(game, method="lattice")
            assert cells.complete and cells.success, name
            found = {e.joined.tobytes() for e in cells}
            for e in lattice:
                if e.max_regret <= 0.0:
                    assert e.joined.tobytes() in found, name
            missed += cells.greatest.order_key > lattice.greatest.order_key
    assert missed >= 1


def test_auto_uses_cells_when_classes_are_too_many():
    name, game = next((n, g) for n, g in _shocked_games(1, seed=1) if n == "combined")
    eqs = cg.solve(game)
    assert eqs.method == "threshold-cells" and eqs.complete


def indifferent_game(n: int = 24):
    """Nothing at stake: every actor is indifferent, free in every cell."""
    return cg.ParticipationGame(
        share=np.full(n, 1.0 / n),
        cost=np.zeros(n),
        capacity=1.0 + np.arange(n) * 1e-3,
        prob=0.5,
        harm=0.0,
    )


def test_too_many_free_choices_give_up_and_auto_falls_back_to_iteration():
    game = indifferent_game()
    with pytest.raises(TooManyCandidates, match="max_candidates"):
        solve_cells(game, max_candidates=10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        eqs = cg.solve(game, max_candidates=10)
    assert eqs.method == "lattice-iteration"
    assert isinstance(TooManyCandidates("a", "b", "c", 1), ValueError)
