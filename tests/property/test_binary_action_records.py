"""Records of games where every player has two actions, built in batches (hypothesis).

``binary_action_equilibria`` (exact checks with integers, float certificates for all profiles
at once) must give, field for field, the record :func:`make_equilibrium` builds from the same
profile (exact fields exactly, the float certificate to rounding); and the support-pattern solver must list the records that
certifying each equilibrium it finds one by one with :func:`make_equilibrium` gives.
Games: integer, continuous, scaled-integer (snapped to exact) and Fraction payoffs, and
degenerate ones (few distinct payoffs, a player indifferent everywhere), N = 2..5.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import coordgap as cg
from coordgap.solvers import n_player
from coordgap.solvers.certify import exact_binary_actions
from coordgap.solvers.normal_form import (
    SNAP_DENOMINATOR,
    SNAP_TOL,
    _snap,
    binary_action_equilibria,
    make_equilibrium,
    normalized,
    rebase,
)
from coordgap.tolerances import SAME_POINT

SETTINGS = dict(deadline=None, max_examples=40)
KINDS = ("integer", "normal", "spread", "scaled", "ties", "indifferent", "fraction", "fortran")


def _payoffs(rng, n: int, kind: str):
    shape = (2,) * n + (n,)
    if kind == "integer":
        return rng.integers(-10, 11, size=shape)
    if kind == "normal":
        return rng.normal(size=shape)
    if kind == "spread":  # magnitudes 1e-3 to 1e3: sums in another order round differently
        return rng.normal(size=shape) * 10.0 ** rng.integers(-3, 4, size=shape)
    if kind == "scaled":  # floats that are an affine image of integers: solved exactly
        return rng.integers(-10, 11, size=shape) * 0.37 + 1.5
    if kind == "ties":
        return rng.integers(-1, 2, size=shape)
    if kind == "indifferent":
        values = rng.integers(-3, 4, size=shape)
        i = int(rng.integers(n))
        values[..., i] = np.take(values[..., i], [0], axis=i)
        return values
    if kind == "fraction":
        values = np.empty(shape, dtype=object)
        values.flat[:] = [
            Fraction(int(v), int(d))
            for v, d in zip(
                rng.integers(-6, 7, size=values.size), rng.integers(1, 5, size=values.size)
            )
        ]
        return values
    return np.asfortranarray(rng.normal(size=shape))  # a payoff array in Fortran order


def _close(x, y, scale) -> bool:
    """Floats equal to a few units in the last place of the game's payoff scale.

    The batch forms the contractions' products and sums in numpy's current order, so today
    they agree bit for bit; a numpy that sums in another order may move the last bits, which
    is not an error of the certificate.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return bool(np.all(np.abs(x - y) <= 16 * np.finfo(float).eps * scale))


def _same(a, b) -> bool:
    """Every field equal: exact records bit for bit, float certificates to rounding."""
    if a.exact or b.exact:  # floats of exact Fractions
        floats_equal = (
            a.payoffs.tobytes() == b.payoffs.tobytes()
            and a.regrets.tobytes() == b.regrets.tobytes()
            and repr(a.max_regret) == repr(b.max_regret)
        )
    else:
        scale = max(1.0, float(np.abs(a.payoffs).max()), float(np.abs(b.payoffs).max()))
        floats_equal = (
            _close(a.payoffs, b.payoffs, scale)
            and _close(a.regrets, b.regrets, scale)
            and _close(a.max_regret, b.max_regret, scale)
        )
    return (
        floats_equal
        and len(a.strategies) == len(b.strategies)
        and all(x.tobytes() == y.tobytes() for x, y in zip(a.strategies, b.strategies))
        and a.support == b.support
        and a.exact == b.exact
        and a.exact_strategies == b.exact_strategies
        and a.kind == b.kind
    )


def _profile(probabilities):
    return [[p, 1 - p] for p in probabilities]


def _exact_probability(rng) -> Fraction:
    draw = rng.random()
    if draw < 0.25:
        return Fraction(int(draw < 0.125))
    return Fraction(int(rng.integers(1, 12)), 12)


