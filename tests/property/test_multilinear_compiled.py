"""The compiled branch and bound against the array version and against exact algebra.

Both run the same tests on the same boxes, so they must settle every system the same way and
list the same roots (to rounding); the array version is itself checked against one system at
a time and against sympy in ``tests/test_n_player_fast.py``. Skipped where numba is not
installed.
"""

import itertools

import numpy as np
import pytest

import coordgap as cg
from coordgap.errors import InvalidParameterError
from coordgap.solvers import compiled
from coordgap.solvers.multilinear import batch_unit_box_roots
from coordgap.tolerances import GAIN_TOL

pytest.importorskip("numba")


def _same(left, right):
    """The same verdict per system, and the same roots where it is certain (the roots of an
    unsettled system are those of the boxes visited so far, which the callers discard)."""
    assert len(left) == len(right)
    for (a, sure_a), (b, sure_b) in zip(left, right):
        assert sure_a == sure_b
        if sure_a:
            assert sorted(a.round(9).tolist()) == sorted(b.round(9).tolist())


def _residual(system, root):
    k = len(root)
    return max(
        abs(
            sum(
                system[i][c] * np.prod([root[j] if c[j] else 1 - root[j] for j in range(k)])
                for c in itertools.product((0, 1), repeat=k)
            )
        )
        for i in range(k)
    )


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
def test_random_systems_give_the_same_roots(k):
    rng = np.random.default_rng(100 + k)
    systems = rng.normal(size=(15, k) + (2,) * k)
    constraints = rng.normal(size=(15, 2) + (2,) * k)
    for cons in (None, constraints):
        arrays = batch_unit_box_roots(systems, cons, constraint_tol=GAIN_TOL, engine="numpy")
        fast = batch_unit_box_roots(systems, cons, constraint_tol=GAIN_TOL, engine="numba")
        _same(arrays, fast)
        for system, (roots, _) in zip(systems, fast):
            for r in roots:  # each a root, strictly inside the box
                assert np.all((r > 0) & (r < 1))
                assert _residual(system, r) < 1e-10


def test_integer_systems_with_ties_and_the_budget():
    # Small integer corner values: double roots and continua that no box settles, so some
    # systems end uncertain — and must do so on both engines, also when the budget runs out.
    rng = np.random.default_rng(7)
    systems = rng.integers(-1, 2, size=(40, 3, 2, 2, 2))
    for budget in (200_000, 50):
        _same(
            batch_unit_box_roots(systems, max_boxes=budget, engine="numpy"),
            batch_unit_box_roots(systems, max_boxes=budget, engine="numba"),
        )
    assert not all(sure for _, sure in batch_unit_box_roots(systems, engine="numba"))


@pytest.mark.parametrize("n", [4, 5])
def test_games_list_the_same_equilibria(n):
    rng = np.random.default_rng(n)
    for kind in range(3):
        shape = (2,) * n + (n,)
        payoffs = (
            rng.integers(-10, 11, size=shape),
            rng.normal(size=shape),
            rng.integers(-2, 3, size=shape),
        )[kind]
        game = cg.NormalFormGame(payoffs)
        arrays = cg.solve(game, engine="numpy")
        fast = cg.solve(game, engine="numba")
        assert arrays.complete == fast.complete
        assert len(arrays) == len(fast)
        for a, b in zip(arrays, fast):
            assert a.support == b.support and a.exact == b.exact
            for x, y in zip(a.strategies, b.strategies):
                np.testing.assert_allclose(x, y, atol=1e-12)
            assert b.max_regret <= 1e-9


def test_the_switch_turns_the_compiled_engine_on_for_auto(monkeypatch):
    calls = []
    module = compiled._load("_multilinear_jit")
    real = module.solve_batch

    def spy(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(module, "solve_batch", spy)
    systems = np.random.default_rng(3).normal(size=(2, 4) + (2,) * 4)
    batch_unit_box_roots(systems)
    assert not calls
    with compiled.compiled_search():
        batch_unit_box_roots(systems)
    assert len(calls) == 1
    batch_unit_box_roots(systems)
    assert len(calls) == 1


def test_a_bad_engine_is_named():
    game = cg.NormalFormGame(np.zeros((2, 2, 2, 3)) + np.arange(3))
    with pytest.raises(InvalidParameterError, match="engine"):
        cg.solve(game, engine="fortran")
    with pytest.raises(InvalidParameterError, match="engine"):
        batch_unit_box_roots(np.ones((1, 1, 2)), engine="gpu")
