"""The fast N-player path against independent methods.

Support patterns are pruned by conditional dominance before any system is solved, the branch
and bound runs on many systems at once, and the closed forms run on integer tensors. Each is
checked here against a route that does without it: the unpruned enumeration, an exact
re-derivation of the pruning rule, one system at a time, Fractions.
"""

import itertools
from fractions import Fraction

import numpy as np
import pytest

import coordgap as cg
from coordgap.solvers import n_player
from coordgap.solvers.multilinear import batch_unit_box_roots, unit_box_roots
from coordgap.solvers.normal_form import normalized
from coordgap.tolerances import GAIN_TOL


def _points(records):
    return sorted(tuple(np.concatenate(r.strategies).round(9)) for r in records)


def _games(seed, count):
    """Random games, most of them degenerate: ties, weakly dominated actions, continua."""
    rng = np.random.default_rng(seed)
    for k in range(count):
        n = 3 + k % 2
        shape = (2,) * n + (n,)
        kind = k % 4
        if kind == 0:  # payoffs in {-1, 0, 1}: ties everywhere
            yield rng.integers(-1, 2, size=shape)
        elif kind == 1:
            yield rng.integers(-3, 4, size=shape)
        elif kind == 2:  # player 0's action 1 weakly dominated (equal on half the profiles)
            p = rng.integers(-2, 3, size=shape)
            p[(1,) + (slice(None),) * (n - 1) + (0,)] = p[(0,) + (slice(None),) * (n - 1) + (0,)]
            p[(1, 0) + (slice(None),) * (n - 2) + (0,)] -= rng.integers(0, 2, size=(2,) * (n - 2))
            yield p
        else:
            yield rng.normal(size=shape)


@pytest.mark.parametrize("seed", range(3))
def test_pruned_enumeration_matches_the_unpruned_one(seed):
    for payoffs in _games(seed, 12):
        game = cg.NormalFormGame(payoffs)
        solved, _ = normalized(game)
        for algebra in ("auto", "subdivision"):
            fast = n_player._solve_patterns(solved, game, algebra)
            full = n_player._solve_patterns(solved, game, algebra, prune=False)
            assert _points(n_player._dedupe(fast[0])) == _points(n_player._dedupe(full[0]))
            assert [r.exact for r in fast[0]] == [r.exact for r in full[0]]
            assert fast[2] == full[2]  # the same segments, in the same order
            # A continuum where some pure player's action is strictly worse holds no
            # equilibrium: pruning may only remove such reports, never add one.
            assert set(fast[1]) <= set(full[1])
            dropped = set(full[1]) - set(fast[1])
            _, codes = n_player._pattern_table(game.n_players)
            names = [n_player._pattern_name(p) for p in n_player._pattern_table(game.n_players)[0]]
            alive = n_player._surviving_patterns(
                [np.asarray(t, float) for t in n_player._corner_tensors(solved)], codes
            )
            assert all(not alive[names.index(name)] for name in dropped)


def _pattern_of(record):
    return (
        tuple(None if 0 < s[0] < 1 else (1 if s[0] == 1 else 0) for s in record.exact_strategies)
        if record.exact_strategies is not None
        else tuple(None if 0 < s[0] < 1 else (1 if s[0] == 1 else 0) for s in record.strategies)
    )


@pytest.mark.parametrize("seed", range(4))
def test_no_equilibrium_lies_in_a_pruned_pattern(seed):
    for payoffs in _games(100 + seed, 16):
        game = cg.NormalFormGame(payoffs)
        solved, _ = normalized(game)
        records, _, _ = n_player._solve_patterns(solved, game, "auto", prune=False)
        patterns, codes = n_player._pattern_table(game.n_players)
        alive = n_player._surviving_patterns(
            [np.asarray(t, float) for t in n_player._corner_tensors(solved)], codes
        )
        for r in records:
            assert alive[patterns.index(_pattern_of(r))]


@pytest.mark.parametrize("seed", range(3))
def test_pruning_rule_matches_an_exact_rederivation(seed):
    # The vectorized face extremes against the rule spelt out pattern by pattern, in exact
    # arithmetic over every corner of the face.
    for payoffs in _games(200 + seed, 12):
        game = cg.NormalFormGame(payoffs)
        solved, _ = normalized(game)
        tensors = n_player._corner_tensors(solved)
        patterns, codes = n_player._pattern_table(game.n_players)
        alive = n_player._surviving_patterns([np.asarray(t, float) for t in tensors], codes)
        for number, pattern in enumerate(patterns):
            mixing = [j for j, c in enumerate(pattern) if c is None]
            faces = [
                [Fraction(tensors[i][tuple(corner)]) for corner in _face(pattern)]
                for i in range(game.n_players)
            ]
            dead = any(min(faces[i]) > 0 or max(faces[i]) < 0 for i in mixing) or (
                len(mixing) != 1
                and any(
                    (max(faces[i]) < -GAIN_TOL) if c == 1 else (min(faces[i]) > GAIN_TOL)
                    for i, c in enumerate(pattern)
                    if c is not None
                )
            )
            assert alive[number] == (not dead), pattern