@settings(**SETTINGS)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(2, 5),
    kind=st.sampled_from(KINDS),
    count=st.integers(1, 12),
)
def test_batch_records_equal_make_equilibrium(seed, n, kind, count):
    rng = np.random.default_rng(seed)
    game = cg.NormalFormGame(_payoffs(rng, n, kind))
    # float profiles, some of them pure or partly pure, and the game's equilibria (regrets at
    # rounding level, where a sum in another order shows)
    floats = rng.random((count, n))
    floats[rng.random((count, n)) < 0.3] = rng.integers(0, 2)
    rows = floats.tolist()
    if n < 5 or kind in ("integer", "normal", "spread", "scaled"):
        rows += [[float(s[0]) for s in e.strategies] for e in cg.solve(game)]
    made = binary_action_equilibria(game, rows)
    for row, record in zip(rows, made):
        assert _same(record, make_equilibrium(game, _profile(row)))
    # exact profiles: random ones (most are not equilibria) and the game's equilibria
    solved, how = normalized(game)
    if how == "float":
        return
    rows = [[_exact_probability(rng) for _ in range(n)] for _ in range(count)]
    rows += [
        [s[0] for s in e.exact_strategies]
        for e in cg.solve(solved, method="pure")
        if e.exact_strategies is not None
    ]
    check = None if game.is_exact else solved.exact_payoffs
    made = binary_action_equilibria(game, rows, exact=True, check=check)
    for row, record in zip(rows, made):
        on_solved = make_equilibrium(solved, _profile(row), exact=True)
        if on_solved.max_regret != 0.0:
            assert record is None
            continue
        expected = make_equilibrium(game, _profile(row), exact=True)
        assert record is not None and _same(record, expected)


def _reference_records(solved, game, found):
    """Each equilibrium certified on its own with :func:`make_equilibrium`."""
    out = []
    for pattern, mixing, point, _ in found:
        record = None
        if solved.is_exact:
            exact_point = [
                v if isinstance(v, Fraction) else Fraction(float(v)).limit_denominator(10**6)
                for v in point
            ]
            if all(
                isinstance(v, Fraction) or abs(float(v) - float(e)) < SAME_POINT
                for v, e in zip(point, exact_point)
            ):
                probabilities = [
                    Fraction(c) if c is not None else exact_point[mixing.index(j)]
                    for j, c in enumerate(pattern)
                ]
                on_solved = make_equilibrium(solved, _profile(probabilities), exact=True)
                if on_solved.max_regret == 0.0:
                    record = rebase(on_solved, game)
        if record is None:
            probabilities = [
                float(c) if c is not None else float(point[mixing.index(j)])
                for j, c in enumerate(pattern)
            ]
            record = make_equilibrium(game, _profile(probabilities))
        out.append(record)
    return out


def _check_solver(game):
    batched = n_player._records
    seen = []

    def both(solved, game, found):
        records = batched(solved, game, found)
        seen.append((records, _reference_records(solved, game, found)))
        return records

    n_player._records = both
    try:
        eqs = n_player.solve_binary_actions(game)
    finally:
        n_player._records = batched
    for records, reference in seen:
        assert len(records) == len(reference)
        for a, b in zip(records, reference):
            assert _same(a, b)
    return eqs


@settings(**SETTINGS)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(2, 5),
    kind=st.sampled_from(KINDS),
)
def test_solver_records_equal_one_by_one(seed, n, kind):
    rng = np.random.default_rng(seed)
    if n == 5 and kind in ("ties", "indifferent", "fraction"):
        kind = "integer"  # degenerate five-player games can take seconds (exact algebra)
    eqs = _check_solver(cg.NormalFormGame(_payoffs(rng, n, kind)))
    assert all(e.max_regret == 0.0 for e in eqs if e.exact)


@pytest.mark.parametrize("n", [3, 4, 5])
def test_threshold_public_good_records(n):
    """Snapped float games with many mixed records: the same as one by one."""
    mixed = []
    for t in range(2, n + 1):
        game = cg.SymmetricBinaryGame.threshold_public_good(
            n, t, benefit=3.0, cost=1.0
        ).to_normal_form()
        assert normalized(game)[1] == "snapped"
        eqs = _check_solver(game)
        mixed += [e for e in eqs if e.kind == "mixed" and e.exact_strategies is not None]
    assert mixed


@settings(**SETTINGS)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(2, 5),
    count=st.integers(1, 40),
    digits=st.sampled_from([1, 6, 12]),
)
def test_exact_action_values_batched_as_one_by_one(seed, n, count, digits):
    """Many profiles at once (int64, or Python integers when a sum could overflow) give the
    action values that each profile alone gives, and they are the exact ones."""
    rng = np.random.default_rng(seed)
    tables = np.empty((n, 2, 1 << (n - 1)), dtype=object)
    tables.flat[:] = [int(v) for v in rng.integers(-1000, 1001, size=tables.size)]
    dens = [[int(d) for d in rng.integers(1, 10**digits, size=n)] for _ in range(count)]
    nums = [[int(rng.integers(0, d + 1)) for d in row] for row in dens]
    values, expected = exact_binary_actions(tables, nums, dens)
    for k in range(count):
        one_values, one_expected = exact_binary_actions(tables, [nums[k]], [dens[k]])
        assert [tuple(v) for v in values[k]] == [tuple(v) for v in one_values[0]]
        assert list(expected[k]) == list(one_expected[0])
        probabilities = [Fraction(a, d) for a, d in zip(nums[k], dens[k])]
        for i in range(n):
            others = [j for j in range(n) if j != i]
            scale = math.prod(dens[k][j] for j in others)
            for a in range(2):
                exact = sum(
                    tables[i, a, c]
                    * math.prod(
                        probabilities[j] if not c >> (n - 2 - m) & 1 else 1 - probabilities[j]
                        for m, j in enumerate(others)
                    )
                    for c in range(1 << (n - 1))
                )
                assert values[k][i][a] == exact * scale


