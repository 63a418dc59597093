"""Brute force agrees with the preparedness-game solver on small games (N = 2, 3).

A grid search over joint investment profiles finds every profile in which each actor's grid
choice is within a few grid steps of its best grid reply; those approximate equilibria must sit
next to the solver's equilibria (or on its continuum), and every solver equilibrium must have
such a grid profile next to it. Iterated best responses computed with scipy's bounded scalar
minimizer reach the same profile. The certificate ``max_regret_continuous`` is checked against
brute-force regrets, including on profiles that are not equilibria (so it can fail).
Payoffs here are written out from docs/guide/m1-preparedness.md, not taken from the package.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize

import coordgap as cg
from coordgap.errors import DegenerateGameWarning
from coordgap.solvers.certify import max_regret_continuous, regrets_continuous


class Spec:
    """Plain-number copy of a game, with payoffs computed from the formulas of docs/guide/m1-preparedness.md."""

    def __init__(
        self,
        s,
        c,
        w=None,
        p=1.0,
        harm=10.0,
        kappa=1.0,
        gamma=2.0,
        aggregator="sum",
        rho=0.5,
        r0=0.0,
    ):
        self.s = np.asarray(s, dtype=float)
        self.c = np.broadcast_to(np.asarray(c, dtype=float), self.s.shape).copy()
        self.w = np.ones_like(self.s) if w is None else np.asarray(w, dtype=float)
        self.p, self.harm, self.kappa, self.gamma = p, harm, kappa, gamma
        self.aggregator, self.rho, self.r0 = aggregator, rho, r0
        self.n = self.s.size

    def game(self):
        return cg.PreparednessGame(
            share=self.s,
            cost=self.c,
            weight=self.w,
            prob=self.p,
            harm=self.harm,
            efficacy=self.kappa,
            cost_exponent=self.gamma,
            aggregator=self.aggregator,
            ces_rho=self.rho,
            baseline=self.r0,
        )

    def robustness(self, x):
        """x has shape (..., n)."""
        x = np.asarray(x, dtype=float)
        if self.aggregator == "sum":
            a = np.sum(self.w * x, axis=-1)
        elif self.aggregator == "weakest_link":
            a = np.min(self.w * x, axis=-1)
        elif self.aggregator == "best_shot":
            a = np.max(self.w * x, axis=-1)
        else:
            rho = self.rho
            with np.errstate(divide="ignore", over="ignore"):
                total = np.sum(
                    self.w * np.where(x > 0, x, 0.0 if rho > 0 else 1.0) ** rho * (x > 0), axis=-1
                )
                a = np.where(total > 0, np.abs(total) ** (1.0 / rho), 0.0)
            if rho < 0:
                a = np.where(np.all(x > 0, axis=-1), a, 0.0)
        return self.r0 + a

    def payoffs(self, x):
        x = np.asarray(x, dtype=float)
        r = self.robustness(x)
        b = self.p * self.harm * (1.0 - np.exp(-self.kappa * r))
        return self.s * b[..., None] - self.c * x**self.gamma / self.gamma

    def upper(self):
        """No best reply exceeds x̄_i = (γ s_i pH / c_i)^(1/γ): its cost alone exceeds s_i pH."""
        return (self.gamma * self.s * self.p * self.harm / self.c) ** (1.0 / self.gamma)


def grid_equilibria(spec, n_grid, steps=2, upper=None):
    """Grid profiles where every actor is within ``steps`` grid steps of its best grid reply."""
    upper = spec.upper() if upper is None else np.asarray(upper, dtype=float)
    axes = [np.linspace(0.0, upper[i], n_grid) for i in range(spec.n)]
    mesh = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1)
    u = spec.payoffs(mesh)
    idx = np.indices((n_grid,) * spec.n)
    ok = np.ones((n_grid,) * spec.n, dtype=bool)
    for i in range(spec.n):
        best = np.expand_dims(np.argmax(u[..., i], axis=i), i)
        ok &= np.abs(idx[i] - best) <= steps
    return mesh[ok], upper / (n_grid - 1)


def max_distance_to(points, targets):
    """For each point, the max-norm distance to the nearest target."""
    points, targets = np.atleast_2d(points), np.atleast_2d(targets)
    d = np.abs(points[:, None, :] - targets[None, :, :]).max(axis=-1)
    return d.min(axis=1)


def assert_grid_matches(found, step, solver_profiles, factor=5.0):
    tol = factor * step.max()
    assert len(found) > 0
    assert np.all(max_distance_to(found, solver_profiles) <= tol), (
        max_distance_to(found, solver_profiles).max() / step.max()
    )
    assert np.all(max_distance_to(solver_profiles, found) <= tol)


UNIQUE_CASES = [
    Spec([0.3, 0.2], [1.0, 2.0], gamma=2.0, harm=10.0, kappa=0.5),
    Spec([0.3, 0.1], [1.0, 0.5], w=[1.0, 2.0], gamma=1.5, harm=8.0, kappa=0.4, r0=0.3),
    Spec([0.4, 0.2], [1.0, 1.0], gamma=3.0, harm=20.0, kappa=0.3),
    Spec([0.3, 0.1], [1.0, 1.0], gamma=1.0, harm=30.0, kappa=0.5),  # BBV, unique
    Spec([0.3, 0.2], [1.0, 2.0], gamma=2.0, harm=10.0, kappa=0.5, aggregator="ces", rho=0.5),
]


@pytest.mark.slow
@pytest.mark.parametrize("spec", UNIQUE_CASES, ids=lambda s: f"{s.aggregator}-g{s.gamma}")
def test_two_actor_grid_agrees_with_unique_equilibrium(spec):
    eqs = cg.solve(spec.game())
    assert len(eqs) == 1
    found, step = grid_equilibria(spec, 801)
    assert_grid_matches(found, step, eqs[0].investment)
    with pytest.raises(AssertionError):  # the comparison can fail: a 5% error is seen
        assert_grid_matches(found, step, 1.05 * eqs[0].investment)


@pytest.mark.slow
def test_three_actor_grid_agrees_with_unique_equilibrium():
    spec = Spec([0.3, 0.2, 0.1], [1.0, 2.0, 0.5], w=[1.0, 1.5, 0.8], gamma=2.0, harm=6.0, kappa=0.5)
    eqs = cg.solve(spec.game())
    # With a sum, best replies fall as the others invest more, so none exceeds the stand-alone
    # optimum (the best reply to all others at zero).
    standalone = [best_reply(spec, np.zeros(spec.n), i)[0] for i in range(spec.n)]
    found, step = grid_equilibria(spec, 141, upper=1.05 * np.array(standalone))
    assert_grid_matches(found, step, eqs[0].investment)
    with pytest.raises(AssertionError):  # the comparison can fail: a 5% error is seen
        assert_grid_matches(found, step, 1.05 * eqs[0].investment)


def test_ces_complements_grid_finds_zero_and_interior():
    spec = Spec([0.4, 0.3], [1.0, 1.0], gamma=2.0, harm=20.0, kappa=0.3, aggregator="ces", rho=-1.0)
    eqs = cg.solve(spec.game())
    assert len(eqs) == 2 and eqs.complete
    found, step = grid_equilibria(spec, 801)
    profiles = np.array([e.investment for e in eqs])
    assert_grid_matches(found, step, profiles)
    # Both clusters are present.
    near = max_distance_to(profiles, found)
    assert np.all(near <= 8 * step.max())


def test_linear_sum_tie_grid_finds_the_segment():
    spec = Spec([0.2, 0.2], [1.0, 1.0], gamma=1.0, harm=10.0, kappa=1.0)
    with pytest.warns(DegenerateGameWarning):
        eqs = cg.solve(spec.game())
    r_star = math.log(10.0 * 0.2)
    found, step = grid_equilibria(spec, 801, upper=[1.5, 1.5])
    # Every grid equilibrium provides about R* in total; the extremes (R*, 0) and (0, R*)
    # listed by the solver lie at the ends of the grid segment.
    assert np.all(np.abs(found.sum(axis=1) - r_star) <= 6 * step.max())
    extremes = np.array([e.investment for e in eqs])
    assert_allclose(sorted(extremes.max(axis=1)), [r_star, r_star], rtol=1e-12)
    assert np.all(max_distance_to(extremes, found) <= 6 * step.max())
    assert found[:, 0].max() - found[:, 0].min() >= r_star - 12 * step.max()


@pytest.mark.slow
@pytest.mark.parametrize("gamma", [1.0, 2.0])
def test_weakest_link_grid_is_the_diagonal_segment(gamma):
    spec = Spec(
        [0.3, 0.2],
        [1.0, 0.5],
        w=[1.0, 2.0],
        gamma=gamma,
        harm=10.0,
        kappa=0.6,
        aggregator="weakest_link",
    )
    eqs = cg.solve(spec.game())
    top_profile = eqs.greatest.investment
    found, step = grid_equilibria(spec, 801, upper=2.0 * top_profile + 0.2)
    t = np.linspace(0.0, 1.0, 4001)[:, None]
    segment = t * top_profile
    tol = 8 * step.max()
    assert np.all(max_distance_to(found, segment) <= tol)
    # The grid covers the whole segment, from 0 to the greatest equilibrium.
    assert np.all(max_distance_to(segment[::100], found) <= tol)


BEST_SHOT_SPECS = [
    Spec([0.5, 0.05], [1.0, 1.0], gamma=2.0, aggregator="best_shot"),  # only actor 0
    Spec([0.3, 0.25], [1.0, 1.0], gamma=2.0, aggregator="best_shot"),  # both
    Spec([0.4, 0.3], [1.0, 1.0], gamma=1.0, aggregator="best_shot"),
    Spec([0.5, 0.05, 0.3], [1.0, 1.0, 1.0], gamma=2.0, aggregator="best_shot"),
]


@pytest.mark.slow
@pytest.mark.parametrize("spec", BEST_SHOT_SPECS, ids=lambda s: f"n{s.n}-g{s.gamma}")
def test_best_shot_grid_agrees(spec):
    eqs = cg.solve(spec.game())
    assert eqs.complete
    # Best replies never exceed the stand-alone optimum (below 1.4 in these games).
    n_grid, upper = (801, None) if spec.n == 2 else (161, np.full(spec.n, 1.6))
    found, step = grid_equilibria(spec, n_grid, upper=upper)
    assert_grid_matches(found, step, np.array([e.investment for e in eqs]))


def best_reply(spec, x, i):
    """Actor i's best reply to x by bounded scalar maximization plus the kink/zero candidates."""

    def negative(v):
        y = x.copy()
        y[i] = v
        return -spec.payoffs(y)[i]

    hi = spec.upper()[i]
    candidates = [0.0, hi]
    if spec.aggregator in ("weakest_link", "best_shot") and spec.n > 1:
        others = np.delete(spec.w * x, i)
        kink = (others.min() if spec.aggregator == "weakest_link" else others.max()) / spec.w[i]
        candidates.append(min(kink, hi))
        pieces = [(0.0, min(kink, hi)), (min(kink, hi), hi)]
    else:
        pieces = [(0.0, hi)]
    for lo, up in pieces:
        if up > lo:
            res = optimize.minimize_scalar(
                negative, bounds=(lo, up), method="bounded", options=dict(xatol=1e-13)
            )
            candidates.append(res.x)
    values = [-negative(v) for v in candidates]
    k = int(np.argmax(values))
    return candidates[k], values[k]