def _face(pattern):
    choices = [(0, 1) if c is None else (c,) for c in pattern]
    return itertools.product(*choices)


def test_weakly_dominated_strategy_and_segments_are_kept():
    # Player 0 is indifferent when player 1 takes action 0 and strictly prefers action 0
    # otherwise (action 1 weakly dominated); players 1 and 2 coordinate. Segments of
    # equilibria where player 0 mixes must survive the pruning with their ends listed.
    payoffs = np.zeros((2, 2, 2, 3), dtype=int)
    for a in itertools.product(range(2), repeat=3):
        payoffs[a + (0,)] = 0 if a[1] == 0 else (1 if a[0] == 0 else 0)
        payoffs[a + (1,)] = int(a[1] == a[2])
        payoffs[a + (2,)] = int(a[1] == a[2])
    game = cg.NormalFormGame(payoffs)
    solved, _ = normalized(game)
    fast = n_player._solve_patterns(solved, game, "auto")
    full = n_player._solve_patterns(solved, game, "auto", prune=False)
    assert fast[2] == full[2] and fast[2]
    assert _points(n_player._dedupe(fast[0])) == _points(n_player._dedupe(full[0]))
    eqs = cg.solve(game)
    assert eqs.continuum and eqs.success
    assert all(e.max_regret == 0.0 for e in eqs)


@pytest.mark.parametrize("k", [2, 3, 4])
def test_batched_roots_match_one_system_at_a_time(k):
    rng = np.random.default_rng(k)
    systems = rng.normal(size=(12, k) + (2,) * k)
    batched = batch_unit_box_roots(systems)
    for system, (roots, certain) in zip(systems, batched):
        alone, sure = unit_box_roots(system)
        assert certain and sure
        assert sorted(roots.round(9).tolist()) == sorted(alone.round(9).tolist())
        for r in roots:  # each a root, in the open box
            assert np.all((r > 0) & (r < 1))
            value = [
                sum(
                    system[i][c] * np.prod([r[j] if c[j] else 1 - r[j] for j in range(k)])
                    for c in itertools.product((0, 1), repeat=k)
                )
                for i in range(k)
            ]
            assert np.max(np.abs(value)) < 1e-10


def test_batched_roots_agree_with_exact_algebra():
    # Integer systems in two and three unknowns: sympy's Groebner bases are the reference.
    import sympy

    from coordgap.solvers.exact_polynomial import solve_system

    rng = np.random.default_rng(5)
    for k in (2, 3):
        systems = rng.integers(-4, 5, size=(10, k) + (2,) * k)
        batched = batch_unit_box_roots(systems)
        p = sympy.symbols(f"p0:{k}")
        for system, (roots, certain) in zip(systems, batched):
            eqs = [
                sympy.expand(
                    sum(
                        int(system[i][c])
                        * sympy.Mul(*[p[j] if c[j] else 1 - p[j] for j in range(k)])
                        for c in itertools.product((0, 1), repeat=k)
                    )
                )
                for i in range(k)
            ]
            exact = solve_system(eqs, list(p))
            if exact is None or not certain:
                continue  # a continuum: not isolated by either method
            want = sorted([float(pt[v]) for v in p] for pt in exact)
            want = [w for w in want if all(1e-12 < x < 1 - 1e-12 for x in w)]
            assert sorted(roots.round(9).tolist()) == [list(np.round(w, 9)) for w in want]


def test_constraints_only_drop_roots_that_violate_them():
    rng = np.random.default_rng(11)
    systems = rng.normal(size=(20, 3, 2, 2, 2))
    constraints = rng.normal(size=(20, 2, 2, 2, 2))
    free = batch_unit_box_roots(systems)
    held = batch_unit_box_roots(systems, constraints, constraint_tol=GAIN_TOL)
    weights = n_player._point_weights
    for (roots, _), (kept, certain), cons in zip(free, held, constraints):
        assert certain
        ok = [r for r in roots if np.all(weights(r[None]) @ cons.reshape(2, -1).T >= -GAIN_TOL)]
        assert sorted(np.round(ok, 9).tolist()) == sorted(
            [
                r
                for r in kept.round(9).tolist()
                if np.all(weights(np.array(r)[None]) @ cons.reshape(2, -1).T >= -GAIN_TOL)
            ]
        )


