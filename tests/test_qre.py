"""Logit QRE: closed forms, an independent root finder, the Nash limit, bifurcation warnings."""

import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, special, stats

import coordgap as cg
from coordgap.solvers.qre import (
    QREBifurcationWarning,
    logit_residual,
    qre,
    qre_symmetric,
    symmetric_binary_table,
)
from strategies import floats

PENNIES = cg.NormalFormGame.from_bimatrix(np.array([[9, 0], [0, 1]]), np.array([[0, 1], [1, 0]]))
COORDINATION = cg.NormalFormGame.from_bimatrix(np.eye(2), np.eye(2))


def first_probs(result):
    return sorted(tuple(float(p[0]) for p in e.strategies) for e in result)


def fsolve_all_2x2(game, lam, n_starts=25):
    """Independent: solve the two logit equations from a grid of starts in log-odds space."""
    a, b = game.payoffs[..., 0], game.payoffs[..., 1]

    def eqs(z):
        p, q = special.expit(z)
        return [
            z[0] - lam * ((a[0] - a[1]) @ [q, 1 - q]),
            z[1] - lam * (np.array([p, 1 - p]) @ (b[:, 0] - b[:, 1])),
        ]

    bound = lam * np.abs(game.payoffs).max() * 2 + 1
    found = []
    for x0, y0 in itertools.product(np.linspace(-bound, bound, n_starts), repeat=2):
        sol, info, ier, _ = optimize.fsolve(eqs, [x0, y0], full_output=True, xtol=1e-13)
        if ier == 1 and np.max(np.abs(eqs(sol))) < 1e-9:
            pq = tuple(special.expit(sol))
            if not any(np.allclose(pq, f, atol=1e-7) for f in found):
                found.append(pq)
    return sorted(found)


def test_lam_zero_is_uniform():
    for game in (PENNIES, cg.NormalFormGame.from_bimatrix(np.eye(3), np.eye(3) * 2)):
        res = qre(game, 0.0)
        assert len(res) == 1
        for p in res[0].strategies:
            assert_allclose(p, np.full(p.size, 1 / p.size), atol=1e-15)


def test_coordination_closed_form_and_count():
    # Pure coordination, both players: symmetric QRE solve logit(p) = lam*(2p - 1); at p != 1/2
    # this inverts to lam = logit(p)/(2p - 1), and the pitchfork is at lam = 2 (slope lam/2 = 1).
    assert len(qre(COORDINATION, 1.9)) == 1
    for lam in (2.5, 4.0, 10.0, 40.0):
        res = qre(COORDINATION, lam)
        assert res.complete and len(res) == 3
        for e in res:
            p, q = e.strategies
            assert_allclose(p, q, atol=1e-12)
            if abs(p[0] - 0.5) > 1e-9:
                assert_allclose(np.log(p[0] / p[1]) / (p[0] - p[1]), lam, rtol=1e-9)
            assert e.residual < 1e-12


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("lam", [0.3, 1.7, 6.0])
def test_every_2x2_qre_matches_independent_fsolve(seed, lam):
    rng = np.random.default_rng(seed)
    game = cg.NormalFormGame.from_bimatrix(rng.integers(-3, 4, (2, 2)), rng.integers(-3, 4, (2, 2)))
    ours = first_probs(qre(game, lam))
    theirs = fsolve_all_2x2(game, lam)
    assert len(ours) == len(theirs)
    assert_allclose(ours, theirs, atol=1e-7)


def test_tangency_double_root_is_found():
    # Symmetric game with d(p) = a + b p: a double QRE where logit(p) touches lam*(a + b p):
    # 1/(p(1-p)) = lam*b and logit(p) = lam*(a + b p). p0 = 0.8, b = 1 -> lam = 6.25.
    p0, b, lam = 0.8, 1.0, 6.25
    a = special.logit(p0) / lam - b * p0
    A = np.array([[a + b, a], [0.0, 0.0]])
    res = qre(cg.NormalFormGame.from_bimatrix(A, A.T), lam)
    near = [e for e in res if abs(e.strategies[0][0] - p0) < 1e-3]
    assert near, first_probs(res)
    assert_allclose(near[0].strategies[0][0], p0, atol=1e-5)