@pytest.mark.slow
@pytest.mark.parametrize(
    "spec",
    [
        Spec([0.3, 0.2, 0.1], [1.0, 2.0, 0.5], w=[1.0, 1.5, 0.8], gamma=2.0, harm=6.0, kappa=0.5),
        Spec([0.2, 0.2, 0.3], [1.0, 3.0, 2.0], gamma=1.5, harm=40.0, kappa=0.2, r0=1.0),
        Spec(
            [0.3, 0.2, 0.1],
            [1.0, 2.0, 0.5],
            gamma=2.0,
            harm=6.0,
            kappa=0.5,
            aggregator="ces",
            rho=0.5,
        ),
    ],
    ids=["sum-g2", "sum-g1.5", "ces-g2"],
)
def test_iterated_best_response_reaches_the_solver_equilibrium(spec):
    x = np.zeros(spec.n)
    for _ in range(500):
        previous = x.copy()
        for i in range(spec.n):
            x[i] = 0.5 * x[i] + 0.5 * best_reply(spec, x, i)[0]  # damped Gauss-Seidel
        if np.max(np.abs(x - previous)) < 1e-12:
            break
    eq = cg.solve(spec.game())[0]
    assert_allclose(eq.investment, x, rtol=1e-7, atol=1e-9)


# -- the certificate: agrees with brute-force regrets and fails on non-equilibria ----------------
def brute_regrets(spec, x):
    out = np.empty(spec.n)
    current = spec.payoffs(x)
    for i in range(spec.n):
        out[i] = max(best_reply(spec, x, i)[1] - current[i], 0.0)
    return out


