"""Logit quantal response equilibria (McKelvey & Palfrey 1995).

A logit QRE at precision λ ≥ 0 is a mixed profile p with

    p_i(a) = exp(λ·u_i(a, p_−i)) / Σ_b exp(λ·u_i(b, p_−i))

for every player i, with the raw payoffs u (no normalization). λ = 0 gives the uniform profile;
as λ → ∞ the QRE approach Nash equilibria.

Two algorithms:

``"all"`` (2x2 games; symmetric games with two actions per player)
    The fixed point reduces to one scalar equation g(x) = x − φ(x) = 0 in a log-odds x ∈ ℝ,
    with φ bounded by M = λ·max|payoff difference|, so every root lies in [−M, M]. The
    equation is scanned on a grid that is uniform in x, uniform in probability, and dense
    around every point where φ has a steep step (the mixing points of the inner response);
    each sign change is refined by Brent's method and each local extremum of g that comes
    close to zero is checked for a tangency (double) root. For a 2x2 game this lists every
    QRE; for an N-player symmetric game every *symmetric* QRE (asymmetric ones, which exist in
    some games at large λ, are not searched, and ``complete`` is False).
``"branch"`` (any game)
    The principal branch (the one connected to the uniform profile at λ = 0) is followed by
    pseudo-arclength predictor–corrector continuation in (log p, λ), so it can go round folds.
    Turning points (λ reverses) are recorded; a bifurcation point — where the Jacobian loses
    rank and other branches cross the principal one — is detected by a sign change of the
    augmented Jacobian's determinant or by a local minimum of its smallest singular value, and
    the solver then stops with :class:`QREBifurcationWarning` instead of returning a point that
    may lie on another branch. If the branch folds back so that it meets λ several times, all
    those points are returned with :class:`QREBranchWarning`.

Every returned record carries its certificate: ``residual`` = max |p − logit(λ·u(p))|,
computed from the full payoff array by code separate from the scalar reduction, and the Nash
``max_regret`` of the profile.

References
----------
McKelvey, R. D. and Palfrey, T. R. (1995). Quantal response equilibria for normal form games.
*Games and Economic Behavior* 10, 6–38.
Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic quantal response
equilibrium correspondence. *Games and Economic Behavior* 51, 243–263.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from itertools import product

import numpy as np
from scipy import optimize, special

from ..errors import ConvergenceWarning, CoordgapWarning, InvalidParameterError, did_you_mean
from ..games.normal_form import NormalFormGame
from ..results import EquilibriumSet, Result

__all__ = ["qre", "qre_symmetric", "LogitQRE", "QREBifurcationWarning", "QREBranchWarning",
           "logit_residual", "symmetric_binary_table"]

_METHODS = ("auto", "all", "branch")


class QREBifurcationWarning(CoordgapWarning):
    """The principal logit-QRE branch bifurcates before the requested λ: it is not unique there."""


class QREBranchWarning(CoordgapWarning):
    """The principal branch folds back and meets the requested λ more than once."""


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class LogitQRE(Result):
    """One logit quantal response equilibrium.

    Attributes
    ----------
    strategies : tuple of ndarray
        One probability vector per player.
    lam : float
        Precision λ.
    payoffs : ndarray
        Each player's expected payoff.
    residual : float
        Fixed-point certificate max |p − logit(λ·u(p))| over players and actions.
    max_regret : float
        Nash regret of the profile (tends to 0 as λ → ∞ along a branch that converges).
    branch : str
        ``"principal"`` for a point on the principal branch, ``"all"`` for a root of the
        reduced equation.
    success, status, message
        As in SciPy; ``status`` 0 is success.
    """

    strategies: tuple
    lam: float
    payoffs: np.ndarray
    residual: float
    max_regret: float
    branch: str = "all"
    success: bool = True
    status: int = 0
    message: str = ""

    @property
    def order_key(self) -> float:
        """Total expected payoff (orders QRE from worst to best for ``least``/``greatest``)."""
        return float(np.sum(self.payoffs))


# -- payoff algebra on unvalidated profiles (used inside the solvers) -----------------------
def _letters(n: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[:n]


def _action_values(payoffs: np.ndarray, probs) -> list[np.ndarray]:
    """u_i(a, p_−i) for each player i and pure action a (no validation of ``probs``)."""
    n = payoffs.ndim - 1
    idx = _letters(n)
    out = []
    for i in range(n):
        operands = [payoffs[..., i]] + [probs[j] for j in range(n) if j != i]
        spec = idx + "," + ",".join(idx[j] for j in range(n) if j != i) + "->" + idx[i]
        out.append(np.einsum(spec, *operands))
    return out


def _cross_values(payoffs: np.ndarray, probs, i: int, k: int) -> np.ndarray:
    """∂u_i(a)/∂p_k(b): i's payoff of a when k plays b, the others mixing (i ≠ k)."""
    n = payoffs.ndim - 1
    idx = _letters(n)
    operands = [payoffs[..., i]] + [probs[j] for j in range(n) if j not in (i, k)]
    spec = (idx + "".join("," + idx[j] for j in range(n) if j not in (i, k))
            + "->" + idx[i] + idx[k])
    return np.einsum(spec, *operands)


