"""The branch equations of the logit QRE and their Jacobians, in log-probabilities.

H(w, λ) = 0 holds, per player, the logit odds w_i(a) − w_i(0) = λ·(u_i(a) − u_i(0)) and
Σ_a exp(w_i(a)) = 1. :class:`_Branch` evaluates H and its Jacobian for any number of players
from the solver's action values (:mod:`.values`); :class:`_BimatrixBranch` does so for two
players with a few constant matrices, and can prove that the branch, near a strict pure
equilibrium, increases in λ from then on (:meth:`_BimatrixBranch._settled`). The
path-following engine that uses them is in :mod:`.continuation`.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ...games.normal_form import NormalFormGame
from .values import _action_values, _cross_values


class _Branch:
    """H(w, λ) = 0 in log-probabilities w; equations per player: logit odds and Σ exp(w) = 1.

    ``residual`` and ``jacobian`` silence floating-point warnings (a wild Newton iterate may
    overflow exp; the callers reject non-finite values); the continuation calls ``_residual``
    and ``_jacobian`` directly, inside one ``np.errstate`` of its own.
    """

    def __init__(self, game: NormalFormGame):
        self.payoffs = game.payoffs
        self.shape = game.shape
        self.offsets = np.concatenate([[0], np.cumsum(self.shape)])
        self.n = int(self.offsets[-1])

    def split(self, w):
        return [w[self.offsets[i] : self.offsets[i + 1]] for i in range(len(self.shape))]

    def residual(self, z):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._residual(z)

    def jacobian(self, z):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._jacobian(z)

    def _evaluate(self, z):
        return self._residual(z), self._jacobian(z)

    def _settled(self, z: np.ndarray, lam_target: float) -> bool:
        """Whether the branch, followed on from z, provably stays above ``lam_target``.

        Not known for more than two players.
        """
        return False

    def _residual(self, z):
        w, lam = z[:-1], z[-1]
        probs = [np.exp(x) for x in self.split(w)]
        values = _action_values(self.payoffs, probs)
        out = np.empty(self.n)
        for i, (x, v, p) in enumerate(zip(self.split(w), values, probs)):
            o = self.offsets[i]
            out[o : o + len(x) - 1] = (x[1:] - x[0]) - lam * (v[1:] - v[0])
            out[o + len(x) - 1] = p.sum() - 1.0
        return out

    def _jacobian(self, z):
        w, lam = z[:-1], z[-1]
        ws = self.split(w)
        probs = [np.exp(x) for x in ws]
        values = _action_values(self.payoffs, probs)
        jac = np.zeros((self.n, self.n + 1))
        n_players = len(self.shape)
        for i in range(n_players):
            o, ni = self.offsets[i], self.shape[i]
            rows = slice(o, o + ni - 1)
            jac[rows, o + 1 : o + ni] += np.eye(ni - 1)
            jac[rows, o] -= 1.0
            jac[o + ni - 1, o : o + ni] = probs[i]
            jac[rows, -1] = -(values[i][1:] - values[i][0])
            for k in range(n_players):
                if k == i:
                    continue
                cross = _cross_values(self.payoffs, probs, i, k)
                block = (cross[1:] - cross[0]) * probs[k][None, :]
                ok = self.offsets[k]
                jac[rows, ok : ok + self.shape[k]] -= lam * block
        return jac


class _BimatrixBranch(_Branch):
    """The same H for two players, where u_1 = A·p_2 and u_2 = Bᵀ·p_1 are linear.

    With p = exp(w) and constant matrices,

        H = E·w + (S − λ·G)·p − c,    ∂H/∂w = E + (S − λ·G)·diag(p),    ∂H/∂λ = −G·p,

    where E forms the log-odds w_i(a) − w_i(0), S sums each player's probabilities (c is 1 on
    those rows) and G holds the payoff differences A(a, ·) − A(0, ·) and B(·, b) − B(·, 0):
    a few small matrix products per evaluation instead of one einsum per pair of players.
    """

    def __init__(self, game: NormalFormGame):
        super().__init__(game)
        a, b = self.payoffs[..., 0], self.payoffs[..., 1]
        (k1, k2), n = self.shape, self.n
        self._e, self._s, self._c = _bimatrix_structure(k1, k2)
        self._g = np.zeros((n, n))
        self._g[: k1 - 1, k1:] = a[1:] - a[0]
        self._g[k1 : n - 1, :k1] = (b[:, 1:] - b[:, :1]).T
        # per pure profile: _advantages, and the spreads _rho
        self._bounds: dict[object, tuple] = {}

    def _settled(self, z: np.ndarray, lam_target: float) -> bool:
        """Whether the branch, followed on from z towards larger λ, stays above ``lam_target``.

        Proof by contraction near the strict pure equilibrium (a, b) that z is close to. Let
        N = {1 − p_1(a) ≤ δ_1, 1 − p_2(b) ≤ δ_2}. For p_2 in N, a beats every other row by at
        least c_1 = min_x [A(a,b) − A(x,b) − δ_2·drop_x] > 0 (drop_x: the largest loss of
        that advantage per unit of probability off b), so the logit response has
        1 − p_1(a) ≤ ε_1 = (k_1 − 1)·exp(−λ·c_1) ≤ δ_1, and by the mean-value theorem its
        l1-Lipschitz constant is at most 2·λ·ε_1·ρ_1 (ρ_1: half the largest spread of a
        difference of two rows of A), the same for player 2. ε_i and, for λ·c_i ≥ 1, λ·ε_i
        decrease in λ, so if these bounds hold at z's λ (with z in N) they hold at every larger
        λ: the response map is then a contraction of N, whose QRE form a single curve
        increasing in λ through z. The branch leaving z towards larger λ is that curve.
        The bounds are taken at a λ a little below z's, to cover the error of z (it is a
        point of the trace, within the corrector's tolerance of the curve).
        """
        k1, k2 = self.shape
        if k1 < 2 or k2 < 2:
            return False
        lam = float(z[-1]) - 1e-3 * (1.0 + abs(float(z[-1])))
        if lam <= lam_target:
            return False
        p = np.exp(z[:-1])
        a, b = int(np.argmax(p[:k1])), int(np.argmax(p[k1:]))
        p[a] = p[k1 + b] = 0.0
        off1, off2 = float(p[:k1].sum()), float(p[k1:].sum())  # not 1 − p(a): it cancels
        if max(off1, off2) > 0.1:
            return False  # far from pure: not worth trying (False is always safe)
        if (a, b) not in self._bounds:
            self._bounds[a, b] = self._advantages(a, b)
        (adv1, drop1), (adv2, drop2), (rho1, rho2) = self._bounds[a, b]
        d1, d2 = 2.0 * off1 + 1e-300, 2.0 * off2 + 1e-300
        for _ in range(3):  # widen N until it holds the response's bound, if it can
            c1, c2 = float(np.min(adv1 - d2 * drop1)), float(np.min(adv2 - d1 * drop2))
            if lam * min(c1, c2) < 1.0:
                return False
            e1, e2 = (k1 - 1) * math.exp(-lam * c1), (k2 - 1) * math.exp(-lam * c2)
            if e1 < d1 and e2 < d2:
                return 2.0 * lam * max(e1 * rho1, e2 * rho2) < 1.0
            d1, d2 = max(d1, 2.0 * e1), max(d2, 2.0 * e2)
        return False

    def _advantages(self, a: int, b: int):
        """The constants of ``_settled`` for the pure profile (a, b).

        For each player and each of their other actions x: how much their action in (a, b)
        beats x against the opponent's, and the largest loss of that margin per unit of the
        opponent's probability moved elsewhere; then ρ_1 and ρ_2.
        """
        pay1, pay2 = self.payoffs[..., 0], self.payoffs[..., 1].T  # own action first
        out = []
        for own, other, pay in ((a, b, pay1), (b, a, pay2)):
            adv = (pay[own] - pay)[np.arange(len(pay)) != own]  # adv[x, y] = u(own, y) − u(x, y)
            drop = np.max(adv[:, [other]] - adv, axis=1)  # 0 at y = other
            out.append((adv[:, other], np.maximum(drop, 0.0)))
        if "rho" not in self._bounds:  # the spreads depend on the payoffs only
            self._bounds["rho"] = tuple(
                float(np.max(np.ptp(pay[:, None, :] - pay[None, :, :], axis=2))) / 2.0
                for pay in (pay1, pay2)
            )
        out.append(self._bounds["rho"])
        return out

    def _residual(self, z):
        w = z[:-1]
        return self._e @ w + (self._s - z[-1] * self._g) @ np.exp(w) - self._c

    def _jacobian(self, z):
        p = np.exp(z[:-1])
        jac = np.empty((self.n, self.n + 1))
        jac[:, :-1] = self._e + (self._s - z[-1] * self._g) * p
        jac[:, -1] = -(self._g @ p)
        return jac

    def _evaluate(self, z):
        w = z[:-1]
        p = np.exp(w)
        m = self._s - z[-1] * self._g
        jac = np.empty((self.n, self.n + 1))
        jac[:, :-1] = self._e + m * p
        jac[:, -1] = -(self._g @ p)
        return self._e @ w + m @ p - self._c, jac


@functools.lru_cache(maxsize=64)
def _bimatrix_structure(k1: int, k2: int):
    """E, S and c of ``_BimatrixBranch`` (they depend on the numbers of actions only)."""
    n = k1 + k2
    e, s, c = np.zeros((n, n)), np.zeros((n, n)), np.zeros(n)
    for o, k in ((0, k1), (k1, k2)):
        rows = np.arange(o, o + k - 1)
        e[rows, rows + 1] = 1.0
        e[rows, o] = -1.0
        s[o + k - 1, o : o + k] = 1.0
        c[o + k - 1] = 1.0
    for m in (e, s, c):
        m.setflags(write=False)
    return e, s, c


def _make_branch(game: NormalFormGame) -> _Branch:
    return _BimatrixBranch(game) if game.n_players == 2 else _Branch(game)
