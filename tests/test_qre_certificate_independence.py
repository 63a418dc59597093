"""The logit-QRE certificate shares no numerical code with the QRE solver.

The solver (``coordgap.solvers.qre``) computes action values with its own routine
(``qre.values._action_values``); the residual and regret attached to every record come from
``coordgap.solvers.certify``. Here the solver's routine is replaced, in every loaded module that
refers to it, by one that returns wrong values: the certificate of known QRE must not change,
and the profiles the mutated solver returns must be flagged. The converse mutation (a wrong
certificate routine) must leave the solver's profiles unchanged.
"""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, special

import coordgap as cg
from coordgap.solvers import certify
from coordgap.solvers import qre as qre_pkg
from coordgap.solvers.qre import continuation, equations, logit_residual, qre, scan, values

PENNIES = cg.NormalFormGame.from_bimatrix(
    np.array([[1.0, -1.0], [-1.0, 1.0]]), np.array([[-1.0, 1.0], [1.0, -1.0]])
)
# McKelvey and Palfrey's (1995) asymmetric matching pennies.
ASYMMETRIC = cg.NormalFormGame.from_bimatrix(
    np.array([[9.0, 0.0], [0.0, 1.0]]), np.array([[0.0, 1.0], [1.0, 0.0]])
)
THREE_PLAYERS = cg.NormalFormGame(np.random.default_rng(3).normal(size=(2, 2, 2, 3)))
ORIGINAL_VALUES = values._action_values  # the solver's own routine, intact


def asymmetric_qre(lam: float) -> tuple[np.ndarray, np.ndarray]:
    """The unique logit QRE of ASYMMETRIC, by hand: p = σ(λ(10q − 1)), q = σ(λ(1 − 2p)).

    p and q are the probabilities of the first action; p − σ(λ(10·σ(λ(1 − 2p)) − 1)) is
    increasing in p, so its root in [0, 1] is found by bracketing.
    """

    def col(p):
        return special.expit(lam * (1.0 - 2.0 * p))

    p = optimize.brentq(
        lambda p: p - special.expit(lam * (10.0 * col(p) - 1.0)), 0.0, 1.0, xtol=1e-15
    )
    q = col(p)
    return np.array([p, 1.0 - p]), np.array([q, 1.0 - q])


def asymmetric_regret(p: np.ndarray, q: np.ndarray) -> float:
    """Nash max regret in ASYMMETRIC, by hand."""
    row = np.array([9.0 * q[0], q[1]])  # values of the row player's two actions
    col = np.array([p[1], p[0]])
    return max(row.max() - row @ p, col.max() - col @ q)


def rebind_everywhere(monkeypatch, original, replacement) -> list[str]:
    """Replace every reference to ``original`` in every loaded coordgap module."""
    hits = []
    for name, module in list(sys.modules.items()):
        if not (name == "coordgap" or name.startswith("coordgap.")):
            continue
        for attr, value in list(vars(module).items()):
            if value is original:
                monkeypatch.setattr(module, attr, replacement)
                hits.append(f"{name}.{attr}")
    return hits


def offset_per_action(payoffs, probs):
    """The solver's action values shifted by a different constant for each action."""
    return [v + np.linspace(0.0, 1.5, v.size) for v in ORIGINAL_VALUES(payoffs, probs)]


def garbage(payoffs, probs):
    """Action values that have nothing to do with the game."""
    return [np.arange(len(p), dtype=float)[::-1] * 7.0 for p in probs]


MUTATIONS = [offset_per_action, garbage]


def certificates() -> dict:
    """The certificate of known QRE and of a few other profiles, as plain numbers."""
    out = {}
    for lam in (0.5, 3.0, 10.0):
        uniform = [np.array([0.5, 0.5])] * 2
        out["pennies", lam] = certify.logit_certificate_normal_form(PENNIES.payoffs, uniform, lam)
        out["pennies-residual", lam] = logit_residual(PENNIES, uniform, lam)
        p, q = asymmetric_qre(lam)
        out["asymmetric", lam] = certify.logit_certificate_normal_form(
            ASYMMETRIC.payoffs, [p, q], lam
        )
        profile = [np.array([0.3, 0.7]), np.array([0.6, 0.4]), np.array([0.55, 0.45])]
        out["three", lam] = logit_residual(THREE_PLAYERS, profile, lam)
    return out


def flat(cert: dict) -> dict:
    """The certificates as lists of floats, for exact comparison."""
    return {
        key: tuple(np.ravel(v).tolist() for v in value) if isinstance(value, tuple) else value
        for key, value in cert.items()
    }