def _softmax(values: np.ndarray, lam: float) -> np.ndarray:
    z = lam * (values - values.max())
    e = np.exp(z)
    return e / e.sum()


def logit_residual(game: NormalFormGame, strategies, lam: float) -> float:
    """Certificate of a logit QRE: max |p − logit(λ·u(p))| over players and actions.

    Computed from the full payoff array, independently of any solver.

    Examples
    --------
    >>> import numpy as np, coordgap as cg
    >>> g = cg.NormalFormGame.from_bimatrix(np.eye(2), np.eye(2))
    >>> logit_residual(g, [np.array([0.5, 0.5])] * 2, 1.0)
    0.0
    """
    probs = [np.asarray(p, dtype=float) for p in strategies]
    values = _action_values(game.payoffs, probs)
    return float(max(np.max(np.abs(p - _softmax(v, lam))) for p, v in zip(probs, values)))


def _record(game: NormalFormGame, strategies, lam: float, branch: str) -> LogitQRE:
    probs = tuple(np.asarray(p, dtype=float) for p in strategies)
    values = _action_values(game.payoffs, list(probs))
    payoffs = np.array([float(v @ p) for v, p in zip(values, probs)])
    regret = max(max(0.0, float(v.max() - v @ p)) for v, p in zip(values, probs))
    return LogitQRE(strategies=probs, lam=float(lam), payoffs=payoffs,
                    residual=logit_residual(game, probs, lam), max_regret=regret, branch=branch)


# -- validation ----------------------------------------------------------------------------
def _check_lam(lam, owner: str = "qre") -> float:
    if isinstance(lam, bool) or not isinstance(lam, (int, float, np.integer, np.floating)):
        raise InvalidParameterError(owner, "lam", "a finite float >= 0", lam)
    value = float(lam)
    if not math.isfinite(value) or value < 0:
        raise InvalidParameterError(owner, "lam", "a finite float >= 0", value)
    return value