@pytest.mark.parametrize("seed", range(3))
def test_closed_forms_on_integer_tensors_equal_those_on_fractions(seed):
    rng = np.random.default_rng(seed)
    for payoffs in (rng.normal(size=(2,) * 4 + (4,)), rng.integers(-9, 10, size=(2,) * 4 + (4,))):
        solved, _ = normalized(cg.NormalFormGame(payoffs))
        tensors = n_player._corner_tensors(solved)
        exact = [
            np.vectorize(Fraction, otypes=[object])(np.asarray(t, dtype=object)) for t in tensors
        ]
        ints = n_player._integer_tensors(tensors)
        assert ints is not None and all(isinstance(v, int) for t in ints for v in t.flat)
        for pattern in itertools.product((1, 0, None), repeat=4):
            mixing = [j for j, c in enumerate(pattern) if c is None]
            if len(mixing) in (1, 2):
                a = n_player._affine_pattern_solutions(ints, pattern, mixing)
                b = n_player._affine_pattern_solutions(exact, pattern, mixing)
            elif len(mixing) == 3:
                a = n_player._three_mixer_solutions(ints, pattern, mixing)
                b = n_player._three_mixer_solutions(exact, pattern, mixing)
            else:
                continue
            assert (a is None) == (b is None)
            for u, v in zip(a or [], b or [], strict=True):
                for x, y in zip(u, v, strict=True):
                    # rational solutions are the same Fractions; irrational ones floats
                    assert type(x) is type(y)
                    assert x == y if isinstance(x, Fraction) else abs(x - y) < 1e-12


def test_random_five_player_games_against_the_unpruned_enumeration():
    rng = np.random.default_rng(3)
    for payoffs in (rng.integers(-10, 11, size=(2,) * 5 + (5,)), rng.normal(size=(2,) * 5 + (5,))):
        game = cg.NormalFormGame(payoffs)
        solved, _ = normalized(game)
        fast = n_player._solve_patterns(solved, game, "auto")
        full = n_player._solve_patterns(solved, game, "auto", prune=False)
        assert _points(fast[0]) == _points(full[0])
        eqs = cg.solve(game)
        assert eqs.complete and eqs.success
        if payoffs.dtype.kind == "f":  # generic: an odd number of equilibria (Wilson)
            assert len(eqs) % 2 == 1 and not eqs.continuum


@pytest.mark.parametrize("seed", range(3))
def test_gain_tensors_from_integers_equal_those_from_fractions(seed):
    """The exact route of ``_float_and_integer_tensors`` (payoffs over a common denominator)
    gives the floats of the Fraction gain tensors bit for bit and their integer tensors."""
    rng = np.random.default_rng(seed)
    for n in (2, 3, 4, 5):
        shape = (2,) * n + (n,)
        payoffs = np.empty(shape, dtype=object)
        payoffs.flat[:] = [
            Fraction(int(a), int(b))
            for a, b in zip(rng.integers(-50, 51, payoffs.size), rng.integers(1, 12, payoffs.size))
        ]
        for game in (cg.NormalFormGame(payoffs), cg.NormalFormGame(rng.integers(-3, 4, shape))):
            solved, how = normalized(game)
            assert how == "exact"
            floats, ints = n_player._float_and_integer_tensors(solved, None)
            tensors = n_player._corner_tensors(solved)
            expected = n_player._integer_tensors(tensors)
            for f, t, a, b in zip(floats, tensors, ints, expected):
                reference = np.asarray(t, dtype=float)
                assert f.shape == reference.shape and f.tobytes() == reference.tobytes()
                assert a.shape == b.shape and a.tolist() == b.tolist()
                assert all(type(v) is int for v in a.flat)


def test_integer_tensors_of_floats_as_of_their_fractions():
    """Float gain tensors give the integer tensors of their exact Fractions; None when some
    entry is not finite."""
    rng = np.random.default_rng(5)
    floats = [rng.normal(size=(2, 2, 2)) * 10.0 ** rng.integers(-5, 6, size=(2, 2, 2))]
    floats.append(np.zeros((2, 2, 2)))
    as_fractions = []
    for t in floats:
        exact = np.empty(t.shape, dtype=object)
        exact.flat[:] = [Fraction(v) for v in t.ravel().tolist()]
        as_fractions.append(exact)
    got, expected = n_player._integer_tensors(floats), n_player._integer_tensors(as_fractions)
    assert [a.tolist() for a in got] == [b.tolist() for b in expected]
    assert all(type(v) is int for a in got for v in a.flat)
    assert n_player._integer_tensors([np.array([[1.0, np.inf], [0.0, 2.0]])]) is None
    assert n_player._integer_tensors([np.array([[1.0, np.nan], [0.0, 2.0]])]) is None


@pytest.mark.parametrize("seed", range(3))
def test_ordered_dedupe_sorts_as_the_strategy_key(seed):
    """Deduplicated and ordered at once: the order of a stable sort by the negated strategies,
    ties (equal strategies within ``SAME_POINT`` are dropped, exact ones kept apart) included."""
    for payoffs in _games(seed, 4):
        game = cg.NormalFormGame(payoffs)
        solved, _ = normalized(game)
        found = n_player._solve_patterns(solved, game, "auto", prune=False)[0]
        found = found + found[:2]  # duplicates
        expected = sorted(
            n_player._dedupe(found), key=lambda e: tuple(-np.concatenate(e.strategies))
        )
        got = n_player._dedupe(found, ordered=True)
        assert [id(e) for e in got] == [id(e) for e in expected]
