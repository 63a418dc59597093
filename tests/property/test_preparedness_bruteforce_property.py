"""The preparedness solver against brute force on random small games (hypothesis).

For every aggregator — sum, CES with ρ = 1e-3, −1e-3, −2 and 0.5, weakest link, best shot — on
games of 2 or 3 actors:

* every reported equilibrium passes a brute-force regret check (each actor's best deviation by
  a dense 1-D grid refined by scipy's bounded minimizer, payoffs written out from docs/guide/m1-preparedness.md);
* when the list is ``complete``, every approximate equilibrium of a joint grid lies next to a
  reported equilibrium (or on the reported continuum), and every reported equilibrium has grid
  approximate equilibria next to it;
* the optimum's welfare is at least the maximum over a joint grid refined by local search;
* ``success`` implies certified regret, here and for random participation games.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import optimize

import coordgap as cg
from bruteforce_preparedness import Spec, best_response_limit, brute_regret, grid_equilibria
from coordgap.errors import DegenerateGameWarning
from strategies import floats

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
AGGREGATORS = [
    ("sum", 1.0),
    ("ces", 1e-3),
    ("ces", -1e-3),
    ("ces", -2.0),
    ("ces", 0.5),
    ("weakest_link", 1.0),
    ("best_shot", 1.0),
]
REL_TOL = 1e-9


@st.composite
def small_games(draw, gammas=(1.0, 1.5, 2.0, 3.0), n_actors=(2, 3)):
    n = draw(st.sampled_from(n_actors))
    aggregator, rho = draw(st.sampled_from(AGGREGATORS))
    raw = np.array(draw(st.lists(floats(0.05, 1.0), min_size=n, max_size=n)))
    share = raw / raw.sum() * draw(floats(0.2, 1.0))
    return cg.PreparednessGame(
        share=np.minimum(share, 1.0),
        cost=draw(st.lists(floats(0.2, 3.0), min_size=n, max_size=n)),
        weight=draw(st.lists(floats(0.5, 2.0), min_size=n, max_size=n)),
        prob=draw(floats(0.1, 1.0)),
        harm=draw(floats(1.0, 100.0)),
        efficacy=draw(floats(0.05, 1.0)),
        cost_exponent=draw(st.sampled_from(gammas)),
        aggregator=aggregator,
        ces_rho=rho,
        baseline=draw(st.one_of(st.just(0.0), floats(0.0, 2.0))),
    )


def solve(game):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)  # ties are allowed here
        return cg.solve(game)


def stakes(game):
    return np.asarray(game.share) * game.prob * game.harm


def distance_to(points, targets):
    """For each point, the max-norm distance to the nearest target."""
    points, targets = np.atleast_2d(points), np.atleast_2d(targets)
    return np.abs(points[:, None, :] - targets[None, :, :]).max(axis=-1).min(axis=1)


def reported_set(eqs):
    """The reported equilibria as points (a weakest-link or tie continuum as its segment)."""
    points = np.array([e.investment for e in eqs])
    if not eqs.continuum:
        return points
    t = np.linspace(0.0, 1.0, 2001)[:, None]
    if eqs.method.startswith("weakest-link"):
        return t * eqs.greatest.investment
    # Bergstrom-Blume-Varian ties: every split of R* among the listed providers
    return np.concatenate([a + t * (b - a) for a, b in itertools.combinations(points, 2)])


@pytest.mark.slow
@SETTINGS
@given(small_games())
def test_every_reported_equilibrium_passes_brute_force(game):
    eqs = solve(game)
    assert eqs.success
    spec = Spec(game)
    allowed = REL_TOL * stakes(game) + 1e-12 * stakes(game).max()
    for e in eqs:
        assert e.max_regret <= 1.01 * REL_TOL * stakes(game).max()
        regrets = np.array([brute_regret(spec, e.investment, i, 2001) for i in range(spec.n)])
        assert np.all(regrets <= allowed), (e.investment, regrets)


@pytest.mark.slow
@settings(
    max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(small_games(gammas=(1.5, 2.0, 3.0), n_actors=(2,)))
def test_grid_equilibria_are_the_reported_ones(game):
    eqs = solve(game)
    assume(eqs.complete)
    spec = Spec(game)
    found, step = grid_equilibria(spec, 241)
    assert len(found) > 0  # an equilibrium exists (compact strategies, concave payoffs)
    reported = reported_set(eqs)
    tol = 6 * step.max()
    # Every reported equilibrium has approximate equilibria of the grid next to it ...
    listed = np.array([e.investment for e in eqs])
    assert np.all(distance_to(listed, found) <= tol), (listed, found[:5])
    # ... and each region of approximate equilibria, refined by best responses from a few of
    # its points, leads to a reported equilibrium. Grid points far from every reported
    # equilibrium are refined first: they are where a missing equilibrium would be.
    order = np.argsort(-distance_to(found, reported))
    for start in found[order[:4]]:
        limit = best_response_limit(spec, start)
        if limit is None:  # not settled (a flat ridge of near-equilibria): no conclusion
            continue
        regrets = [brute_regret(spec, limit, i, 2001) for i in range(spec.n)]
        if max(regrets) > 1e-7 * float(stakes(game).max()):
            continue  # the grid search stopped short of an equilibrium
        if not np.any(limit > 0) and lone_gain_below_doubles(game):
            continue  # zero is no exact equilibrium, but the gain of starting is below 1e-300
        assert distance_to(limit, reported)[0] <= tol, (start, limit, reported[:3])


def lone_gain_below_doubles(game) -> bool:
    """Whether, from the all-zero profile, every lone actor gains less than 1e-300.

    With ces and ρ > 0 a lone actor faces A = w^(1/ρ)·y, and with γ > 1 it always gains by
    starting, at most c·(s·B'(R0)·w^(1/ρ)/c)^(γ/(γ−1))·(γ−1)/γ (B is below its tangent). With
    ρ = 1e-3 and w = 0.5 that is about 1e-600: brute force in doubles sees an equilibrium the
    exact game does not have.
    """
    if game.aggregator != "ces" or game.ces_rho < 0 or game.cost_exponent == 1.0:
        return False
    g = game.cost_exponent
    log_mb = np.log(game.prob * game.harm * game.efficacy) - game.efficacy * game.baseline
    log_ratio = np.log(game.share) + log_mb + np.log(game.weight) / game.ces_rho - np.log(game.cost)
    log_gain = np.log(game.cost) + g / (g - 1.0) * log_ratio + np.log((g - 1.0) / g)
    return bool(np.all(log_gain < np.log(1e-300)))


@pytest.mark.slow
@SETTINGS
@given(small_games())
def test_optimum_beats_a_refined_joint_grid(game):
    opt = cg.optimum(game)
    assert opt.success
    spec = Spec(game)
    n_grid = 121 if spec.n == 2 else 31
    upper = [
        (game.cost_exponent * game.prob * game.harm / game.cost[i]) ** (1.0 / game.cost_exponent)
        for i in range(spec.n)
    ]
    axes = [np.linspace(0.0, upper[i], n_grid) for i in range(spec.n)]
    mesh = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, spec.n)
    values = spec.welfare(mesh)
    best = float(np.nanmax(values))
    start = mesh[int(np.nanargmax(values))]
    res = optimize.minimize(
        lambda y: -float(spec.welfare(np.clip(y, 0.0, upper))),
        start,
        method="Nelder-Mead",
        options=dict(xatol=1e-10, fatol=1e-13, maxiter=4000),
    )
    best = max(best, -res.fun)
    scale = game.prob * game.harm
    assert opt.welfare >= best - 1e-9 * scale - 1e-12
    assert abs(opt.welfare - float(spec.welfare(opt.investment))) <= 1e-12 * (1.0 + scale)


# -- success implies certified regret, participation games too -----------------------------------
@st.composite
def participation_games(draw):
    n = draw(st.integers(2, 6))
    raw = np.array(draw(st.lists(floats(0.05, 1.0), min_size=n, max_size=n)))
    share = raw / raw.sum() * draw(floats(0.2, 1.0))
    curve = draw(st.sampled_from(["none", "step", "logistic"]))
    return cg.ParticipationGame(
        share=np.minimum(share, 1.0),
        cost=draw(st.lists(floats(0.0, 20.0), min_size=n, max_size=n)),
        capacity=draw(st.lists(floats(0.1, 3.0), min_size=n, max_size=n)),
        weight=draw(st.lists(floats(0.5, 2.0), min_size=n, max_size=n)),
        incentive=draw(st.lists(floats(0.0, 5.0), min_size=n, max_size=n)),
        prob=draw(floats(0.1, 1.0)),
        harm=draw(floats(1.0, 200.0)),
        efficacy=draw(floats(0.05, 1.0)),
        critical_mass=curve,
        threshold=draw(floats(0.0, float(n))),
        steepness=draw(floats(0.5, 4.0)),
    )


def participation_regret(game, joined):
    """Each actor's gain from switching, from V written out (docs/guide/m2-participation.md)."""
    s, q, w = game.share, game.capacity, game.weight
    ph, kappa, r0 = game.prob * game.harm, game.efficacy, game.baseline

    def value(members):
        m = int(members.sum())
        if game.critical_mass == "none":
            phi = 1.0
        elif game.critical_mass == "step":
            phi = float(m >= game.threshold)
        else:
            phi = 1.0 / (1.0 + np.exp(-game.steepness * (m - game.threshold)))
        b0 = ph * (1.0 - np.exp(-kappa * r0))
        r = r0 + float(np.sum(w * q * members))
        return b0 + phi * (ph * (1.0 - np.exp(-kappa * r)) - b0)

    joined = np.asarray(joined, dtype=bool)
    out = np.empty(len(s))
    for i in range(len(s)):
        inside, outside = joined.copy(), joined.copy()
        inside[i], outside[i] = True, False
        gain = s[i] * (value(inside) - value(outside)) - (game.cost[i] - game.incentive[i])
        out[i] = max(-gain if joined[i] else gain, 0.0)
    return out


@SETTINGS
@given(participation_games(), st.sampled_from(["auto", "lattice"]))
def test_participation_success_implies_certified_regret(game, method):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a lattice iteration that cycles warns; judged below
        eqs = cg.solve(game, method=method)
    scale = game.share * game.prob * game.harm + np.abs(game.cost - game.incentive)
    if eqs.success:
        for e in eqs:
            regrets = participation_regret(game, e.joined)
            assert np.all(regrets <= REL_TOL * scale + 1e-12 * (1.0 + scale)), (e.joined, regrets)
    else:
        assert eqs.status != 0 and not eqs.complete


@SETTINGS
@given(small_games(gammas=(1.0, 2.0, 1e6)))
def test_preparedness_success_implies_certified_regret(game):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        eqs = cg.solve(game)
    if not eqs.success:
        assert eqs.status != 0 and not eqs.complete
        return
    spec = Spec(game)
    for e in eqs:
        regrets = np.array([brute_regret(spec, e.investment, i, 1001) for i in range(spec.n)])
        assert np.all(regrets <= REL_TOL * stakes(game) + 1e-12 * stakes(game).max())