# -- scalar root finding ---------------------------------------------------------------------
def _all_roots(g, bound: float, centers, widths, n_prob: int = 4001) -> np.ndarray:
    """Every root of g(x) = x − φ(x) with |φ| ≤ bound, as log-odds x.

    The grid is uniform on [−bound−1, bound+1], uniform in p = σ(x), and dense (step w/10 out
    to ±60 w, then geometric) around each center c with width w where φ has a steep step.
    """
    pieces = [np.linspace(-bound - 1.0, bound + 1.0, 2001),
              special.logit(np.linspace(0.0, 1.0, n_prob)[1:-1]),
              np.linspace(-40.0, 40.0, 801)]
    for c, w in zip(centers, widths):
        if not (np.isfinite(c) and np.isfinite(w) and w > 0):
            continue
        near = np.linspace(-60.0, 60.0, 1201) * w
        far = np.geomspace(60.0 * w, max(2.0 * bound + 2.0, 61.0 * w), 200)
        pieces.append(c + np.concatenate([near, far, -far]))
    grid = np.unique(np.concatenate(pieces))
    grid = grid[np.abs(grid) <= bound + 1.0]
    grid = np.unique(np.concatenate([grid, [-bound - 1.0, bound + 1.0]]))
    values = g(grid)
    roots = []
    exact = np.flatnonzero(values == 0.0)
    roots.extend(grid[exact].tolist())
    sign = np.sign(values)
    change = np.flatnonzero(sign[:-1] * sign[1:] < 0)
    for k in change:
        roots.append(optimize.brentq(g, grid[k], grid[k + 1], xtol=1e-15, rtol=1e-15,
                                     maxiter=200))
    # Tangencies: a local extremum of g that touches zero without a sign change.
    interior = np.arange(1, grid.size - 1)
    vmin = (values[interior] <= values[interior - 1]) & (values[interior] <= values[interior + 1])
    vmax = (values[interior] >= values[interior - 1]) & (values[interior] >= values[interior + 1])
    # Screen: an extremum can touch zero only if |g| there is within reach of how much g
    # varies across its two grid cells (the grid resolves every steep feature of φ).
    spread = np.maximum(np.abs(values[interior - 1] - values[interior]),
                        np.abs(values[interior + 1] - values[interior]))
    near = np.abs(values[interior]) <= 4.0 * spread + 1e-9
    for k, s in [(k, 1.0) for k in interior[vmin & near & (values[interior] > 0)]] + \
                [(k, -1.0) for k in interior[vmax & near & (values[interior] < 0)]]:
        res = optimize.minimize_scalar(lambda x, s=s: s * g(np.array([x]))[0],
                                       bounds=(grid[k - 1], grid[k + 1]), method="bounded",
                                       options={"xatol": 1e-14})
        if abs(res.fun) <= 1e-10 * (1.0 + abs(res.x)):
            roots.append(float(res.x))
    roots = np.sort(np.array(roots, dtype=float))
    if roots.size:
        keep = np.concatenate([[True], np.diff(roots) > 1e-9 * (1.0 + np.abs(roots[1:]))])
        roots = roots[keep]
    return roots


def _qre_2x2(game: NormalFormGame, lam: float) -> list[LogitQRE]:
    a, b = game.payoffs[..., 0], game.payoffs[..., 1]
    # Row's log-odds of action 0 against q = P(column plays 0): lam * (r0 + r1 q).
    r0, r1 = a[0, 1] - a[1, 1], (a[0, 0] - a[1, 0]) - (a[0, 1] - a[1, 1])
    c0, c1 = b[1, 0] - b[1, 1], (b[0, 0] - b[0, 1]) - (b[1, 0] - b[1, 1])

    def col_logodds(x):
        return lam * (c0 + c1 * special.expit(x))

    def g(x):
        return x - lam * (r0 + r1 * special.expit(col_logodds(x)))

    bound = lam * max(abs(r0), abs(r0 + r1))
    centers, widths = [0.0], [1.0]
    if c1 != 0 and 0 < -c0 / c1 < 1:
        p_star = -c0 / c1
        centers.append(float(special.logit(p_star)))
        widths.append(1.0 / (lam * abs(c1) * p_star * (1 - p_star) + 1e-300))
    out = []
    for x in _all_roots(g, bound, centers, widths):
        y = col_logodds(x)
        p = np.array([special.expit(x), special.expit(-x)])
        q = np.array([special.expit(y), special.expit(-y)])
        out.append(_record(game, (p, q), lam, "all"))
    return out


def symmetric_binary_table(game: NormalFormGame, tol: float = 0.0) -> np.ndarray | None:
    """Payoff table of a symmetric game with two actions per player, or None if not symmetric.

    ``table[a, m]`` is a player's payoff for own action ``a`` when ``m`` of the other players
    choose action 0.
    """
    n = game.n_players
    if any(k != 2 for k in game.shape):
        return None
    table = np.full((2, n), np.nan)
    for profile in product((0, 1), repeat=n):
        zeros = profile.count(0)
        for i in range(n):
            own = profile[i]
            m = zeros - (own == 0)
            value = game.payoffs[profile + (i,)]
            if np.isnan(table[own, m]):
                table[own, m] = value
            elif abs(table[own, m] - value) > tol:
                return None
    return table


