"""Invariants of the preparedness game M1 on random valid games (hypothesis).

* every reported equilibrium is certified: max regret <= 1e-9;
* raising any actor's share s_i never lowers the equilibrium aggregate;
* scaling every share down (a larger diffuse part 1 − Σ s_i) never shrinks the gap R_opt − R_nash;
* the planner's welfare is at least the welfare of every equilibrium.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import optimize, special

import coordgap as cg
from coordgap.errors import DegenerateGameWarning
from coordgap.params import MIN_MAGNITUDE
from strategies import floats

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
GAMMAS = (1.0, 1.5, 2.0, 3.0)
AGGREGATORS = ("sum", "ces", "weakest_link", "best_shot")
RHOS = (-2.0, -0.5, 0.5, 1.0)
TOL = 1e-9


finite = floats


@st.composite
def games(draw, aggregators=AGGREGATORS, gammas=GAMMAS, max_share_total=1.0, subsidy=False):
    n = draw(st.integers(1, 4))
    raw = np.array(draw(st.lists(finite(0.01, 1.0), min_size=n, max_size=n)))
    total = draw(finite(0.02, max_share_total))
    share = np.minimum(raw / raw.sum() * total, 1.0)
    gamma = draw(st.sampled_from(gammas))
    aggregator = draw(st.sampled_from(aggregators))
    rho = draw(st.sampled_from(RHOS))
    # p·H = 0 (nothing at stake) in about one game in ten; tiny stakes are drawn too.
    nothing_at_stake = draw(st.integers(0, 9)) == 0
    prob = 0.0 if nothing_at_stake else draw(finite(1e-6, 1.0))
    harm = draw(st.one_of(finite(0.01, 200.0), finite(MIN_MAGNITUDE, 1e-3)))
    return cg.PreparednessGame(
        share=share,
        cost=draw(st.lists(finite(0.1, 10.0), min_size=n, max_size=n)),
        weight=draw(st.lists(finite(0.5, 2.0), min_size=n, max_size=n)),
        prob=prob,
        harm=harm,
        efficacy=draw(finite(0.05, 2.0)),
        cost_exponent=gamma,
        aggregator=aggregator,
        ces_rho=rho,
        baseline=draw(st.one_of(st.just(0.0), finite(0.0, 3.0))),
        cost_share=(draw(st.lists(finite(0.05, 1.0), min_size=n, max_size=n)) if subsidy else 1.0),
    )


def solve(game):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)  # ties are allowed here
        return cg.solve(game)


def gap(game):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        return cg.gap(game)


@pytest.mark.slow
@SETTINGS
@given(games(subsidy=True))
def test_every_reported_equilibrium_is_certified(game):
    eqs = solve(game)
    assert eqs.success and len(eqs) >= 1
    for eq in eqs:
        assert eq.max_regret <= TOL, (eq.investment, eq.max_regret)
        assert np.all(eq.investment >= 0)
        assert math.isclose(
            eq.robustness, float(game.aggregate(eq.investment)), rel_tol=1e-12, abs_tol=1e-12
        )


@pytest.mark.slow
@SETTINGS
@given(games(aggregators=("sum",), max_share_total=0.9), st.data())
def test_raising_a_share_never_lowers_the_aggregate(game, data):
    i = data.draw(st.integers(0, game.n_actors - 1))
    room = 1.0 - float(np.sum(game.share))
    step = data.draw(finite(0.01, 1.0)) * room
    share = np.array(game.share)
    share[i] = min(1.0, share[i] + step)
    before = solve(game).greatest.robustness
    after = solve(game.replace(share=share)).greatest.robustness
    assert after >= before - 1e-12 * max(1.0, abs(before))


@pytest.mark.slow
@SETTINGS
@given(games(aggregators=("ces",), gammas=(1.5, 2.0, 3.0), max_share_total=0.9), st.data())
def test_raising_a_share_never_lowers_the_ces_aggregate(game, data):
    i = data.draw(st.integers(0, game.n_actors - 1))
    room = 1.0 - float(np.sum(game.share))
    share = np.array(game.share)
    share[i] = min(1.0, share[i] + data.draw(finite(0.01, 1.0)) * room)
    before = solve(game).greatest.robustness
    after = solve(game.replace(share=share)).greatest.robustness
    assert after >= before - 1e-12 * max(1.0, abs(before))


@pytest.mark.slow
@SETTINGS
@given(games(aggregators=("sum", "ces")), finite(0.05, 0.99))
def test_smaller_total_share_never_shrinks_the_gap(game, factor):
    before = gap(game)
    after = gap(game.replace(share=np.array(game.share) * factor))
    assert math.isclose(after.robustness_opt, before.robustness_opt, rel_tol=1e-12, abs_tol=1e-12)
    gap_before = before.robustness_opt - before.robustness_worst
    gap_after = after.robustness_opt - after.robustness_worst
    assert gap_after >= gap_before - 1e-10 * max(1.0, abs(before.robustness_opt))


@pytest.mark.slow
@SETTINGS
@given(games(), finite(0.05, 0.99))
def test_smaller_shares_never_raise_the_greatest_equilibrium(game, factor):
    before = solve(game).greatest.robustness
    after = solve(game.replace(share=np.array(game.share) * factor)).greatest.robustness
    assert after <= before + 1e-12 * max(1.0, abs(before))


@pytest.mark.slow
@SETTINGS
@given(games(subsidy=True))
def test_optimum_welfare_dominates_every_equilibrium(game):
    opt = cg.optimum(game)
    assert opt.success
    assert math.isclose(
        opt.welfare, float(game.welfare(opt.investment)), rel_tol=1e-12, abs_tol=1e-12
    )
    for eq in solve(game):
        assert opt.welfare >= eq.welfare - 1e-9 * max(1.0, abs(eq.welfare))


@pytest.mark.slow
@SETTINGS
@given(games())
def test_gap_report_invariants(game):
    report = gap(game)
    scale = max(1.0, abs(report.welfare_opt))
    assert report.welfare_loss_worst >= -1e-9 * scale
    assert report.welfare_loss_best >= -1e-9 * scale
    assert report.welfare_loss_best <= report.welfare_loss_worst + 1e-12 * scale
    assert report.price_of_anarchy >= 1.0 - 1e-9
    assert report.price_of_anarchy >= report.price_of_stability - 1e-9
    shares = np.asarray(report.cost_shares)
    assert np.all(shares >= 0)
    assert math.isclose(shares.sum(), 1.0, rel_tol=1e-9) or shares.sum() == 0.0
    p, harm, kappa = game.prob, game.harm, game.efficacy
    for r, h in (
        (report.robustness_opt, report.residual_harm_opt),
        (report.robustness_worst, report.residual_harm_worst),
        (report.robustness_best, report.residual_harm_best),
    ):
        assert math.isclose(h, p * harm * math.exp(-kappa * r), rel_tol=1e-12, abs_tol=1e-300)
    if report.robustness_opt > 1e-9:  # the report calls robustness below 1e-12 zero
        assert math.isclose(
            report.robustness_ratio_worst,
            report.robustness_worst / report.robustness_opt,
            rel_tol=1e-12,
        )
    free = set(report.free_riders)
    assert free <= set(game.names)
    assert (
        all((name in free) == (share == 0.0) for name, share in zip(game.names, shares))
        or shares.sum() == 0.0
    )


# -- closed forms on random games ----------------------------------------------------------------
def _standalone(s, ceff, p, harm, kappa, gamma, r0):
    """argmax_e s·B(R0 + e) − c'·e^γ/γ, bracketed root of the FOC (γ > 1) or closed form."""
    log_mb0 = math.log(s * p * harm * kappa) - kappa * r0 if s * p * harm > 0 else -math.inf
    if log_mb0 == -math.inf:
        return 0.0
    if gamma == 1.0:
        return max(0.0, (log_mb0 - math.log(ceff)) / kappa)

    def foc(y):  # log of marginal benefit minus log of marginal cost at e = exp(y); decreasing
        return log_mb0 - kappa * math.exp(y) - math.log(ceff) - (gamma - 1.0) * y

    hi = math.log((math.exp(log_mb0) / ceff) ** (1.0 / (gamma - 1.0)) + 1.0)
    lo = hi - 1.0
    while foc(lo) < 0:
        lo -= 2.0 * (hi - lo)
    return math.exp(optimize.brentq(foc, lo, hi, xtol=1e-14, rtol=1e-15))