def test_nash_limit_asymmetric_pennies():
    # McKelvey & Palfrey (1995), asymmetric matching pennies: the unique Nash equilibrium is
    # P(row left) = 1/2, P(column left) = 1/10 (1·q·9 = 1 − q); QRE -> Nash as lam -> inf,
    # while at moderate lam the row player over-plays the high-payoff action (p > 1/2).
    res = qre(PENNIES, 1e4)
    assert_allclose([p[0] for p in res[0].strategies], [0.5, 0.1], atol=1e-3)
    assert res[0].max_regret < 1e-2
    mid = qre(PENNIES, 2.0)[0]
    assert mid.strategies[0][0] > 0.5 and mid.strategies[1][0] > 0.1


def test_branch_agrees_with_all_on_unique_qre_games():
    for lam in (0.5, 3.0, 30.0):
        via_all = qre(PENNIES, lam, method="all")
        via_branch = qre(PENNIES, lam, method="branch")
        assert_allclose(first_probs(via_branch), first_probs(via_all), atol=1e-9)


def fixed_point_iteration(game, lam, iters=2000):
    probs = [np.full(k, 1 / k) for k in game.shape]
    from coordgap.solvers.qre import _action_values

    for _ in range(iters):
        values = _action_values(game.payoffs, probs)
        probs = [special.softmax(lam * v) for v in values]
    return probs


@pytest.mark.slow
@pytest.mark.parametrize("shape", [(3, 3), (2, 2, 2), (3, 2, 2)])
def test_branch_matches_contraction_at_small_lam(shape):
    # For lam * (payoff range) < 1 the logit response map is a contraction: its iteration
    # converges to the unique QRE, an independent reference for the continuation.
    rng = np.random.default_rng(7)
    payoffs = rng.uniform(-1, 1, shape + (len(shape),))
    game = cg.NormalFormGame(payoffs)
    lam = 0.4
    res = qre(game, lam, method="branch")
    ref = fixed_point_iteration(game, lam)
    for p, r in zip(res[0].strategies, ref):
        assert_allclose(p, r, atol=1e-10)


def test_branch_on_larger_game_has_tiny_residual():
    rng = np.random.default_rng(3)
    game = cg.NormalFormGame(rng.uniform(-1, 1, (3, 4, 2)))
    res = qre(game, 8.0, method="branch")
    assert res.success
    for e in res:
        assert e.residual < 1e-9
        assert_allclose(logit_residual(game, e.strategies, 8.0), e.residual)


@pytest.mark.parametrize("size,lam_star", [(2, 2.0), (3, 3.0)])
def test_pitchfork_on_principal_branch_warns(size, lam_star):
    # Pure coordination with `size` actions: the principal branch is the uniform profile, which
    # loses stability where lam * (1/size) * lam * (1/size) = 1, i.e. lam = size.
    game = cg.NormalFormGame.from_bimatrix(np.eye(size), np.eye(size))
    with pytest.warns(QREBifurcationWarning):
        res = qre(game, 5.0, method="branch")
    assert not res.success and res.status == 2 and len(res) == 0
    assert_allclose(res.details["bifurcation_lam"], lam_star, rtol=1e-6)
    # before the bifurcation the branch is unique and returned without warning
    before = qre(game, 0.8 * lam_star, method="branch")
    assert before.success
    assert_allclose(before[0].strategies[0], np.full(size, 1 / size), atol=1e-10)