def _binomial_mix(table_diff: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Σ_m Binom(n−1, m; p)·table_diff[m], vectorized over p, in chunks."""
    n1 = table_diff.size - 1
    m = np.arange(n1 + 1)
    logc = special.gammaln(n1 + 1) - special.gammaln(m + 1) - special.gammaln(n1 - m + 1)
    out = np.empty(p.shape)
    flat_p, flat_out = p.reshape(-1), out.reshape(-1)
    chunk = max(1, 2_000_000 // (n1 + 1))
    for s in range(0, flat_p.size, chunk):
        pp = flat_p[s:s + chunk, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            logw = logc + special.xlogy(m, pp) + special.xlog1py(n1 - m, -pp)
        flat_out[s:s + chunk] = np.exp(logw) @ table_diff
    return out


def qre_symmetric(table, lam: float) -> list[tuple[float, float]]:
    """Every symmetric logit QRE of a symmetric binary-action game given by its payoff table.

    Works for large numbers of players (the game is never expanded to a full payoff array).

    Parameters
    ----------
    table : array_like, shape (2, n_players)
        ``table[a, m]``: payoff of own action ``a`` when ``m`` of the n − 1 others choose 0.
    lam : float
        Precision λ ≥ 0.

    Returns
    -------
    list of (p, residual)
        P(action 0) at each symmetric QRE, in increasing order, with its certificate
        |p − σ(λ·Δ(p))| where Δ is the expected payoff difference (computed by direct
        summation with :func:`scipy.stats.binom.pmf`, separately from the root finder).

    Examples
    --------
    >>> import numpy as np
    >>> table = np.array([[0.0, 1.0, 2.0], [0.5, 1.5, 1.5]])   # 3 players
    >>> [round(p, 6) for p, _ in qre_symmetric(table, 0.0)]
    [0.5]
    """
    from scipy import stats

    lam = _check_lam(lam, "qre_symmetric")
    t = np.asarray(table, dtype=float)
    if t.ndim != 2 or t.shape[0] != 2 or t.shape[1] < 1 or not np.all(np.isfinite(t)):
        raise InvalidParameterError("qre_symmetric", "table", "a finite array of shape "
                                    "(2, n_players)", f"shape {t.shape}")
    diff = t[0] - t[1]
    bound = lam * float(np.max(np.abs(diff)))

    def g(x):
        return x - lam * _binomial_mix(diff, special.expit(np.asarray(x, dtype=float)))

    # Steps of φ sit at the zeros of Δ(p); find them (and near-zeros) on a fine p grid.
    n_grid = max(4001, 40 * diff.size)
    pg = np.linspace(0.0, 1.0, n_grid)
    dg = _binomial_mix(diff, pg)
    centers, widths = [0.0], [1.0]
    sign = np.sign(dg)
    cand = list(np.flatnonzero(sign[:-1] * sign[1:] <= 0))
    absd = np.abs(dg)
    cand += list(np.flatnonzero((absd[1:-1] <= absd[:-2]) & (absd[1:-1] <= absd[2:])) + 1)
    slope = np.gradient(dg, pg)
    for k in sorted(set(cand)):
        k = min(max(k, 1), n_grid - 2)
        p_k = pg[k]
        if 0 < p_k < 1:
            centers.append(float(special.logit(p_k)))
            widths.append(1.0 / (lam * abs(slope[k]) * p_k * (1 - p_k) + 1e-300))
    out = []
    for x in _all_roots(g, bound, centers, widths, n_prob=n_grid):
        p = float(special.expit(x))
        m = np.arange(diff.size)
        delta = float(stats.binom.pmf(m, diff.size - 1, p) @ diff)
        out.append((p, abs(p - float(special.expit(lam * delta)))))
    return out


# -- principal branch by pseudo-arclength continuation ----------------------------------------
class _Branch:
    """H(w, λ) = 0 in log-probabilities w; equations per player: logit odds and Σ exp(w) = 1."""

    def __init__(self, game: NormalFormGame):
        self.payoffs = game.payoffs
        self.shape = game.shape
        self.offsets = np.concatenate([[0], np.cumsum(self.shape)])
        self.n = int(self.offsets[-1])

    def split(self, w):
        return [w[self.offsets[i]:self.offsets[i + 1]] for i in range(len(self.shape))]

    def residual(self, z):
        # A wild Newton iterate may overflow exp; the callers reject non-finite values.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._residual(z)

    def jacobian(self, z):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._jacobian(z)

    def _residual(self, z):
        w, lam = z[:-1], z[-1]
        probs = [np.exp(x) for x in self.split(w)]
        values = _action_values(self.payoffs, probs)
        out = np.empty(self.n)
        for i, (x, v, p) in enumerate(zip(self.split(w), values, probs)):
            o = self.offsets[i]
            out[o:o + len(x) - 1] = (x[1:] - x[0]) - lam * (v[1:] - v[0])
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
            jac[rows, o + 1:o + ni] += np.eye(ni - 1)
            jac[rows, o] -= 1.0
            jac[o + ni - 1, o:o + ni] = probs[i]
            jac[rows, -1] = -(values[i][1:] - values[i][0])
            for k in range(n_players):
                if k == i:
                    continue
                cross = _cross_values(self.payoffs, probs, i, k)
                block = (cross[1:] - cross[0]) * probs[k][None, :]
                ok = self.offsets[k]
                jac[rows, ok:ok + self.shape[k]] -= lam * block
        return jac


def _tangent(jac: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    _, _, vt = np.linalg.svd(jac)
    t = vt[-1]
    if previous is None:
        return t if t[-1] >= 0 else -t
    return t if t @ previous >= 0 else -t


def _correct(branch: _Branch, z: np.ndarray, t: np.ndarray, tol: float, max_iter: int = 12):
    """Newton on [H(z) = 0; t·(z − z_pred) = 0]; returns (z, converged, iterations)."""
    z_pred = z.copy()
    for it in range(max_iter):
        h = branch.residual(z)
        eq = np.concatenate([h, [t @ (z - z_pred)]])
        if np.max(np.abs(h)) <= tol and it > 0:
            return z, True, it
        aug = np.vstack([branch.jacobian(z), t])
        try:
            dz = np.linalg.solve(aug, -eq)
        except np.linalg.LinAlgError:
            return z, False, it
        z = z + dz
        if not np.all(np.isfinite(z)):
            return z, False, it
        if np.max(np.abs(dz)) <= tol * 1e-2:
            h = branch.residual(z)
            return z, bool(np.max(np.abs(h)) <= tol), it + 1
    return z, bool(np.max(np.abs(branch.residual(z))) <= tol), max_iter


def _solve_at_lam(branch: _Branch, w0: np.ndarray, lam: float, tol: float):
    """Newton in w at fixed λ (natural parameter), from a nearby point of the branch."""
    w = w0.copy()
    for _ in range(30):
        z = np.concatenate([w, [lam]])
        h = branch.residual(z)
        if np.max(np.abs(h)) <= tol:
            return w, True
        jac = branch.jacobian(z)[:, :-1]
        try:
            w = w + np.linalg.solve(jac, -h)
        except np.linalg.LinAlgError:
            return w, False
    return w, bool(np.max(np.abs(branch.residual(np.concatenate([w, [lam]])))) <= tol)


@dataclass
class _Trace:
    points: list = field(default_factory=list)
    turning: list = field(default_factory=list)
    bifurcation: np.ndarray | None = None
    failed: str = ""


def _singular_measures(branch: _Branch, z: np.ndarray, t: np.ndarray):
    jac = branch.jacobian(z)
    svals = np.linalg.svd(jac, compute_uv=False)
    sign = np.sign(np.linalg.det(np.vstack([jac, t])))
    return svals[-1] / max(1.0, svals[0]), sign


def _trace_branch(branch: _Branch, lam_target: float, tol: float, max_steps: int,
                  lam_stop: float) -> _Trace:
    trace = _Trace()
    w0 = np.concatenate([np.full(k, -math.log(k)) for k in branch.shape])
    z = np.concatenate([w0, [0.0]])
    t = _tangent(branch.jacobian(z), None)
    sigma, det_sign = _singular_measures(branch, z, t)
    history = [(z, t, sigma)]
    h = min(0.05, max(lam_target, 1e-3) / 10.0)
    h_last = h  # the step that produced the newest point (for locating a fold)
    h_max = max(1.0, lam_stop / 4.0)
    trace.points.append(z)
    for _ in range(max_steps):
        z_new, ok, iters = _correct(branch, z + h * t, t, tol)
        t_new = _tangent(branch.jacobian(z_new), t) if ok else t
        if not ok or t_new @ t < 0.95:
            h *= 0.5
            if h < 1e-10:
                trace.failed = "step size underflow in the branch continuation"
                return trace
            continue
        sigma_new, det_new = _singular_measures(branch, z_new, t_new)
        # A sign change of the augmented determinant: odd-multiplicity branch point.
        if det_new != det_sign and det_new != 0:
            trace.bifurcation = _locate(branch, z, t, h, "det")
            trace.points.append(trace.bifurcation)  # on the curve: crossings before it count
            return trace
        # A local minimum of the smallest singular value that is nearly zero: even multiplicity.
        if len(history) >= 2:
            s_prev = history[-1][2]
            if s_prev < history[-2][2] and s_prev < sigma_new and s_prev < 0.05:
                zb, tb, _ = history[-2]
                located = _locate(branch, zb, tb, 2.0 * h_last, "sigma")
                if located is not None:
                    trace.bifurcation = located
                    trace.points[-1:] = [located] if located[-1] <= z[-1] else [z, located]
                    return trace
        if t_new[-1] * t[-1] < 0:
            trace.turning.append(float(z_new[-1]))
        z, t, det_sign, h_last = z_new, t_new, det_new, h
        history.append((z, t, sigma_new))
        history = history[-3:]
        trace.points.append(z)
        if z[-1] >= lam_stop:
            return trace
        if iters <= 2:
            h = min(h * 2.0, h_max)
        elif iters <= 4:
            h = min(h * 1.3, h_max)
    trace.failed = f"the branch did not reach lam={lam_stop:g} in {max_steps} steps"
    return trace


def _locate(branch: _Branch, z0: np.ndarray, t0: np.ndarray, span: float, kind: str):
    """Refine a suspected branch point between z0 and z0 + span·t0 along the curve."""
    def point(s):
        # Normal-flow (Moore–Penrose) Newton: well defined at the singular point itself.
        zs = z0 + s * t0
        for _ in range(30):
            h = branch.residual(zs)
            if np.max(np.abs(h)) <= 1e-12:
                return zs
            zs = zs - np.linalg.lstsq(branch.jacobian(zs), h, rcond=None)[0]
        return zs if np.max(np.abs(branch.residual(zs))) <= 1e-9 else None

    if kind == "det":
        # The augmented matrix is singular at the branch point itself, so the corrector only
        # converges near it: bisect on the determinant's sign, keeping the last good point.
        _, sign0 = _singular_measures(branch, z0, t0)
        lo, hi, best = 0.0, span, z0
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            zm = point(mid)
            if zm is None or hi - lo < 1e-9 * max(1.0, span):
                break
            _, sm = _singular_measures(branch, zm, _tangent(branch.jacobian(zm), t0))
            if sm == sign0:
                lo, best = mid, zm
            else:
                hi = mid
        return best

    def measure(s):
        zs = point(s)
        if zs is None:
            return 0.0  # the corrector fails only next to a singular point
        return _singular_measures(branch, zs, _tangent(branch.jacobian(zs), t0))[0]

    res = optimize.minimize_scalar(measure, bounds=(0.0, span), method="bounded",
                                   options={"xatol": 1e-10 * max(1.0, span)})
    if res.fun <= 1e-6:
        for s in (res.x, res.x * (1 - 1e-6), res.x * (1 - 1e-3)):
            zs = point(s)
            if zs is not None:
                return zs
        return z0
    return None


def _crossings(trace: _Trace, lam: float) -> list[tuple[np.ndarray, np.ndarray]]:
    pts = trace.points
    out = []
    for a, b in zip(pts[:-1], pts[1:]):
        if (a[-1] - lam) * (b[-1] - lam) <= 0 and a[-1] != b[-1]:
            if b[-1] == lam and out and out[-1][1][-1] == lam:
                continue
            out.append((a, b))
    return out


def _principal_branch(game: NormalFormGame, lam: float, tol: float, max_steps: int,
                      follow: float) -> EquilibriumSet:
    branch = _Branch(game)
    lam_stop = max(lam * follow, lam + 1.0) if lam > 0 else 0.0
    if lam == 0.0:
        probs = [np.full(k, 1.0 / k) for k in game.shape]
        rec = _record(game, probs, 0.0, "principal")
        return EquilibriumSet(equilibria=(rec,), method="logit-principal-branch", complete=False,
                              message="lam = 0: the uniform profile", game=game)
    trace = _trace_branch(branch, lam, tol, max_steps, lam_stop)
    found = []
    for a, b in _crossings(trace, lam):
        frac = (lam - a[-1]) / (b[-1] - a[-1])
        w, ok = _solve_at_lam(branch, a[:-1] + frac * (b[:-1] - a[:-1]), lam, tol)
        if ok:
            rec = _record(game, [np.exp(x) for x in branch.split(w)], lam, "principal")
            found.append(rec)
    details = {"turning_points": tuple(trace.turning)}
    if trace.bifurcation is not None and (not found or trace.bifurcation[-1] <= lam):
        z = trace.bifurcation
        lam_b = float(z[-1])
        point = _record(game, [np.exp(x) for x in branch.split(z[:-1])], lam_b, "principal")
        details.update(bifurcation_lam=lam_b, bifurcation_point=point)
        message = (f"the principal branch bifurcates at lam ≈ {lam_b:.6g} < {lam:g}: beyond it "
                   "the branch is not unique, so no point is returned")
        warnings.warn(message, QREBifurcationWarning, stacklevel=3)
        return EquilibriumSet(equilibria=(), method="logit-principal-branch", complete=False,
                              success=False, status=2, message=message, details=details,
                              game=game)
    if trace.bifurcation is not None:
        details.update(bifurcation_lam=float(trace.bifurcation[-1]))
    if not found:
        message = trace.failed or "no point of the branch at this lam was found"
        warnings.warn(message, ConvergenceWarning, stacklevel=3)
        return EquilibriumSet(equilibria=(), method="logit-principal-branch", complete=False,
                              success=False, status=1, message=message, details=details,
                              game=game)
    message = "principal branch"
    if len(found) > 1:
        message = (f"the principal branch folds back and meets lam={lam:g} {len(found)} times "
                   f"(turning points at lam ≈ {', '.join(f'{v:.4g}' for v in trace.turning)})")
        warnings.warn(message, QREBranchWarning, stacklevel=3)
    return EquilibriumSet(equilibria=tuple(found), method="logit-principal-branch",
                          complete=False, message=message, details=details, game=game)


def _symmetric_set(table: np.ndarray, lam: float, game) -> EquilibriumSet:
    """Every symmetric QRE of a game given by its payoff table, as records (any N)."""
    from scipy import stats

    n = table.shape[1]
    found = []
    for p, residual in qre_symmetric(table, lam):
        w = stats.binom.pmf(np.arange(n), n - 1, p)
        values = np.array([w @ table[0], w @ table[1]])
        mix = np.array([p, 1.0 - p])
        payoff = float(values @ mix)
        found.append(LogitQRE(strategies=(mix,) * n, lam=lam, payoffs=np.full(n, payoff),
                              residual=residual, max_regret=max(0.0, values.max() - payoff),
                              branch="all"))
    return EquilibriumSet(equilibria=tuple(found), method="logit-symmetric-all", complete=False,
                          message=f"all {len(found)} symmetric QRE (asymmetric QRE not searched)",
                          details={"complete_symmetric": True}, game=game)


# -- public entry point ----------------------------------------------------------------------
def qre(game: NormalFormGame, lam: float, *, method: str = "auto", tol: float = 1e-11,
        max_steps: int = 20_000, follow: float = 2.0) -> EquilibriumSet:
    """Logit quantal response equilibria of a normal-form game at precision ``lam``.

    Parameters
    ----------
    game : NormalFormGame or symmetric binary game
        A normal-form game, or any object with ``payoff_0`` and ``payoff_1`` vectors (payoff
        of action 0/1 when k of the N − 1 others take action 0), e.g.
        ``cg.SymmetricBinaryGame``; the latter is never expanded, so N can be large.
    lam : float
        Precision λ ≥ 0; P(a) ∝ exp(λ·u(a)) with the raw payoffs.
    method : {"auto", "all", "branch"}
        ``"all"``: every QRE of a 2x2 game, or every symmetric QRE of a symmetric game with two
        actions per player. ``"branch"``: the principal branch by arclength continuation.
        ``"auto"`` uses ``"all"`` where it applies, else ``"branch"``.
    tol : float
        Residual tolerance of the continuation's corrector.
    max_steps : int
        Step budget of the continuation.
    follow : float
        The branch is followed up to λ·follow, so that folds that bring it back to λ are seen.

    Returns
    -------
    EquilibriumSet
        Of :class:`LogitQRE` records, each with its ``residual`` certificate. ``complete`` is
        True only for the 2x2 ``"all"`` path. On a bifurcation before λ the set is empty,
        ``success`` is False, ``status`` is 2 and ``details["bifurcation_lam"]`` says where.

    Raises
    ------
    InvalidParameterError
        If ``lam`` is negative, NaN or infinite, or ``method`` is unknown or does not apply.

    Warns
    -----
    QREBifurcationWarning
        The principal branch bifurcates before λ.
    QREBranchWarning
        The principal branch folds back and meets λ more than once.

    Examples
    --------
    McKelvey and Palfrey's (1995) asymmetric matching pennies (row player's payoff 9 when
    both play "left") has one QRE at every λ; the row player over-plays "left":

    >>> import numpy as np, coordgap as cg
    >>> A = np.array([[9, 0], [0, 1]]); B = np.array([[0, 1], [1, 0]])
    >>> res = cg.qre(cg.NormalFormGame.from_bimatrix(A, B), 2.0)
    >>> len(res), res.complete, res[0].residual < 1e-12
    (1, True, True)
    >>> [round(float(p[0]), 4) for p in res[0].strategies]
    [0.8608, 0.1911]
    """
    lam = _check_lam(lam)
    if method not in _METHODS:
        raise InvalidParameterError("qre", "method", "one of " + ", ".join(map(repr, _METHODS)),
                                    method, did_you_mean(str(method), _METHODS))
    if not isinstance(game, NormalFormGame) and hasattr(game, "payoff_0") \
            and hasattr(game, "payoff_1"):
        # A symmetric binary-action game given by its two payoff vectors (never expanded).
        if method == "branch":
            raise InvalidParameterError("qre", "method", "'all' or 'auto' for a symmetric "
                                        "binary-action game", method)
        return _symmetric_set(np.vstack([np.asarray(game.payoff_0, dtype=float),
                                         np.asarray(game.payoff_1, dtype=float)]), lam, game)
    if not isinstance(game, NormalFormGame):
        raise InvalidParameterError("qre", "game", "a NormalFormGame or a symmetric binary "
                                    "game (payoff_0, payoff_1)", type(game).__name__)
    is_2x2 = game.shape == (2, 2)
    table = symmetric_binary_table(game) if (not is_2x2 and game.n_players <= 12) else None
    if method == "all" and not is_2x2 and table is None:
        raise InvalidParameterError("qre", "method", "'branch' or 'auto' for a game that is "
                                    "neither 2x2 nor symmetric with two actions", method)
    if method == "branch" or (method == "auto" and not is_2x2 and table is None):
        return _principal_branch(game, lam, tol, max_steps, follow)
    if is_2x2:
        found = _qre_2x2(game, lam)
        return EquilibriumSet(equilibria=tuple(found), method="logit-2x2-all", complete=True,
                              n_equilibria=len(found), message=f"all {len(found)} QRE",
                              game=game)
    found = []
    for p, _ in qre_symmetric(table, lam):
        probs = [np.array([p, 1.0 - p])] * game.n_players
        found.append(_record(game, probs, lam, "all"))
    return EquilibriumSet(equilibria=tuple(found), method="logit-symmetric-all", complete=False,
                          message=f"all {len(found)} symmetric QRE (asymmetric QRE not searched)",
                          details={"complete_symmetric": True}, game=game)
