"""Evolutionary dynamics: replicator equations and finite-population pairwise comparison.

Infinite populations
    :func:`replicator` integrates the replicator equation with :func:`scipy.integrate.solve_ivp`:
    one population playing a symmetric game (N-player: the co-players are drawn independently
    from the population state), or two populations playing a bimatrix game.
Finite populations (pairwise comparison, Fermi rule)
    In a population of Z individuals with k of type A, a random focal individual imitates a
    random model with probability [1 + exp(−β(f_model − f_focal))]^(−1). The gradient of
    selection is G(k) = T⁺(k) − T⁻(k) = (k/Z)·w(k)·tanh(β(f_A(k) − f_B(k))/2), where the weight
    ``w`` depends on how the model is drawn — the **convention**:

    ``convention="Z"``
        w = (Z − k)/Z: focal and model drawn independently from the whole population (as in
        Santos & Pacheco 2011, eq. 3).
    ``convention="Z-1"``
        w = (Z − k)/(Z − 1): the model is drawn among the Z − 1 *others* (Traulsen, Nowak &
        Pacheco 2006; the convention of EGTtools).

    Fixation probabilities and the small-mutation stationary distribution do not depend on the
    convention (the weight cancels in T⁻/T⁺ = exp(−β(f_A − f_B))).
Small-mutation limit (Fudenberg & Imhof 2006)
    The population is almost always monomorphic; it moves from strategy i to j at rate
    ρ_ij/(n − 1). :func:`stationary_distribution` returns the stationary law of that chain.

Symmetric binary-action games are given by a payoff table ``table[a, m]``: the payoff of own
action a (0 = "A", 1 = "B") when m of the group's other members choose A.

References
----------
Taylor, P. D. and Jonker, L. B. (1978). Evolutionary stable strategies and game dynamics.
Traulsen, A., Nowak, M. A. and Pacheco, J. M. (2006). Stochastic dynamics of invasion and
fixation. *Physical Review E* 74, 011909.
Fudenberg, D. and Imhof, L. A. (2006). Imitation processes with small mutations. *Journal of
Economic Theory* 131, 251–262.
Santos, F. C. and Pacheco, J. M. (2011). Risk of collective failure provides an escape from the
tragedy of the commons. *PNAS* 108, 10421–10425.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import integrate, special

from ..errors import ConvergenceWarning, InvalidParameterError, did_you_mean
from ..games.normal_form import NormalFormGame
from ..results import Result
from ..tolerances import (
    MINIMIZE_XATOL,
    ODE_ATOL,
    ODE_RTOL,
    PROBABILITY_SUM,
    ROOT_RESIDUAL,
    ROOT_RTOL,
    ROOT_XTOL,
    SAME_ROOT,
)
from .qre import _action_values

__all__ = [
    "replicator",
    "ReplicatorTrajectory",
    "binary_fitness",
    "binary_gradient",
    "binary_finite_fitness",
    "fermi_gradient",
    "fixation_probability",
    "stationary_distribution",
    "StationaryDistribution",
    "CONVENTIONS",
    "binary_interior_roots",
]

CONVENTIONS = ("Z", "Z-1")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ReplicatorTrajectory(Result):
    """A solution of the replicator equation.

    Attributes
    ----------
    times : ndarray, shape (T,)
    states : tuple of ndarray
        One array of shape (T, n_actions) per population (one for the symmetric game).
    final : tuple of ndarray
        The state of each population at the last time.
    method : str
        ``"replicator-symmetric"`` or ``"replicator-two-population"``.
    success, status, message
        From :func:`scipy.integrate.solve_ivp`.
    """

    times: np.ndarray
    states: tuple
    final: tuple
    method: str
    success: bool = True
    status: int = 0
    message: str = ""


def _simplex_point(owner: str, x, n: int, name: str) -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    if (
        arr.shape != (n,)
        or not np.all(np.isfinite(arr))
        or np.any(arr < 0)
        or abs(arr.sum() - 1.0) > PROBABILITY_SUM
    ):
        raise InvalidParameterError(
            owner,
            name,
            f"a probability vector of length {n} (non-negative, summing to 1)",
            np.asarray(x).tolist(),
        )
    return arr


def _symmetric_fitness(game: NormalFormGame):
    if len(set(game.shape)) != 1:
        raise InvalidParameterError(
            "replicator",
            "game",
            "a symmetric game (every player has the same actions) for a single population",
            f"shape {game.shape}",
        )

    n = game.n_players
    return lambda x: _action_values(game.payoffs, [x] * n)[0]


def replicator(
    game, x0, t_span=(0.0, 50.0), *, t_eval=None, rtol: float = ODE_RTOL, atol: float = ODE_ATOL
) -> ReplicatorTrajectory:
    """Integrate the replicator equation ẋ_a = x_a (f_a(x) − x·f(x)).

    Parameters
    ----------
    game : NormalFormGame or callable
        A symmetric game (one population; player 0's payoffs against N − 1 co-players drawn
        from x), a two-player game with ``x0`` a pair (two populations), or a callable
        ``fitness(x) -> ndarray`` for one population.
    x0 : array_like or pair of array_like
        Initial state(s) in the simplex.
    t_span : (float, float)
    t_eval : array_like, optional
        Times at which to store the solution (default: the solver's steps).
    rtol, atol : float
        Tolerances of :func:`scipy.integrate.solve_ivp` (LSODA).

    Returns
    -------
    ReplicatorTrajectory

    Examples
    --------
    Hawk–dove (V = 2, C = 4): the population converges to the mixed ESS with V/C hawks.

    >>> import numpy as np, coordgap as cg
    >>> from coordgap.solvers.dynamics import replicator
    >>> hawk_dove = cg.NormalFormGame.from_bimatrix(np.array([[-1, 2], [0, 1]]),
    ...                                             np.array([[-1, 0], [2, 1]]))
    >>> traj = replicator(hawk_dove, [0.9, 0.1], (0, 60))
    >>> round(float(traj.final[0][0]), 6)
    0.5
    """
    two = isinstance(x0, (tuple, list)) and len(x0) == 2 and np.ndim(x0[0]) == 1
    if isinstance(game, NormalFormGame) and two:
        if game.n_players != 2:
            raise InvalidParameterError(
                "replicator",
                "game",
                "a two-player game for two populations",
                f"{game.n_players} players",
            )
        a, b = game.bimatrix()
        n0, n1 = game.shape
        x = _simplex_point("replicator", x0[0], n0, "x0")
        y = _simplex_point("replicator", x0[1], n1, "x0")

        def rhs(_, z):
            p, q = z[:n0], z[n0:]
            fp, fq = a @ q, b.T @ p
            return np.concatenate([p * (fp - p @ fp), q * (fq - q @ fq)])

        start = np.concatenate([x, y])
        method = "replicator-two-population"
        split = [n0]
    else:
        fitness = _symmetric_fitness(game) if isinstance(game, NormalFormGame) else game
        if not callable(fitness):
            raise InvalidParameterError(
                "replicator", "game", "a NormalFormGame or a fitness callable", type(game).__name__
            )
        start0 = np.asarray(x0, dtype=float)
        start = _simplex_point("replicator", start0, start0.size, "x0")

        def rhs(_, z):
            f = np.asarray(fitness(z), dtype=float)
            return z * (f - z @ f)

        method = "replicator-symmetric"
        split = []
    sol = integrate.solve_ivp(
        rhs, t_span, start, method="LSODA", t_eval=t_eval, rtol=rtol, atol=atol
    )
    if not sol.success:
        warnings.warn(
            f"replicator integration stopped: {sol.message}", ConvergenceWarning, stacklevel=2
        )
    states = tuple(np.split(sol.y.T, split, axis=1)) if split else (sol.y.T,)
    return ReplicatorTrajectory(
        times=sol.t,
        states=states,
        final=tuple(s[-1] for s in states),
        method=method,
        success=bool(sol.success),
        status=0 if sol.success else 1,
        message=str(sol.message),
    )


# -- symmetric binary-action games (payoff table) ---------------------------------------------
def _table(table) -> np.ndarray:
    t = np.asarray(table, dtype=float)
    if t.ndim != 2 or t.shape[0] != 2 or not np.all(np.isfinite(t)):
        raise InvalidParameterError(
            "dynamics", "table", "a finite array of shape (2, group_size)", f"shape {t.shape}"
        )
    return t


def binary_fitness(table, x) -> tuple[np.ndarray, np.ndarray]:
    """Expected payoffs (f_A, f_B) in an infinite population with a fraction ``x`` of A.

    Co-players are drawn independently: m ~ Binomial(N − 1, x). Vectorized over ``x``.

    Parameters
    ----------
    table : array_like, shape (2, N)
        Payoff table of the group game: ``table[a, m]`` is the payoff of action a (0 = A,
        1 = B) when m of the N − 1 co-players play A.
    x : float or array_like
        Fraction of A in the population, in [0, 1].

    Returns
    -------
    f_A, f_B : ndarray
        Expected payoffs, each of the shape of ``x``.

    Raises
    ------
    InvalidParameterError
        If ``table`` is not a finite array of shape (2, N).
    """
    t = _table(table)
    x = np.asarray(x, dtype=float)
    n1 = t.shape[1] - 1
    m = np.arange(n1 + 1)
    logc = special.gammaln(n1 + 1) - special.gammaln(m + 1) - special.gammaln(n1 - m + 1)
    xx = x[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.exp(logc + special.xlogy(m, xx) + special.xlog1py(n1 - m, -xx))
    return w @ t[0], w @ t[1]


def binary_gradient(table, x) -> np.ndarray:
    """Replicator gradient ẋ = x(1 − x)(f_A(x) − f_B(x)), vectorized over ``x``.

    Parameters
    ----------
    table : array_like, shape (2, N)
        Payoff table of the group game: ``table[a, m]`` is the payoff of action a (0 = A,
        1 = B) when m of the N − 1 co-players play A.
    x : float or array_like
        Fraction of A in the population, in [0, 1].

    Returns
    -------
    ndarray
        ẋ, same shape as ``x``.
    """
    x = np.asarray(x, dtype=float)
    fa, fb = binary_fitness(table, x)
    return x * (1.0 - x) * (fa - fb)


def binary_interior_roots(table, *, grid: int | None = None) -> list[tuple[float, str]]:
    """Interior rest points of the replicator gradient: roots of f_A(x) − f_B(x) in (0, 1).

    Δ(x) = f_A − f_B is a polynomial of degree N − 1 in Bernstein form. It is scanned on a
    dense grid (at least 40·N points); sign changes are refined by Brent's method and local
    extrema of |Δ| that touch zero are checked for tangencies (double roots).

    Parameters
    ----------
    table : array_like, shape (2, N)
        Payoff table of the group game: ``table[a, m]`` is the payoff of action a (0 = A,
        1 = B) when m of the N − 1 co-players play A.
    grid : int, optional
        Number of scan points (default max(4001, 40·N)).

    Returns
    -------
    list of (x, stability)
        ``"stable"`` where the gradient changes from + to − (Δ' < 0), ``"unstable"`` where it
        changes from − to +, ``"semi-stable"`` at a tangency.

    Examples
    --------
    Stag hunt in pairs (A: 3 with A, 0 with B; B: 2 whatever happens): unstable point at 2/3.

    >>> import numpy as np
    >>> [(round(x, 12), s) for x, s in binary_interior_roots(np.array([[0.0, 3.0],
    ...                                                                [2.0, 2.0]]))]
    [(0.666666666667, 'unstable')]
    """
    from scipy import optimize

    t = _table(table)
    n_grid = grid or max(4001, 40 * t.shape[1])

    def delta(x):
        fa, fb = binary_fitness(t, x)
        return fa - fb

    xs = np.linspace(0.0, 1.0, n_grid)
    d = delta(xs)
    scale = max(1.0, float(np.max(np.abs(t))))
    out: list[tuple[float, str]] = []
    for j in range(1, n_grid - 1):
        if d[j] == 0.0:
            out.append((float(xs[j]), "semi-stable"))
    change = np.flatnonzero(d[:-1] * d[1:] < 0)
    for k in change:
        root = optimize.brentq(delta, xs[k], xs[k + 1], xtol=ROOT_XTOL, rtol=ROOT_RTOL)
        out.append((float(root), "stable" if d[k] > 0 else "unstable"))
    absd = np.abs(d)
    idx = np.flatnonzero((absd[1:-1] < absd[:-2]) & (absd[1:-1] < absd[2:])) + 1
    for k in idx:
        if d[k - 1] * d[k + 1] <= 0 or d[k] == 0.0:
            continue  # a sign change, already handled
        sign = np.sign(d[k])
        res = optimize.minimize_scalar(
            lambda x: sign * delta(np.array([x]))[0],
            bounds=(xs[k - 1], xs[k + 1]),
            method="bounded",
            options={"xatol": MINIMIZE_XATOL},
        )
        if abs(res.fun) <= ROOT_RESIDUAL * scale:
            out.append((float(res.x), "semi-stable"))
    out.sort()
    return [r for i, r in enumerate(out) if i == 0 or r[0] - out[i - 1][0] > SAME_ROOT]


def binary_finite_fitness(table, population: int) -> tuple[np.ndarray, np.ndarray]:
    """Expected payoffs (f_A(k), f_B(k)) for k = 0..Z A-individuals in a population of Z.

    Groups are sampled without replacement: an A individual meets m ~ Hypergeometric(Z − 1,
    k − 1, N − 1) other A's; a B individual m ~ Hypergeometric(Z − 1, k, N − 1). Entries
    where the focal type is absent (f_A(0), f_B(Z)) are NaN.

    Parameters
    ----------
    table : array_like, shape (2, N)
        Payoff table of the group game: ``table[a, m]`` is the payoff of action a (0 = A,
        1 = B) when m of the N − 1 co-players play A.
    population : int
        Z ≥ N, the population size.

    Returns
    -------
    f_A, f_B : ndarray
        Shape (Z + 1,) each, indexed by k.

    Raises
    ------
    InvalidParameterError
        If ``population`` is smaller than the group size.
    """
    t = _table(table)
    z = int(population)
    n1 = t.shape[1] - 1
    if z < n1 + 1:
        raise InvalidParameterError(
            "dynamics", "population", f"an integer >= group size ({n1 + 1})", population
        )
    laws_a, laws_b = (
        _group_laws(n1, z)
        if (z + 1) * (n1 + 1) <= _CACHED_ENTRIES
        else _group_laws.__wrapped__(n1, z)
    )
    fa = laws_a @ t[0]
    fb = laws_b @ t[1]
    fa[0], fb[-1] = np.nan, np.nan
    return fa, fb


#: Largest table (entries per law) kept in the cache: 2 MiB for the two laws of one (N, Z).
_CACHED_ENTRIES = 2**17


@functools.lru_cache(maxsize=16)
def _group_laws(n1: int, z: int) -> tuple[np.ndarray, np.ndarray]:
    """Hypergeometric laws of the co-players' A count, rows k = 0..Z (read-only).

    Row k of the first array is Hypergeometric(Z − 1, k − 1, n1) (an A individual's n1
    co-players drawn without replacement), of the second Hypergeometric(Z − 1, k, n1) (a B
    individual's). They depend on (N, Z) only and their log-gamma terms are most of the cost
    of a gradient, so small ones are cached.
    """
    k = np.arange(z + 1)[:, None]
    m = np.arange(n1 + 1)[None, :]

    def hyper(successes):
        # P(m of n1 draws are A) from Z−1 others containing `successes` A's.
        with np.errstate(invalid="ignore"):
            logp = (
                _logbinom(successes, m)
                + _logbinom(z - 1 - successes, n1 - m)
                - _logbinom(np.float64(z - 1), np.float64(n1))
            )
        out = np.exp(logp)
        out.setflags(write=False)
        return out

    return hyper(k - 1.0), hyper(k.astype(float))


def _logbinom(n, r):
    n = np.asarray(n, dtype=float)
    r = np.asarray(r, dtype=float)
    ok = (r >= 0) & (r <= n) & (n >= 0)
    nn, rr = np.where(ok, n, 1.0), np.where(ok, r, 0.0)
    out = special.gammaln(nn + 1) - special.gammaln(rr + 1) - special.gammaln(nn - rr + 1)
    return np.where(ok, out, -np.inf)


def _check_convention(convention: str, owner: str) -> None:
    if convention not in CONVENTIONS:
        raise InvalidParameterError(
            owner,
            "convention",
            "one of 'Z' ((Z−k)/Z) or 'Z-1' ((Z−k)/(Z−1))",
            convention,
            did_you_mean(str(convention), CONVENTIONS),
        )


def fermi_gradient(table, k, population: int, beta: float, *, convention: str = "Z"):
    """Gradient of selection G(k) = T⁺(k) − T⁻(k) of the pairwise-comparison (Fermi) process.

    Parameters
    ----------
    table : array_like, shape (2, N)
        Payoff table of the group game (A = action 0).
    k : int or array_like of int
        Number of A individuals, 0 ≤ k ≤ Z.
    population : int
        Z ≥ N.
    beta : float
        Intensity of selection β ≥ 0.
    convention : {"Z", "Z-1"}
        Weight (Z − k)/Z (Santos & Pacheco 2011) or (Z − k)/(Z − 1) (Traulsen et al. 2006,
        EGTtools); see the module docstring.

    Returns
    -------
    ndarray or float
        (k/Z)·w(k)·tanh(β(f_A(k) − f_B(k))/2); 0 at k = 0 and k = Z.

    Examples
    --------
    When A always earns 1 more than B, G(k) = (k/Z)·w(k)·tanh(β/2):

    >>> import numpy as np
    >>> table = np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
    >>> round(fermi_gradient(table, 5, 10, 2.0), 6), round(float(np.tanh(1.0)) / 4, 6)
    (0.190399, 0.190399)
    >>> round(fermi_gradient(table, 5, 10, 2.0, convention="Z-1"), 6)
    0.211554
    """
    _check_convention(convention, "fermi_gradient")
    if not np.isfinite(beta) or beta < 0:
        raise InvalidParameterError("fermi_gradient", "beta", "a finite float >= 0", beta)
    z = int(population)
    kk = np.asarray(k)
    if np.any(kk < 0) or np.any(kk > z) or np.any(kk != np.round(kk)):
        raise InvalidParameterError(
            "fermi_gradient", "k", f"integers in [0, {z}]", np.asarray(k).tolist()
        )
    kk = kk.astype(int)
    fa, fb = binary_finite_fitness(table, z)
    diff = np.nan_to_num(fa - fb)[kk]
    denom = z if convention == "Z" else z - 1
    out = (kk / z) * ((z - kk) / denom) * np.tanh(0.5 * beta * diff)
    return out if np.ndim(k) else float(out)


def fixation_probability(table, population: int, beta: float, *, mutant: int = 0) -> float:
    """Probability that one mutant of type ``mutant`` takes over a resident population.

    ρ = 1 / (1 + Σ_{i=1}^{Z−1} Π_{k=1}^{i} T⁻(k)/T⁺(k)) with T⁻/T⁺ = exp(−β(f_m − f_r)),
    evaluated in log space. Independent of the drawing convention.

    Parameters
    ----------
    table : array_like, shape (2, N)
        Payoff table of the group game: ``table[a, m]`` is the payoff of action a (0 = A,
        1 = B) when m of the N − 1 co-players play A.
    population : int
        Z ≥ N, the population size.
    beta : float
        Intensity of selection β ≥ 0 (0 is neutral drift).
    mutant : {0, 1}
        The mutant's type: 0 for A invading B, 1 for B invading A.

    Returns
    -------
    float
        ρ ∈ [0, 1].

    Examples
    --------
    Under neutral drift (β = 0) a single mutant fixes with probability 1/Z:

    >>> import numpy as np
    >>> round(fixation_probability(np.array([[1.0, 2.0], [0.0, 3.0]]), 20, 0.0), 12)
    0.05
    """
    t = _table(table)
    if mutant == 1:  # relabel so that the mutant is type A
        t = t[::-1, ::-1]
    z = int(population)
    fa, fb = binary_finite_fitness(t, z)
    k = np.arange(1, z)
    log_ratio = -beta * (fa[k] - fb[k])
    partial = np.cumsum(log_ratio)
    return float(np.exp(-special.logsumexp(np.concatenate([[0.0], partial]))))


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class StationaryDistribution(Result):
    """Stationary distribution of the small-mutation chain over monomorphic states.

    Attributes
    ----------
    distribution : ndarray
        Long-run fraction of time in each monomorphic state.
    fixation : ndarray
        ``fixation[i, j]``: probability that one j mutant takes over an i population.
    transition : ndarray
        Embedded chain, ρ_ij/(n − 1) off the diagonal.
    method : str
        ``"small-mutation"``.
    success, status, message
        As in SciPy.
    """

    distribution: np.ndarray
    fixation: np.ndarray
    transition: np.ndarray
    method: str = "small-mutation"
    success: bool = True
    status: int = 0
    message: str = ""


def _pair_table(game: NormalFormGame, resident: int, mutant: int) -> np.ndarray:
    """table[a, m] for the two-strategy restriction {mutant (A), resident (B)} of game."""
    n = game.n_players
    table = np.empty((2, n))
    for own_idx, own in enumerate((mutant, resident)):
        for m in range(n):
            profile = (own,) + (mutant,) * m + (resident,) * (n - 1 - m)
            table[own_idx, m] = game.payoffs[profile + (0,)]
    return table


def stationary_distribution(
    game: NormalFormGame, population: int, beta: float
) -> StationaryDistribution:
    """Fudenberg–Imhof small-mutation limit of the pairwise-comparison process.

    ``game`` must be symmetric (player 0's payoffs are used; group size = number of players).

    Parameters
    ----------
    game : NormalFormGame
        A symmetric game; every player has the same n actions.
    population : int
        Z ≥ N, the population size.
    beta : float
        Intensity of selection β ≥ 0.

    Returns
    -------
    StationaryDistribution
        Long-run time share of each monomorphic state (one per action), with the pairwise
        fixation probabilities and the embedded chain.

    Raises
    ------
    InvalidParameterError
        If ``game`` is not a NormalFormGame with equally many actions per player.

    Examples
    --------
    Prisoner's dilemma: defection (action 1) dominates and the population is almost always
    all-defect.

    >>> import numpy as np, coordgap as cg
    >>> pd = cg.NormalFormGame.from_bimatrix(np.array([[3, 0], [5, 1]]),
    ...                                      np.array([[3, 5], [0, 1]]))
    >>> res = stationary_distribution(pd, 50, 1.0)
    >>> bool(res.distribution[1] > 0.999)
    True
    """
    if not isinstance(game, NormalFormGame) or len(set(game.shape)) != 1:
        raise InvalidParameterError(
            "stationary_distribution", "game", "a symmetric NormalFormGame", game
        )
    n = game.shape[0]
    rho = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i != j:
                rho[i, j] = fixation_probability(_pair_table(game, i, j), population, beta)
    trans = rho / max(n - 1, 1)
    np.fill_diagonal(trans, 1.0 - trans.sum(axis=1))
    # Stationary law: left null vector of (P − I), normalized.
    a = np.vstack([(trans.T - np.eye(n)), np.ones(n)])
    rhs = np.concatenate([np.zeros(n), [1.0]])
    dist = np.linalg.lstsq(a, rhs, rcond=None)[0]
    dist = np.clip(dist, 0.0, None)
    dist /= dist.sum()
    return StationaryDistribution(distribution=dist, fixation=rho, transition=trans)