def test_symmetric_three_player_matches_table_route():
    # 3-player threshold public good: contributing (action 0) costs 1, gain 3 if >= 2 contribute.
    payoffs = np.zeros((2, 2, 2, 3))
    for prof in itertools.product((0, 1), repeat=3):
        n_contrib = prof.count(0)
        for i in range(3):
            payoffs[prof + (i,)] = 3.0 * (n_contrib >= 2) - (prof[i] == 0)
    game = cg.NormalFormGame(payoffs)
    table = symmetric_binary_table(game)
    assert_allclose(table, [[-1, 2, 2], [0, 0, 3]])
    for lam in (0.5, 3.0, 12.0):
        res = qre(game, lam)
        sym = qre_symmetric(table, lam)
        assert len(res) == len(sym)
        for e, (p, _) in zip(res, sym):
            assert_allclose(e.strategies[0][0], p, atol=1e-12)
            # independent check: expected payoff difference by explicit binomial sums
            delta = stats.binom.pmf([0, 1, 2], 2, p) @ (table[0] - table[1])
            assert_allclose(special.logit(p), lam * delta, atol=1e-8)
    # large lam: three symmetric QRE near the Nash equilibria 0 and 1/2 ± sqrt(3)/6
    ps = [p for p, _ in qre_symmetric(table, 200.0)]
    assert_allclose(ps[1:], [0.5 - np.sqrt(3) / 6, 0.5 + np.sqrt(3) / 6], atol=1e-2)
    assert ps[0] < 1e-10


@pytest.mark.slow
def test_symmetric_many_players():
    n = 300
    m = np.arange(n)
    table = np.vstack([np.where(m + 1 >= 150, 1.0, 0.0) - 0.1, np.where(m >= 150, 1.0, 0.0)])
    out = qre_symmetric(table, 50.0)
    assert out
    for _p, residual in out:
        assert residual < 1e-9


def test_invalid_inputs():
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(cg.InvalidParameterError, match="'lam' parameter of qre"):
            qre(PENNIES, bad)
    with pytest.raises(cg.InvalidParameterError, match="Did you mean 'branch'"):
        qre(PENNIES, 1.0, method="brnch")
    with pytest.raises(cg.InvalidParameterError):
        qre(cg.NormalFormGame(np.zeros((3, 3, 2))), 1.0, method="all")
    with pytest.raises(cg.InvalidParameterError):
        qre_symmetric(np.zeros((3, 4)), 1.0)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(
    payoffs=st.lists(st.integers(-6, 6), min_size=8, max_size=8),
    lam=floats(0.0, 25.0, allow_nan=False),
)
def test_property_every_2x2_qre_is_certified(payoffs, lam):
    game = cg.NormalFormGame(np.array(payoffs, dtype=float).reshape(2, 2, 2))
    res = qre(game, lam)
    assert res.complete and len(res) >= 1
    for e in res:
        assert e.residual <= 1e-9
        for p in e.strategies:
            assert np.all(p >= 0) and abs(p.sum() - 1) < 1e-12


class _TableGame:
    """A symmetric binary game given by its payoff vectors (duck-typed, large N)."""

    def __init__(self, payoff_0, payoff_1):
        self.payoff_0, self.payoff_1 = np.asarray(payoff_0), np.asarray(payoff_1)