CERT_SPECS = [
    Spec([0.3, 0.2, 0.1], [1.0, 2.0, 0.5], w=[1.0, 1.5, 0.8], gamma=2.0, harm=6.0, kappa=0.5),
    Spec([0.3, 0.2, 0.1], [1.0, 2.0, 0.5], gamma=1.0, harm=30.0, kappa=0.5),
    Spec([0.3, 0.2, 0.1], [1.0, 2.0, 0.5], gamma=1.5, harm=6.0, aggregator="ces", rho=0.5),
    Spec([0.3, 0.2, 0.1], [1.0, 2.0, 0.5], gamma=2.0, harm=6.0, aggregator="ces", rho=-1.0),
    Spec(
        [0.3, 0.2, 0.1],
        [1.0, 2.0, 0.5],
        w=[1.0, 2.0, 1.0],
        gamma=2.0,
        harm=6.0,
        aggregator="weakest_link",
    ),
    Spec([0.3, 0.2, 0.1], [1.0, 2.0, 0.5], gamma=3.0, harm=6.0, aggregator="best_shot"),
]


@pytest.mark.slow
@pytest.mark.parametrize("spec", CERT_SPECS, ids=lambda s: f"{s.aggregator}-g{s.gamma}")
def test_certificate_matches_brute_force_regrets_off_equilibrium(spec):
    rng = np.random.default_rng(11)
    game = spec.game()
    for _ in range(5):
        x = rng.uniform(0.0, 1.0, spec.n) * spec.upper()
        expected = brute_regrets(spec, x)
        got = regrets_continuous(game, x)
        assert_allclose(got, expected, rtol=1e-7, atol=1e-10)
        assert max_regret_continuous(game, x) == pytest.approx(expected.max(), rel=1e-7, abs=1e-10)
    assert expected.max() > 1e-6  # random profiles are not equilibria


