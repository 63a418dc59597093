"""Every QRE of a game that reduces to one scalar equation: 2x2 games and symmetric QRE.

The fixed point reduces to g(x) = x − φ(x) = 0 in a log-odds x ∈ ℝ, with φ bounded by
M = λ·max|payoff difference|, so every root lies in [−M, M]. :func:`_all_roots` scans the
equation on a grid that is uniform in x, uniform in probability, and dense around every point
where φ has a steep step, refines each sign change by Brent's method and checks each local
extremum of g that comes close to zero for a tangency (double) root. :func:`_qre_2x2` lists
every QRE of a 2x2 game; :func:`qre_symmetric` every symmetric QRE of a symmetric game with
two actions per player, given by its payoff table (:func:`symmetric_binary_table`), for any
number of players. The expected payoff differences of the scan come from
:func:`_binomial_mix`; the residuals and regrets reported with the roots are computed by
:mod:`coordgap.solvers.certify` (direct binomial weights from :mod:`scipy.stats`).
"""

from __future__ import annotations

from itertools import product

import numpy as np
from scipy import optimize, special

from ...errors import InvalidParameterError
from ...games.normal_form import NormalFormGame
from ...results import EquilibriumSet
from ...tolerances import MINIMIZE_XATOL, ROOT_RTOL, ROOT_XTOL, SAME_POINT, SCAN_RESIDUAL
from ..certify import logit_certificate_symmetric_binary
from .records import LogitQRE, _check_lam, _record


def _all_roots(g, bound: float, centers, widths, n_prob: int = 4001) -> np.ndarray:
    """Every root of g(x) = x − φ(x) with |φ| ≤ bound, as log-odds x.

    The grid is uniform on [−bound−1, bound+1], uniform in p = σ(x), and dense (step w/10 out
    to ±60 w, then geometric) around each center c with width w where φ has a steep step.
    """
    pieces = [
        np.linspace(-bound - 1.0, bound + 1.0, 2001),
        special.logit(np.linspace(0.0, 1.0, n_prob)[1:-1]),
        np.linspace(-40.0, 40.0, 801),
    ]
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
    found: list[float] = []
    exact = np.flatnonzero(values == 0.0)
    found.extend(grid[exact].tolist())
    sign = np.sign(values)
    change = np.flatnonzero(sign[:-1] * sign[1:] < 0)
    for k in change:
        found.append(
            optimize.brentq(g, grid[k], grid[k + 1], xtol=ROOT_XTOL, rtol=ROOT_RTOL, maxiter=200)
        )
    # Tangencies: a local extremum of g that touches zero without a sign change.
    interior = np.arange(1, grid.size - 1)
    vmin = (values[interior] <= values[interior - 1]) & (values[interior] <= values[interior + 1])
    vmax = (values[interior] >= values[interior - 1]) & (values[interior] >= values[interior + 1])
    # Screen: an extremum can touch zero only if |g| there is within reach of how much g
    # varies across its two grid cells (the grid resolves every steep feature of φ).
    spread = np.maximum(
        np.abs(values[interior - 1] - values[interior]),
        np.abs(values[interior + 1] - values[interior]),
    )
    near = np.abs(values[interior]) <= 4.0 * spread + 1e-9
    for k, s in [(k, 1.0) for k in interior[vmin & near & (values[interior] > 0)]] + [
        (k, -1.0) for k in interior[vmax & near & (values[interior] < 0)]
    ]:
        res = optimize.minimize_scalar(
            lambda x, s=s: s * g(np.array([x]))[0],
            bounds=(grid[k - 1], grid[k + 1]),
            method="bounded",
            options={"xatol": MINIMIZE_XATOL},
        )
        if abs(res.fun) <= SCAN_RESIDUAL * (1.0 + abs(res.x)):
            found.append(float(res.x))
    roots = np.sort(np.array(found, dtype=float))
    if roots.size:
        keep = np.concatenate([[True], np.diff(roots) > SAME_POINT * (1.0 + np.abs(roots[1:]))])
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

    Parameters
    ----------
    game : NormalFormGame
        The game.
    tol : float
        Largest difference allowed between payoffs that symmetry makes equal.

    Returns
    -------
    ndarray of shape (2, n_players), or None
        ``table[a, m]`` is a player's payoff for own action ``a`` when ``m`` of the other
        players choose action 0; None if the game is not symmetric with two actions each.

    Examples
    --------
    >>> import numpy as np, coordgap as cg
    >>> a = np.array([[4, 0], [3, 3]])   # stag hunt
    >>> symmetric_binary_table(cg.NormalFormGame.from_bimatrix(a, a.T)).tolist()
    [[0.0, 4.0], [3.0, 3.0]]
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
        pp = flat_p[s : s + chunk, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            logw = logc + special.xlogy(m, pp) + special.xlog1py(n1 - m, -pp)
        flat_out[s : s + chunk] = np.exp(logw) @ table_diff
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
        |p − σ(λ·Δ(p))| where Δ is the expected payoff difference, computed by
        :func:`coordgap.solvers.certify.logit_certificate_symmetric_binary` (direct summation
        with :func:`scipy.stats.binom.pmf`), not by the scan's own :func:`_binomial_mix`.

    Examples
    --------
    >>> import numpy as np
    >>> table = np.array([[0.0, 1.0, 2.0], [0.5, 1.5, 1.5]])   # 3 players
    >>> [round(p, 6) for p, _ in qre_symmetric(table, 0.0)]
    [0.5]
    """
    lam = _check_lam(lam, "qre_symmetric")
    t = np.asarray(table, dtype=float)
    if t.ndim != 2 or t.shape[0] != 2 or t.shape[1] < 1 or not np.all(np.isfinite(t)):
        raise InvalidParameterError(
            "qre_symmetric", "table", "a finite array of shape (2, n_players)", f"shape {t.shape}"
        )
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
    cand: list = list(np.flatnonzero(sign[:-1] * sign[1:] <= 0))
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
        out.append((p, logit_certificate_symmetric_binary(t[0], t[1], p, lam)[2]))
    return out


def _symmetric_set(table: np.ndarray, lam: float, game) -> EquilibriumSet:
    """Every symmetric QRE of a game given by its payoff table, as records (any N).

    Each record's expected payoff and regret come from the certificate, as its residual does.
    """
    n = table.shape[1]
    found = []
    for p, residual in qre_symmetric(table, lam):
        payoff, regret, _ = logit_certificate_symmetric_binary(table[0], table[1], p, lam)
        found.append(
            LogitQRE(
                strategies=(np.array([p, 1.0 - p]),) * n,
                lam=lam,
                payoffs=np.full(n, payoff),
                residual=residual,
                max_regret=regret,
                branch="all",
            )
        )
    return EquilibriumSet(
        equilibria=tuple(found),
        method="logit-symmetric-all",
        complete=False,
        message=f"all {len(found)} symmetric QRE (asymmetric QRE not searched)",
        details={"complete_symmetric": True},
        game=game,
    )