@pytest.mark.slow
def test_symmetric_binary_game_object_large_n():
    n = 400
    k = np.arange(n)
    game = _TableGame(3.0 * (k + 1 >= n // 2) - 1.0, 3.0 * (k >= n // 2))
    res = qre(game, 30.0)
    assert res.method == "logit-symmetric-all" and len(res) >= 1
    for e in res:
        p = e.strategies[0][0]
        delta = stats.binom.pmf(k, n - 1, p) @ (game.payoff_0 - game.payoff_1)
        assert_allclose(np.log(p / (1 - p)), 30.0 * delta, atol=1e-7)
        assert e.residual < 1e-9
    with pytest.raises(cg.InvalidParameterError):
        qre(game, 1.0, method="branch")


FOLDING = cg.NormalFormGame(
    np.array(
        [[[-1, 4], [3, 9], [-9, -9]], [[0, -3], [-4, 3], [6, -8]], [[-1, 8], [2, -6], [-3, -7]]]
    )
)


def test_folding_branch_returns_every_crossing_with_warning():
    # This 3x3 game's principal branch turns back near lam = 4.33 and forward again near 1.59,
    # so it meets lam = 3 three times; lam = 1 and lam = 6 once.
    from coordgap.solvers.qre import QREBranchWarning, _action_values

    assert len(qre(FOLDING, 1.0)) == 1
    assert len(qre(FOLDING, 6.0)) == 1
    with pytest.warns(QREBranchWarning):
        res = qre(FOLDING, 3.0)
    assert len(res) == 3
    lo, hi = sorted(res.details["turning_points"])[:2]
    assert lo < 3.0 < hi
    points = [np.concatenate(e.strategies) for e in res]
    for i, j in itertools.combinations(range(3), 2):
        assert np.max(np.abs(points[i] - points[j])) > 1e-3
    for e in res:
        assert e.residual < 1e-12

        # independent check: scipy's root finder in log-odds, started at the point, stays there
        def eqs(z, e=e):
            p = special.softmax(np.concatenate([[0.0], z[:2]]))
            q = special.softmax(np.concatenate([[0.0], z[2:]]))
            vp, vq = _action_values(FOLDING.payoffs, [p, q])
            return np.concatenate([z[:2] - 3.0 * (vp[1:] - vp[0]), z[2:] - 3.0 * (vq[1:] - vq[0])])

        z0 = np.concatenate(
            [
                np.log(e.strategies[0][1:] / e.strategies[0][0]),
                np.log(e.strategies[1][1:] / e.strategies[1][0]),
            ]
        )
        sol = optimize.root(eqs, z0, tol=1e-13)
        assert sol.success and np.max(np.abs(sol.x - z0)) < 1e-6


# -- the continuation: two-player equations, frames, branch points, early stop ---------------
from coordgap.solvers import qre as qre_module  # noqa: E402


@pytest.mark.parametrize("shape", [(2, 2), (3, 2), (2, 5), (4, 4), (1, 3)])
def test_bimatrix_equations_match_generic_ones_and_finite_differences(shape):
    rng = np.random.default_rng(sum(shape))
    game = cg.NormalFormGame(rng.uniform(-3, 3, shape + (2,)))
    fast, generic = qre_module._BimatrixBranch(game), qre_module._Branch(game)
    for _ in range(5):
        # any point, on the curve or not: log-probabilities need not sum to one
        z = np.concatenate([rng.normal(-1.0, 0.5, fast.n), [rng.uniform(0.0, 10.0)]])
        h, jac = fast._evaluate(z)
        assert_allclose(h, generic.residual(z), atol=1e-12)
        assert_allclose(jac, generic.jacobian(z), atol=1e-12)
        assert_allclose(fast.residual(z), h, rtol=1e-15, atol=1e-15)
        assert_allclose(fast.jacobian(z), jac, rtol=1e-15, atol=1e-15)
        eps = 1e-6
        fd = np.column_stack(
            [
                (fast.residual(z + eps * e) - fast.residual(z - eps * e)) / (2 * eps)
                for e in np.eye(z.size)
            ]
        )
        assert_allclose(jac, fd, atol=1e-7 * (1.0 + np.abs(fd).max()))


@pytest.mark.parametrize("shape", [(3, 4), (2, 2, 3)])
def test_frame_is_the_unit_null_vector_and_augmented_determinant(shape):
    rng = np.random.default_rng(5)
    game = cg.NormalFormGame(rng.integers(-5, 6, shape + (len(shape),)).astype(float))
    branch = qre_module._make_branch(game)
    for _ in range(4):
        z = np.concatenate([rng.normal(-1.0, 0.5, branch.n), [rng.uniform(0.0, 5.0)]])
        previous = rng.normal(size=branch.n + 1)
        t, sign, logdet = qre_module._frame(branch, z, previous)
        jac = branch.jacobian(z)
        assert np.max(np.abs(jac @ t)) < 1e-12 and abs(t @ t - 1.0) < 1e-14 and t @ previous > 0
        det = np.linalg.det(np.vstack([jac, t]))
        assert sign == np.sign(det)
        assert_allclose(logdet, np.log(abs(det)), rtol=1e-10)
        assert_allclose(logdet, np.sum(np.log(np.linalg.svd(jac, compute_uv=False))), rtol=1e-10)


@pytest.mark.parametrize(
    "size,a,b",
    [(3, 5.0, 5.0), (3, 1.0, 4.0), (4, 1.0, 1.0), (5, 1.0, 1.0), (5, 5.0, 5.0), (5, 20.0, 20.0)],
)
def test_pitchfork_of_scaled_coordination_is_found(size, a, b):
    # Coordination (a·I, b·I): at the uniform profile a deviation d of player 2 moves player 1
    # by (λa/size)·d and back by (λb/size), so all size − 1 deviation directions become
    # critical together at λ* = size/√(ab). For size 3 and 5 the multiplicity is even and the
    # determinant keeps its sign; several of these scales used to be missed.
    lam_star = size / np.sqrt(a * b)
    game = cg.NormalFormGame.from_bimatrix(a * np.eye(size), b * np.eye(size))
    with pytest.warns(QREBifurcationWarning):
        res = qre(game, 2.0 * lam_star, method="branch")
    assert res.status == 2 and len(res) == 0
    assert_allclose(res.details["bifurcation_lam"], lam_star, rtol=1e-6)


@pytest.mark.parametrize("k", [2, 3])
def test_pitchfork_of_three_player_coordination(k):
    # All three get 1 if they all match. At the uniform profile ∂u_i(a)/∂p_j(b) = δ_ab/k, so a
    # common zero-sum deviation d of the other two moves player i by λ·(1/k)·(2/k)·d: the
    # branch bifurcates at λ* = k²/2 (multiplicity k − 1: odd for k = 2, even for k = 3).
    payoffs = np.zeros((k, k, k, 3))
    for action in range(k):
        payoffs[action, action, action, :] = 1.0
    game = cg.NormalFormGame(payoffs)
    with pytest.warns(QREBifurcationWarning):
        res = qre(game, k * k, method="branch")
    assert_allclose(res.details["bifurcation_lam"], k * k / 2.0, rtol=1e-6)
    before = qre(game, 0.9 * k * k / 2.0, method="branch")
    assert before.success and before[0].residual < 1e-12


def davidenko_crossings(a, b, lam, lam_max):
    """Independent reference: every point where the principal branch meets ``lam``.

    The branch solves x = λ·Δu(softmax(x)) in log-odds against action 0. It is followed as the
    solution of dy/ds = t(y), the unit null vector of a finite-difference Jacobian oriented so
    that det [J; t] keeps its sign (as it does along a branch without branch points),
    integrated by solve_ivp from y = 0 until λ = lam_max; each crossing event is polished by
    scipy.optimize.root.
    """
    from scipy import integrate

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    k1 = a.shape[0]

    def probs(x):
        return (
            special.softmax(np.concatenate([[0.0], x[: k1 - 1]])),
            special.softmax(np.concatenate([[0.0], x[k1 - 1 :]])),
        )

    def f(y):
        x, mu = y[:-1], y[-1]
        p, q = probs(x)
        u, v = a @ q, p @ b
        return np.concatenate(
            [x[: k1 - 1] - mu * (u[1:] - u[0]), x[k1 - 1 :] - mu * (v[1:] - v[0])]
        )

    m = sum(a.shape)
    eye = np.eye(m - 1)

    def jac(y, eps=1e-7):
        return np.column_stack([(f(y + eps * e) - f(y - eps * e)) / (2 * eps) for e in eye])

    j0 = jac(np.zeros(m - 1))
    t0 = np.linalg.svd(j0)[2][-1]
    orient = np.sign(np.linalg.det(np.vstack([j0, t0 if t0[-1] > 0 else -t0])))

    def tangent(_, y):
        j = jac(y)
        t = np.linalg.svd(j)[2][-1]
        return t if np.linalg.det(np.vstack([j, t])) * orient > 0 else -t

    def crossing(_, y):
        return y[-1] - lam

    def done(_, y):
        return y[-1] - lam_max

    done.terminal = True
    path = integrate.solve_ivp(
        tangent, (0.0, 1e4), np.zeros(m - 1), events=[crossing, done], rtol=1e-8, atol=1e-8
    )
    out = []
    for y in path.y_events[0]:
        sol = optimize.root(lambda x: f(np.append(x, lam)), y[:-1], tol=1e-14)
        assert np.max(np.abs(f(np.append(sol.x, lam)))) < 1e-11
        out.append(np.concatenate(probs(sol.x)))
    return out


BRANCH_CASES = [
    # (A, B, lam, crossings): the 3x3 game FOLDING meets lam = 3 three times; the next one meets
    # lam = 7 three times (its branch turns back at 13.2 and forward at 4.4: two of the points
    # used to be missed); on the last two the old tracer jumped across a sharp turn of the
    # branch and reported a bifurcation where the Jacobian has full rank.
    (FOLDING.payoffs[..., 0], FOLDING.payoffs[..., 1], 3.0, 3),
    ([[6, 1, -5], [-1, -9, -1], [-7, 8, 3]], [[8, -8, 8], [-8, -7, -3], [-6, 6, -7]], 7.0, 3),
    (
        [[2, -4, 6, -9], [-5, 3, -2, 1], [-7, -5, 9, -9], [-9, 3, -4, 7]],
        [[-5, 0, -3, -4], [5, -9, 2, -2], [3, -1, 2, -2], [-3, 3, -4, 4]],
        2.5,
        1,
    ),
    (
        [
            [-7, 9, -2, -9, 8],
            [-3, -1, -1, 3, -5],
            [0, -3, 9, 7, 1],
            [-6, 3, 1, -6, -6],
            [-3, 3, -9, -5, 9],
        ],
        [
            [-4, 8, 1, -6, -5],
            [0, 5, -6, -6, -7],
            [7, -3, 4, -2, -8],
            [-1, 0, 4, -9, -7],
            [-7, 3, -4, 1, 4],
        ],
        1.0,
        1,
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("a,b,lam,count", BRANCH_CASES)
def test_branch_crossings_match_an_independent_path_integration(a, b, lam, count):
    game = cg.NormalFormGame.from_bimatrix(np.array(a, dtype=float), np.array(b, dtype=float))
    if count > 1:
        with pytest.warns(qre_module.QREBranchWarning):
            res = qre(game, lam, method="branch")
    else:
        res = qre(game, lam, method="branch")
    assert res.success
    reference = davidenko_crossings(a, b, lam, 2.0 * lam)
    assert len(res) == len(reference) == count
    ours = [np.concatenate(e.strategies) for e in res]
    for point in reference:
        assert min(np.max(np.abs(point - o)) for o in ours) < 1e-9


def test_early_stop_is_certified_and_changes_nothing(monkeypatch):
    # A prisoner's dilemma: (defect, defect) is strict, so past λ the branch is soon proved
    # never to come back, and the trace stops before 2λ. Tracing on to 2λ finds the same.
    game = cg.NormalFormGame.from_bimatrix(np.array([[3, 0], [5, 1]]), np.array([[3, 5], [0, 1]]))
    branch = qre_module._make_branch(game)
    trace = qre_module._trace_branch(branch, 5.0, 20_000, 10.0)
    assert 5.0 < trace.points[-1][-1] < 10.0
    settled = qre(game, 5.0, method="branch")
    monkeypatch.setattr(qre_module._BimatrixBranch, "_settled", lambda self, z, lam: False)
    full = qre(game, 5.0, method="branch")
    assert len(settled) == len(full) == 1
    assert_allclose(settled[0].strategies[0], full[0].strategies[0], atol=1e-12)
    assert_allclose(settled[0].strategies[1], full[0].strategies[1], atol=1e-12)


def test_early_stop_never_claims_a_branch_that_turns_back():
    # Along FOLDING's branch, every point that the branch later comes back below must fail the
    # certificate (it claims that the branch stays above the point's λ).
    branch = qre_module._make_branch(FOLDING)
    trace = qre_module._trace_branch(branch, 1e9, 20_000, 12.0)
    lams = np.array([z[-1] for z in trace.points])
    assert len(trace.turning) == 2
    for i, z in enumerate(trace.points[:-1]):
        if lams[i + 1 :].min() < z[-1] - 1e-9:
            assert not branch._settled(z, 0.0)