def test_certificate_fails_on_perturbed_equilibrium():
    spec = CERT_SPECS[0]
    game = spec.game()
    eq = cg.solve(game)[0]
    assert eq.max_regret <= 1e-9
    for factor in (1.1, 0.9, 1.001):
        x = eq.investment * factor
        regret = max_regret_continuous(game, x)
        assert regret > 0
        assert regret == pytest.approx(brute_regrets(spec, x).max(), rel=1e-6, abs=1e-12)
    # Second-order: regret of a relative perturbation ε grows like ε².
    r1 = max_regret_continuous(game, eq.investment * 1.01)
    r2 = max_regret_continuous(game, eq.investment * 1.02)
    assert 3.0 < r2 / r1 < 5.0


@pytest.mark.parametrize(
    "spec, profile",
    [
        (Spec([0.3, 0.1], [1.0, 1.0], gamma=1.0, harm=30.0, kappa=0.5), "low_ratio_provides"),
        (Spec([0.3, 0.2], [1.0, 2.0], gamma=2.0, harm=10.0, kappa=0.5), "zero"),
        (Spec([0.3, 0.25], [1.0, 1.0], gamma=2.0, aggregator="best_shot"), "two_providers"),
        (Spec([0.5, 0.05], [1.0, 1.0], gamma=2.0, aggregator="best_shot"), "weak_provider"),
    ],
)
def test_certificate_rejects_non_equilibria(spec, profile):
    game = spec.game()
    if profile == "low_ratio_provides":
        # BBV: only the highest s_i/c_i may invest; let actor 1 provide R* instead.
        x = np.array([0.0, math.log(30.0 * 0.5 * 0.3) / 0.5])
    elif profile == "zero":
        x = np.zeros(2)
    elif profile == "two_providers":
        x = np.array([1.0, 0.9])
    else:
        e1, _ = best_reply(spec, np.zeros(2), 1)
        x = np.array([0.0, e1])
    expected = brute_regrets(spec, x).max()
    assert expected > 1e-3
    assert max_regret_continuous(game, x) == pytest.approx(expected, rel=1e-7)


@pytest.mark.slow
def test_solver_equilibria_pass_brute_force_regret():
    for spec in CERT_SPECS + BEST_SHOT_SPECS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateGameWarning)
            eqs = cg.solve(spec.game())
        for e in eqs:
            assert brute_regrets(spec, np.array(e.investment)).max() <= 1e-9


@pytest.mark.slow
def test_one_provider_profiles_exhaust_best_shot_equilibria():
    # Exhaustive over the finite candidate family "one actor provides its stand-alone level"
    # plus the all-zero profile; brute-force regrets select exactly the solver's list.
    spec = Spec([0.5, 0.05, 0.3, 0.12], [1.0, 1.0, 1.0, 0.4], gamma=2.0, aggregator="best_shot")
    eqs = cg.solve(spec.game())
    listed = {int(np.flatnonzero(e.investment)[0]) for e in eqs}
    survivors = set()
    for j in range(spec.n):
        level, _ = best_reply(spec, np.zeros(spec.n), j)
        x = np.zeros(spec.n)
        x[j] = level
        if brute_regrets(spec, x).max() <= 1e-9:
            survivors.add(j)
    assert brute_regrets(spec, np.zeros(spec.n)).max() > 1e-3
    assert survivors == listed
    # And two providers at once is never an equilibrium.
    for j, k in itertools.combinations(range(spec.n), 2):
        x = np.zeros(spec.n)
        x[j] = best_reply(spec, np.zeros(spec.n), j)[0]
        x[k] = best_reply(spec, np.zeros(spec.n), k)[0]
        assert brute_regrets(spec, x).max() > 1e-6