def test_the_solver_has_its_own_action_values():
    assert values._action_values is not certify.action_values_normal_form
    from_certify = {
        f"{module.__name__}.{name}"
        for module in (values, equations, continuation)
        for name, obj in vars(module).items()
        if getattr(obj, "__module__", None) == certify.__name__
    }
    assert from_certify == set()
    solver_modules = {m.__name__ for m in (qre_pkg, values, equations, continuation, scan)}
    from_solver = {
        name
        for name, obj in vars(certify).items()
        if getattr(obj, "__module__", None) in solver_modules
    }
    assert from_solver == set()


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda f: f.__name__)
def test_certificate_ignores_a_wrong_solver_routine(monkeypatch, mutation):
    before = flat(certificates())
    # the known answers, from the certificate with the solver intact
    for lam in (0.5, 3.0, 10.0):
        payoffs, regret, residual = before["pennies", lam]
        assert payoffs == [0.0, 0.0] and regret == [0.0] and residual == [0.0]
        assert before["pennies-residual", lam] == 0.0
        _, regret, residual = before["asymmetric", lam]
        assert residual[0] <= 1e-13
        assert_allclose(regret[0], asymmetric_regret(*asymmetric_qre(lam)), rtol=1e-12)

    z = np.concatenate([np.log(np.full(6, 0.5)), [2.0]])  # uniform profile, λ = 2
    equations_before = equations._Branch(THREE_PLAYERS)._residual(z)

    hits = rebind_everywhere(monkeypatch, ORIGINAL_VALUES, mutation)
    assert "coordgap.solvers.qre.values._action_values" in hits
    assert "coordgap.solvers.qre._action_values" in hits
    assert "coordgap.solvers.qre.equations._action_values" in hits
    # the mutation reaches the solver: its equations change ...
    equations_after = equations._Branch(THREE_PLAYERS)._residual(z)
    assert np.max(np.abs(equations_after - equations_before)) > 0.1
    # ... and not the certificate
    assert flat(certificates()) == before


def test_certificate_flags_the_profile_of_a_wrong_solver(monkeypatch):
    good = qre(THREE_PLAYERS, 2.0, method="branch")
    assert good.success and len(good) == 1
    assert good[0].residual <= 1e-10

    rebind_everywhere(monkeypatch, ORIGINAL_VALUES, offset_per_action)
    bad = qre(THREE_PLAYERS, 2.0, method="branch")
    assert bad.success and len(bad) == 1
    # the mutated solver converged to a profile of other equations ...
    gap = max(np.max(np.abs(a - b)) for a, b in zip(good[0].strategies, bad[0].strategies))
    assert gap > 0.05
    # ... and the certificate attached to it says so, with the value computed afresh
    assert bad[0].residual > 0.05
    assert bad[0].residual == logit_residual(THREE_PLAYERS, bad[0].strategies, 2.0)
    monkeypatch.undo()
    assert bad[0].residual == logit_residual(THREE_PLAYERS, bad[0].strategies, 2.0)


def test_certificate_flags_a_wrong_profile_by_hand():
    # pennies, row off the QRE: row's values are equal (column uniform), so its logit
    # response is 1/2; the column's values are ∓0.2 against p = (0.6, 0.4)
    for lam in (0.5, 3.0, 10.0):
        profile = [np.array([0.6, 0.4]), np.array([0.5, 0.5])]
        expected = max(0.1, abs(0.5 - special.expit(-0.4 * lam)))
        assert_allclose(logit_residual(PENNIES, profile, lam), expected, rtol=1e-12)
        # the asymmetric game's QRE at another λ is not a QRE at this one
        p, q = asymmetric_qre(2.0 * lam)
        assert logit_residual(ASYMMETRIC, [p, q], lam) > 1e-3


def test_solver_ignores_a_wrong_certificate_routine(monkeypatch):
    good = qre(THREE_PLAYERS, 2.0, method="branch")
    hits = rebind_everywhere(monkeypatch, certify.action_values_normal_form, garbage)
    assert "coordgap.solvers.certify.action_values_normal_form" in hits
    same = qre(THREE_PLAYERS, 2.0, method="branch")
    # the same profile, found without the certificate's routine; only its certificate moved
    for a, b in zip(good[0].strategies, same[0].strategies):
        assert np.array_equal(a, b)
    assert same[0].residual > 0.05


def test_symmetric_certificate_flags_a_wrong_scan(monkeypatch):
    table = np.array([[0.0, 1.0, 3.0, 4.0], [1.0, 1.5, 2.0, 2.5]])  # four players
    game = types.SimpleNamespace(payoff_0=table[0], payoff_1=table[1])
    good = qre(game, 4.0)
    assert len(good) == 3 and all(e.residual <= 1e-12 for e in good)

    # the scan's own expected payoff difference, halved and shifted
    original = scan._binomial_mix
    monkeypatch.setattr(scan, "_binomial_mix", lambda diff, p: 0.5 * original(diff, p) - 0.2)
    bad = qre(game, 4.0)
    assert len(bad) >= 1
    assert all(e.residual > 1e-2 for e in bad)
    for e in bad:
        p = float(e.strategies[0][0])
        assert (
            e.residual == certify.logit_certificate_symmetric_binary(table[0], table[1], p, 4.0)[2]
        )
