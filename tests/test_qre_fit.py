"""Maximum-likelihood logit QRE: reproduces McKelvey & Palfrey (1995) on Ochs's data.

Published numbers: Gambit's tutorial "Quantal response equilibria" (gambitproject/gambit,
``doc/tutorials/05_quantal_response.ipynb``) replicates McKelvey & Palfrey's (1995) fit on a
block of Ochs's (1995) a = 4 asymmetric matching pennies data: transformed game row
[[1.1141, 0], [0, 0.2785]], column [[0, 1.1141], [1.1141, 0]], counts 128 × (0.527, 0.473)
and 128 × (0.366, 0.634); λ̂ = 1.8456097536855862, profile ((0.615651314427859, ...),
(0.38329094004562914, ...)), log-likelihood −174.76453191087447. (The tutorial notes that the
log-likelihoods printed in McKelvey & Palfrey 1995 are a factor of 10 larger.) Other expected
values come from a QRE computed here by damped fixed-point iteration, independent of the
package's solvers.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, stats

import coordgap as cg

GAME = cg.classics.mp95_transformed_game()
COUNTS = cg.classics.OCHS_A4_COUNTS


def _qre_fixed_point(payoffs, lam, iters=20000):
    """Logit QRE of a bimatrix game by damped iteration from the uniform profile (small λ)."""
    a, b = payoffs[..., 0], payoffs[..., 1]
    p = np.full(a.shape[0], 1.0 / a.shape[0])
    q = np.full(a.shape[1], 1.0 / a.shape[1])
    for _ in range(iters):
        up, uq = a @ q, b.T @ p
        p_new = np.exp(lam * (up - up.max()))
        q_new = np.exp(lam * (uq - uq.max()))
        p_next = 0.5 * p + 0.5 * p_new / p_new.sum()
        q_next = 0.5 * q + 0.5 * q_new / q_new.sum()
        done = max(np.abs(p_next - p).max(), np.abs(q_next - q).max()) < 1e-16
        p, q = p_next, q_next
        if done:
            break
    return p, q


def _loglik(payoffs, counts, lam):
    p, q = _qre_fixed_point(payoffs, lam)
    return float(np.dot(counts[0], np.log(p)) + np.dot(counts[1], np.log(q)))


def test_reproduces_mp95_fit_on_ochs_data():
    fit = cg.fit_logit_qre(GAME, COUNTS)
    assert fit.success
    assert fit.lam == pytest.approx(1.8456097536855862, rel=1e-8)
    assert fit.log_likelihood == pytest.approx(-174.76453191087447, abs=1e-8)
    assert_allclose(fit.profile[0][0], 0.615651314427859, atol=1e-8)
    assert_allclose(fit.profile[1][0], 0.38329094004562914, atol=1e-8)
    assert fit.n_observations == pytest.approx(256.0)


def _score_2x2(lam):
    """dℓ/dλ for the transformed Ochs game, exactly: the QRE by a scalar root and dp/dλ,
    dq/dλ by implicit differentiation of p = σ(λ·d_r(q)), q = σ(λ·d_c(p))."""
    from scipy import special

    a, b = GAME.payoffs[..., 0], GAME.payoffs[..., 1]
    n = np.concatenate([np.asarray(c) for c in COUNTS])
    sr, ir = (a[0, 0] - a[1, 0]) - (a[0, 1] - a[1, 1]), a[0, 1] - a[1, 1]
    sc, ic = (b[0, 0] - b[0, 1]) - (b[1, 0] - b[1, 1]), b[1, 0] - b[1, 1]
    p = optimize.brentq(
        lambda x: x - special.expit(lam * (sr * special.expit(lam * (sc * x + ic)) + ir)),
        0.0,
        1.0,
        xtol=1e-16,
    )
    q = special.expit(lam * (sc * p + ic))
    jac = np.array([[1, -p * (1 - p) * lam * sr], [-q * (1 - q) * lam * sc, 1]])
    dp, dq = np.linalg.solve(jac, [p * (1 - p) * (sr * q + ir), q * (1 - q) * (sc * p + ic)])
    return n[0] / p * dp - n[1] / (1 - p) * dp + n[2] / q * dq - n[3] / (1 - q) * dq


def test_estimate_is_root_of_exact_score():
    # The exact MLE (root of the analytic score) is 1.84560974643...; Gambit's printed
    # 1.8456097536855862 differs from it by 7e-9, within Gambit's optimizer tolerance.
    fit = cg.fit_logit_qre(GAME, COUNTS)
    root = optimize.brentq(_score_2x2, 1.7, 1.9, xtol=1e-15)
    assert fit.lam == pytest.approx(root, abs=1e-9)


def test_inference_against_independent_likelihood():
    fit = cg.fit_logit_qre(GAME, COUNTS)
    pay = GAME.payoffs
    counts = [np.asarray(c) for c in COUNTS]
    # the independent likelihood peaks at the same λ
    res = optimize.minimize_scalar(
        lambda x: -_loglik(pay, counts, x),
        bounds=(1.0, 3.0),
        method="bounded",
        options={"xatol": 1e-9},
    )
    assert fit.lam == pytest.approx(res.x, abs=1e-6)
    # observed information by a central difference of the independent likelihood
    h = 1e-3
    second = (
        _loglik(pay, counts, fit.lam + h)
        - 2 * _loglik(pay, counts, fit.lam)
        + _loglik(pay, counts, fit.lam - h)
    ) / h**2
    assert fit.std_error == pytest.approx(1 / math.sqrt(-second), rel=1e-4)
    # the profile interval's ends lie χ²₁(0.95)/2 below the maximum
    drop = 0.5 * stats.chi2.ppf(0.95, 1)
    lo, hi = fit.interval
    assert 0 < lo < fit.lam < hi < math.inf
    for end in (lo, hi):
        assert _loglik(pay, counts, end) == pytest.approx(fit.log_likelihood - drop, abs=1e-7)


def test_goodness_of_fit_against_saturated_model():
    fit = cg.fit_logit_qre(GAME, COUNTS)
    # saturated: each role's empirical frequencies, ℓ_sat = Σ n log(n/128)
    sat = 128 * sum(f * math.log(f) for f in (0.527, 0.473, 0.366, 0.634))
    assert fit.saturated_log_likelihood == pytest.approx(sat, rel=1e-12)
    assert fit.df == 1  # two binomials, one fitted parameter
    assert fit.lr_statistic == pytest.approx(2 * (sat - fit.log_likelihood), rel=1e-10)
    assert fit.p_value == pytest.approx(stats.chi2.sf(fit.lr_statistic, 1), rel=1e-12)


def test_payoff_scale_enters_transformed_game():
    # The transformed game is Ochs's a = 4 game with per-player multipliers: row 0.2785
    # (1.1141/4 up to rounding), column 1.1141. Scaling the raw game must equal entering the
    # scaled matrices.
    scale = (1.1141 / 4, 1.1141)
    raw = cg.classics.asymmetric_matching_pennies(4)
    via_scale = cg.fit_logit_qre(raw, COUNTS, payoff_scale=scale)
    explicit = cg.NormalFormGame.from_bimatrix(
        np.array([[1.1141, 0], [0, 1.1141 / 4]]), np.array([[0, 1.1141], [1.1141, 0]])
    )
    direct = cg.fit_logit_qre(explicit, COUNTS)
    assert via_scale.lam == pytest.approx(direct.lam, rel=1e-9)
    assert via_scale.payoff_scale == scale
    # and it is close to the published fit (the published entry 0.2785 is rounded)
    assert via_scale.lam == pytest.approx(1.8456, abs=2e-3)


def test_recovers_lambda_from_exact_frequencies_in_3x3_game():
    # counts proportional to the QRE at λ = 1.5 (computed independently) give λ̂ = 1.5 and a
    # perfect fit; a 3×3 game goes through the branch-continuation path.
    a = np.array([[3.0, 0.0, 1.0], [1.0, 2.0, 0.0], [0.0, 1.0, 2.5]])
    b = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [2.0, 0.0, 1.0]])
    game = cg.NormalFormGame.from_bimatrix(a, b)
    p, q = _qre_fixed_point(np.stack([a, b], axis=-1), 1.5)
    fit = cg.fit_logit_qre(game, [1e4 * p, 1e4 * q])
    assert fit.lam == pytest.approx(1.5, abs=1e-6)
    assert fit.lr_statistic == pytest.approx(0.0, abs=1e-6)
    assert fit.df == 3


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"counts": [[1, 2]]}, "counts"),
        ({"counts": [[1, -2], [3, 4]]}, "counts"),
        ({"counts": COUNTS, "payoff_scale": (1.0, 0.0)}, "payoff_scale"),
        ({"counts": COUNTS, "level": 1.5}, "level"),
        ({"counts": COUNTS, "lam_max": -1.0}, "lam_max"),
    ],
)
def test_invalid_inputs(kwargs, name):
    with pytest.raises(cg.InvalidParameterError, match=name):
        cg.fit_logit_qre(GAME, **kwargs)


def test_uniform_data_put_the_estimate_on_the_boundary():
    # Choices split 50–50 in a coordination game are best fit by uniform play (λ = 0); the
    # interval's upper end is where the independent likelihood has dropped by χ²₁(0.95)/2.
    a = np.array([[3.0, 0.0], [0.0, 1.0]])
    game = cg.NormalFormGame.from_bimatrix(a, a)
    counts = [np.array([50.0, 50.0]), np.array([50.0, 50.0])]
    fit = cg.fit_logit_qre(game, counts)
    assert fit.lam == 0.0 and fit.interval[0] == 0.0
    assert math.isnan(fit.std_error)
    drop = 0.5 * stats.chi2.ppf(0.95, 1)
    pay = np.stack([a, a], axis=-1)
    assert _loglik(pay, counts, fit.interval[1]) == pytest.approx(200 * math.log(0.5) - drop)


def test_estimate_on_upper_bound_is_flagged():
    # Every choice on the Nash profile of a dominance-solvable game: ℓ increases without bound
    # towards λ = ∞, so the maximum sits on lam_max and the fit says so.
    a = np.array([[2.0, 1.0], [1.0, 0.0]])
    game = cg.NormalFormGame.from_bimatrix(a, a.T)
    fit = cg.fit_logit_qre(game, [[100, 0], [100, 0]], lam_max=20.0)
    assert not fit.success and "upper bound" in fit.message
    assert fit.lam == pytest.approx(20.0) and fit.interval[1] == math.inf