@pytest.mark.slow
@SETTINGS
@given(games(aggregators=("sum",)))
def test_sum_matches_closed_forms(game):
    s, c, w = game.share, game.cost, game.weight
    p, harm, kappa, gamma, r0 = (
        game.prob,
        game.harm,
        game.efficacy,
        game.cost_exponent,
        game.baseline,
    )
    eqs = solve(game)
    assume(p * harm > 0)
    if gamma == 1.0:
        # Bergstrom–Blume–Varian: R* = max(R0, ln(pHκ·max s_i w_i/c_i)/κ).
        expected = max(r0, math.log(p * harm * kappa * float(np.max(s * w / c))) / kappa)
    else:
        # Lambert W (via Wright ω): A = (γ−1)/κ·ω(ln(κ/(γ−1)) + K/(γ−1)).
        g1 = gamma - 1.0
        big_k = (
            g1 * math.log(float(np.sum(w * (s * w / c) ** (1.0 / g1))))
            + math.log(p * harm * kappa)
            - kappa * r0
        )
        expected = r0 + g1 / kappa * float(
            np.real(special.wrightomega(math.log(kappa / g1) + big_k / g1))
        )
    for eq in eqs:
        assert math.isclose(eq.robustness, expected, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.slow
@SETTINGS
@given(games(aggregators=("weakest_link",)))
def test_weakest_link_matches_varian(game):
    assume(game.n_actors >= 2)
    args = (game.prob, game.harm, game.efficacy, game.cost_exponent, game.baseline)
    ceff = game.cost / game.weight**game.cost_exponent
    top = min(_standalone(si, ci, *args) for si, ci in zip(game.share, ceff))
    eqs = solve(game)
    assert math.isclose(eqs.least.robustness, game.baseline, abs_tol=0)
    assert math.isclose(eqs.greatest.robustness, game.baseline + top, rel_tol=1e-9, abs_tol=1e-12)
    assert eqs.continuum == (top > 0)


@pytest.mark.slow
@SETTINGS
@given(games(aggregators=("best_shot",)))
def test_best_shot_providers_are_exactly_the_one_provider_equilibria(game):
    p, harm, kappa, gamma, r0 = (
        game.prob,
        game.harm,
        game.efficacy,
        game.cost_exponent,
        game.baseline,
    )
    s, w = game.share, game.weight
    ceff = game.cost / w**gamma
    e_hat = np.array([_standalone(si, ci, p, harm, kappa, gamma, r0) for si, ci in zip(s, ceff)])
    assume(e_hat.max() > 1e-9)

    def u(i, own, other_level):
        r = r0 + np.maximum(own, other_level)
        return s[i] * p * harm * (1.0 - np.exp(-kappa * r)) - ceff[i] * own**gamma / gamma

    # j alone at ê_j is an equilibrium iff nobody gains by moving to its own stand-alone level
    # (the best overtaking move, concave payoff) — up to a margin that excludes near-ties.
    expected, ambiguous = set(), False
    for j in np.flatnonzero(e_hat > 0):
        gains = [
            u(i, e_hat[i], e_hat[j]) - u(i, 0.0, e_hat[j]) for i in range(game.n_actors) if i != j
        ]
        best_gain = max(gains, default=-1.0)
        ambiguous |= abs(best_gain) <= 1e-7 * p * harm
        if best_gain < 0:
            expected.add(int(j))
    assume(not ambiguous)
    eqs = solve(game)
    listed = {int(np.flatnonzero(e.investment)[0]) for e in eqs}
    assert listed == expected
    for e in eqs:
        j = int(np.flatnonzero(e.investment)[0])
        assert math.isclose(e.investment[j] * w[j], e_hat[j], rel_tol=1e-9)
