"""The compiled search of the threshold cells against the array version and brute force: the
same equilibria, record for record, on random games (actors that all differ, actor classes,
value tables, shared end points) and on the packaged designs with per-actor cost shocks."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from test_participation_cells import _shocked_games, indifferent_game
from test_policy_properties import SETTINGS, brute_force_equilibria, degenerate_warnings_allowed

import coordgap as cg
from coordgap.analysis import montecarlo
from coordgap.errors import InvalidParameterError
from coordgap.solvers.cells import TooManyCandidates, compiled_search, solve_cells
from strategies import floats, participation_game

pytest.importorskip("numba")


def _listing(eqs):
    return (
        [(e.joined.tolist(), e.free.tolist(), e.n_profiles, e.kind) for e in eqs],
        eqs.n_equilibria,
        eqs.full_participation_unique,
        eqs.complete,
    )


def _both(game, **options):
    with degenerate_warnings_allowed():
        compiled = solve_cells(game, engine="numba", **options)
        arrays = solve_cells(game, engine="numpy", **options)
    return compiled, arrays


@settings(max_examples=150, **SETTINGS)
@given(st.data())
def test_compiled_cells_list_what_the_arrays_list_when_actors_all_differ(data):
    game = participation_game(data, data.draw(st.integers(1, 10)))
    compiled, arrays = _both(game, limit=2**10)
    assert _listing(compiled) == _listing(arrays)
    profiles = brute_force_equilibria(game)
    if profiles is not None:
        assert compiled.n_equilibria == len(profiles)


@settings(max_examples=80, **SETTINGS)
@given(st.data())
def test_compiled_cells_list_what_the_arrays_list_with_actor_classes(data):
    # Equal shares and contributions within a class: many half-lines share their end points,
    # so the cells of zero width (classified at their point) matter here.
    game = participation_game(data, classes=True, max_classes=4, max_size=5)
    compiled, arrays = _both(game, limit=2**12)
    assert _listing(compiled) == _listing(arrays)
    with degenerate_warnings_allowed():
        exhaustive = cg.solve(game, method="types", neighbours="recompute", limit=2**12)
    assert compiled.n_equilibria == exhaustive.n_equilibria


@settings(max_examples=40, **SETTINGS)
@given(st.data())
def test_compiled_cells_on_value_tables(data):
    n = data.draw(st.integers(1, 8))
    value = np.cumsum([float(data.draw(st.integers(0, 4))) for _ in range(n + 1)])
    cost = np.array([data.draw(floats(0.0, 2.0)) for _ in range(n)])
    game = cg.ParticipationGame.anonymous(value, 1.0 / n, cost)
    compiled, arrays = _both(game)
    assert _listing(compiled) == _listing(arrays)


def test_compiled_cells_on_the_packaged_designs_with_cost_shocks():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, game in _shocked_games(3, seed=4):
            compiled, arrays = _both(game, limit=10**6)
            assert _listing(compiled) == _listing(arrays), name


def test_auto_prefers_the_compiled_cells_to_the_class_count_test_only_when_switched_on():
    spec = cg.load_model()
    model = spec.policy_model()
    for design in spec.designs:
        game = design.apply(model).game  # 5 classes, 87,048 class-count vectors
        plain = cg.solve(game, limit=4)
        with compiled_search():
            fast = cg.solve(game, limit=4)
        assert plain.method == "type-counts" and fast.method == "threshold-cells"
        assert _listing(fast)[:3] == _listing(plain)[:3], design.name
    with compiled_search():  # a small game keeps the class-count test
        small = cg.ParticipationGame(share=[0.3, 0.3], cost=[1.0, 2.0], prob=0.5, harm=10.0)
        assert cg.solve(small).method != "threshold-cells"


def test_compiled_cells_give_up_as_the_arrays_do():
    game = indifferent_game()
    with pytest.raises(TooManyCandidates, match="max_candidates"):
        solve_cells(game, max_candidates=10, engine="numba")


def test_an_unknown_engine_is_named():
    game = cg.ParticipationGame(share=[0.3, 0.3], cost=[1.0, 2.0], prob=0.5, harm=10.0)
    with pytest.raises(InvalidParameterError, match="engine") as err:
        solve_cells(game, engine="fortran")
    assert "fortran" in str(err.value)


def test_a_robustness_study_is_the_same_with_the_compiled_search(monkeypatch):
    spec = cg.load_model()
    model = spec.policy_model()
    kwargs = dict(
        distributions={"preparedness.prob": stats.uniform(0.05, 0.1)},
        idiosyncratic={"actors.*.registry.join_cost": stats.lognorm(0.4)},
        n=6,
        rng=3,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        monkeypatch.setattr(montecarlo, "COMPILED_MIN_EVALUATIONS", 10**9)
        arrays = cg.monte_carlo(model, spec.designs, **kwargs)
        monkeypatch.setattr(montecarlo, "COMPILED_MIN_EVALUATIONS", 0)
        compiled = cg.monte_carlo(model, spec.designs, **kwargs)
    assert compiled.draws.equals(arrays.draws)