def _same_array(a, b) -> bool:
    if a is None or b is None:
        return a is b
    if a.dtype == object:
        return a.shape == b.shape and all(
            type(x) is type(y) and x == y for x, y in zip(a.flat, b.flat)
        )
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@settings(**SETTINGS)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 4), kind=st.sampled_from(KINDS))
def test_normalized_game_as_constructed(seed, n, kind):
    """The normalized game (built without the constructor's checks) is the game the
    constructor builds from its payoffs: floats bit for bit, the same Fractions, labels,
    read-only arrays."""
    game = cg.NormalFormGame(
        _payoffs(np.random.default_rng(seed), n, kind),
        players=[f"p{i}" for i in range(n)],
        title="t",
    )
    solved, _ = normalized(game)
    source = solved.exact_payoffs if solved.is_exact else solved.payoffs
    built = cg.NormalFormGame(source, players=game.players, actions=game.actions, title="t")
    assert _same_array(solved.payoffs, built.payoffs)
    assert _same_array(solved.exact_payoffs, built.exact_payoffs)
    assert (solved.players, solved.actions, solved.title) == (
        built.players,
        built.actions,
        built.title,
    )
    assert not solved.payoffs.flags.writeable
    assert solved.exact_payoffs is None or not solved.exact_payoffs.flags.writeable


def _snap_reference(values):
    """``_snap`` as first written: limit_denominator on every distinct value."""
    unique, inverse = np.unique(values, return_inverse=True)
    fractions: list[Fraction] = []
    for v in unique.tolist():
        f = Fraction(v).limit_denominator(SNAP_DENOMINATOR)
        if abs(v - f) > SNAP_TOL or (fractions and f == fractions[-1]):
            return None
        fractions.append(f)
    return [fractions[k] for k in inverse.ravel()]


@settings(deadline=None, max_examples=300)
@given(
    seed=st.integers(0, 2**32 - 1),
    size=st.integers(1, 40),
    kind=st.sampled_from(["scaled", "two scales", "float", "boundary", "close pair"]),
    span=st.sampled_from([1, 2, 7, 60, 5_000, 10_000, 10_007, 30_000]),
)
def test_snap_as_limit_denominator(seed, size, kind, span):
    """The snapped fractions (or None) are those of limit_denominator on every value,
    including values at the tolerance's edge and near fractions of other denominators."""
    rng = np.random.default_rng(seed)
    if kind == "scaled":  # an affine image of integers
        values = rng.integers(0, span + 1, size=size) / span
    elif kind == "two scales":  # denominators whose least common multiple may be too large
        other = int(rng.integers(1, 200))
        values = np.concatenate(
            (
                rng.integers(0, span + 1, size=size) / span,
                rng.integers(0, other + 1, size=3) / other,
            )
        )
    elif kind == "float":
        values = rng.random(size)
    elif kind == "boundary":  # within a few ulps of SNAP_TOL from a fraction
        q = rng.choice([int(rng.integers(1, span + 1)), span], size=size)
        p = np.array([int(rng.integers(0, k + 1)) for k in q])
        step = SNAP_TOL * (1 + rng.integers(-4, 5, size=size) * 2.0**-52)
        values = p / q + rng.choice([-1.0, 1.0], size=size) * step
    else:  # two fractions' worth of values a denominator-limited step apart
        q = int(rng.integers(1, SNAP_DENOMINATOR + 1))
        values = np.array([1 / q, 1 / q + 1e-9, 1 / (q + 1)] * (1 + size // 3))
    values = np.clip(values, 0.0, 1.0).reshape(-1, 1)
    expected, got = _snap_reference(values), _snap(values)
    if expected is None:
        assert got is None
    else:
        assert got is not None and [(f.numerator, f.denominator) for f in got] == [
            (f.numerator, f.denominator) for f in expected
        ]
