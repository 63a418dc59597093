"""M2 with privately known joining costs: Bayesian equilibria in cutoff strategies.

The registry participation game of :class:`~coordgap.ParticipationGame`, except that each
actor's joining cost is its private information. Actors come in classes r = 0..R−1 of
``count`` n_r interchangeable actors (one actor per class gives a plain list of actors). An
actor of class r has benefit share s_r, committed capacity q_r, productivity w_r and incentive
I_r, all common knowledge, and a joining cost k drawn independently of everything else from
the lognormal distribution with median k̃_r and log-scale dispersion σ_r (σ_r = 0 is the point
mass at k̃_r: complete information).

Payoffs are those of :class:`~coordgap.ParticipationGame` (same V, critical-mass curve φ and
assurance contract). Against the others' strategies, a class-r actor with cost k gains from
joining

    g_r(k) = D_r + π_r·(I_r − k) + (1 − π_r)·β,

where D_r = s_r·E[V(P ∪ {i}) − V(P)] is its expected marginal coordination value, π_r the
probability that the filings bind once it files (P(m + 1 ≥ m_A), m the number of other filers)
and β the assurance bonus paid, with the cost refunded, when the registry is void. g_r is
decreasing in k, so every best response is a **cutoff** strategy: join iff k ≤ c_r with

    c_r = T_r(p) = I_r + (D_r + (1 − π_r)·β)/π_r      (+∞ when π_r = 0),

and a class-symmetric Bayesian equilibrium is a vector of join probabilities p with
p_r = F_r(T_r(p)) for every class, F_r the cost distribution. The other actors join
independently, so the numbers of filers are Poisson-binomial: their distribution is computed
exactly, by dynamic programming over actors, for each distinct contribution w·q (the value V
depends only on the filers per contribution), never by simulation.

With σ_r = 0 the game is the complete-information game in which class r's actors have cost
k̃_r, and an equilibrium may then mix at the atom (0 < p_r < 1 with g_r(k̃_r) = 0).
:meth:`BayesianParticipationGame.regrets` is the certificate: it recomputes the others' join
probabilities from the cutoffs and the expected gains by a separate path (binomial
probabilities and convolutions) and returns, per class, the largest gain any type forgoes by
following its cutoff. ``cg.solve`` finds the equilibria
(:mod:`coordgap.solvers.bayesian_participation`); ``docs/private-information.md`` states the
model's assumptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InvalidParameterError, Shown
from ..params import Actors, Replaceable, declared_as, derived, param
from ..results import Result
from .participation import CRITICAL_MASS, ParticipationGame, validate_model

if TYPE_CHECKING:
    from scipy import special, stats
else:  # loaded on first use (start-up time)
    from .._lazy import lazy_module

    special = lazy_module("scipy.special")
    stats = lazy_module("scipy.stats")

__all__ = ["BayesianParticipationGame", "BayesianParticipationEquilibrium", "MAX_GRID"]

#: Largest number of joint filer-count vectors (over the distinct contributions w·q) a game may
#: have: the value V is tabulated on them.
MAX_GRID = 2**22
_SHARE_TOLERANCE = 1e-12


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class BayesianParticipationEquilibrium(Result):
    """A class-symmetric Bayesian equilibrium in cutoff strategies: join iff cost ≤ cutoff.

    Attributes
    ----------
    cutoffs : ndarray
        c_r, the cost at or below which an actor of class r joins (+∞: every type joins).
    join_prob : ndarray
        p_r = F_r(c_r), the probability that an actor of class r joins.
    filers_pmf : ndarray
        P(m filers) for m = 0..N, the distribution of the number of filers.
    expected_participation : float
        E[m] = Σ n_r·p_r.
    expected_coverage : float
        E[Σ_{filers} q_i]/Σ q_i (the expected filer share when no capacity is committed).
    prob_assurance_fails : float
        P(m < m_A): the assurance contract voids the registry (0 without a contract).
    prob_critical_mass_fails : float
        P(m < m*): the critical mass is not reached (0 for the curve ``"none"``).
    expected_value : float
        E[V(P)], the expected coordination value (USD m).
    expected_welfare : float
        E[V(P)] minus the expected joining costs of filings that bind (incentives, refunds and
        bonuses are transfers; a void filing costs nothing real).
    regrets : ndarray
        Per class, the largest expected gain any type forgoes by following its cutoff (the
        certificate, :meth:`BayesianParticipationGame.regrets`).
    max_regret : float
        The largest of ``regrets``.
    kind : str
        ``"least"``, ``"greatest"``, ``"unique"`` (when the list is complete) or ``""``.
    """

    cutoffs: np.ndarray
    join_prob: np.ndarray
    filers_pmf: np.ndarray
    expected_participation: float
    expected_coverage: float
    prob_assurance_fails: float
    prob_critical_mass_fails: float
    expected_value: float
    expected_welfare: float
    regrets: np.ndarray
    max_regret: float
    kind: str = ""

    @property
    def order_key(self) -> float:
        """E[m], by which equilibria are ordered (least, greatest)."""
        return self.expected_participation


def _ndtr(z):
    return special.ndtr(z)


@dataclass(frozen=True, slots=True, eq=False)
class BayesianParticipationGame(Replaceable):
    """Registry participation with privately known, lognormal joining costs.

    Every per-class parameter takes a scalar (the same for every class) or one value per
    class; a class has ``count`` interchangeable actors, so a list of actors is the special
    case ``count=1``.

    Parameters
    ----------
    share : float or array_like
        s_r ∈ (0, 1], the share of the coordination value each actor of class r internalizes;
        Σ_r n_r·s_r ≤ 1.
    cost_median : float or array_like
        k̃_r > 0, the median of a class-r actor's private joining cost (USD m).
    cost_sigma : float or array_like
        σ_r ≥ 0, the log-scale dispersion of the joining cost (0: the point mass at k̃_r,
        i.e. complete information).
    count : float or array_like
        n_r ≥ 1, an integer: the number of actors in class r.
    capacity, weight, incentive : float or array_like
        q_r, w_r and I_r as in :class:`~coordgap.ParticipationGame`.
    prob, harm, efficacy, baseline : float
        p, H, κ and R0 of the benefit B(R) = p·H·(1 − exp(−κR)).
    critical_mass : {"none", "step", "logistic"}
        The critical-mass curve φ.
    threshold : float
        m* ∈ [0, N], the critical mass.
    steepness : float
        σ_φ > 0, slope of the logistic curve.
    refund_threshold, refund_bonus : float
        The assurance contract: m_A ∈ [0, N] and the bonus β.
    names : sequence of str, optional
        Class names (default ``"class 0"``, ...).

    Raises
    ------
    InvalidParameterError
        On NaN/inf, a non-positive median, a negative dispersion, a count that is not an
        integer ≥ 1, Σ n_r·s_r > 1, a threshold above the number of actors N, or a game whose
        value table (filer counts per distinct contribution) would exceed ``MAX_GRID``.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.BayesianParticipationGame(share=0.1, cost_median=2.0, cost_sigma=0.5, count=6,
    ...                                  prob=0.5, harm=100.0, efficacy=0.5)
    >>> g.n_actors, g.n_classes
    (6, 1)
    >>> eq = cg.solve(g)
    >>> eq.complete, len(eq), eq[0].max_regret < 1e-9
    (True, 1, True)
    >>> round(float(eq[0].join_prob[0]), 4), round(eq[0].expected_participation, 3)
    (0.1986, 1.192)
    """

    share: Actors = declared_as(ParticipationGame, "share")
    cost_median: Actors = param(
        kind="actors",
        bounds=(0, math.inf),
        closed="neither",
        unit="USD m",
        symbol="k̃",
        doc="median joining cost; median of the privately known cost",
    )
    cost_sigma: Actors = param(
        0.5,
        kind="actors",
        bounds=(0, math.inf),
        closed="left",
        unit="1",
        symbol="σ_k",
        doc="dispersion of the joining cost; standard deviation of its logarithm",
    )
    count: Actors = param(
        1.0,
        kind="actors",
        bounds=(1, math.inf),
        unit="actors",
        symbol="n",
        doc="actors in the class",
    )
    capacity: Actors = declared_as(ParticipationGame, "capacity", 1.0)
    weight: Actors = declared_as(ParticipationGame, "weight", 1.0)
    incentive: Actors = declared_as(ParticipationGame, "incentive", 0.0)
    prob: float = declared_as(ParticipationGame, "prob", 1.0)
    harm: float = declared_as(ParticipationGame, "harm", 1.0)
    efficacy: float = declared_as(ParticipationGame, "efficacy", 1.0)
    baseline: float = declared_as(ParticipationGame, "baseline", 0.0)
    critical_mass: str = param(
        "none", kind="choice", choices=CRITICAL_MASS, doc="critical-mass curve φ"
    )
    threshold: float = declared_as(ParticipationGame, "threshold", 0.0)
    steepness: float = declared_as(ParticipationGame, "steepness", 1.0)
    refund_threshold: float = declared_as(ParticipationGame, "refund_threshold", 0.0)
    refund_bonus: float = declared_as(ParticipationGame, "refund_bonus", 0.0)
    names: tuple | None = param(None, kind="labels", doc="class names")
    _curve: Any = field(init=False, repr=False, default=None)
    _levels: Any = field(init=False, repr=False, default=None)
    _value: Any = field(init=False, repr=False, default=None)
    _diffs: Any = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        validate_model(self)
        owner = type(self).__name__
        counts = np.asarray(self.count)
        if not np.all(counts == np.round(counts)):
            bad = int(np.flatnonzero(counts != np.round(counts))[0])
            raise InvalidParameterError(
                owner, "count", "an integer >= 1 for every class", Shown(f"{counts[bad]!r}")
            )
        n = int(counts.sum())
        total = float(np.sum(counts * self.share))
        if total > 1.0 + _SHARE_TOLERANCE:
            raise InvalidParameterError(
                owner,
                "share",
                "a set of benefit shares with Σ count·share <= 1 (the benefit is diffuse)",
                Shown(f"sum {total!r}"),
            )
        for name in ("threshold", "refund_threshold"):
            if getattr(self, name) > n:
                raise InvalidParameterError(
                    owner,
                    name,
                    f"at most the number of actors N = {n}",
                    getattr(self, name),
                )
        if self.names is None:
            object.__setattr__(self, "names", tuple(f"class {r}" for r in range(counts.size)))
        # Levels: the distinct contributions a = w·q; V depends on the filers per level only.
        contribution = self.weight * self.capacity
        values, level_of = np.unique(contribution, return_inverse=True)
        sizes = np.bincount(level_of, weights=counts, minlength=values.size).astype(int)
        cells = math.prod(int(s) + 1 for s in sizes)
        if cells > MAX_GRID:
            raise InvalidParameterError(
                owner,
                "capacity",
                f"a game with at most {MAX_GRID} joint filer-count vectors over its distinct "
                "contributions w·q (group actors with equal contributions into classes)",
                Shown(f"{cells} vectors over {values.size} distinct contributions"),
            )
        with derived():
            curve = self._participation(slice(None))
        object.__setattr__(self, "_curve", curve)
        object.__setattr__(self, "_levels", (values, level_of, sizes))
        # V on the grid of filer counts per level (axis ℓ: 0..n_ℓ filers of contribution a_ℓ).
        axes = np.meshgrid(*[np.arange(s + 1, dtype=float) for s in sizes], indexing="ij")
        m = sum(axes)
        robustness = self.baseline + sum(a * x for a, x in zip(values, axes, strict=True))
        value = curve.registry_value(robustness, curve.critical_mass_curve(m) * curve.binding(m))
        value = np.asarray(value, dtype=float)
        value.flags.writeable = False
        object.__setattr__(self, "_value", value)
        object.__setattr__(
            self, "_diffs", tuple(np.diff(value, axis=lev) for lev in range(values.size))
        )

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def from_game(
        cls, game: ParticipationGame, cost_sigma=0.5, *, group: bool = True
    ) -> BayesianParticipationGame:
        """The Bayesian version of a complete-information game: each actor's cost k_i becomes
        the median of its private cost.

        Parameters
        ----------
        game : ParticipationGame
            A structural game (not one built from a value array).
        cost_sigma : float or array_like
            σ ≥ 0 for every actor (scalar) or one per actor.
        group : bool
            Group actors with identical parameters and role into classes (default); with
            False, every actor is its own class.

        Returns
        -------
        BayesianParticipationGame

        Raises
        ------
        InvalidParameterError
            For a game built from a value array, or a zero joining cost (a lognormal median
            must be positive).

        Examples
        --------
        >>> import coordgap as cg
        >>> g = BayesianParticipationGame.from_game(cg.ParticipationGame.default())
        >>> g.n_actors, g.n_classes, g.count.tolist()
        (58, 5, [5.0, 3.0, 8.0, 12.0, 30.0])
        """
        if game.value is not None:
            raise InvalidParameterError(
                f"{cls.__name__}.from_game",
                "game",
                "a structural ParticipationGame (not built from a value array)",
                Shown("a game with a value array"),
            )
        n = game.n_actors
        assert n is not None
        sigma = np.broadcast_to(np.asarray(cost_sigma, dtype=float), (n,))
        columns = np.column_stack(
            [game.share, game.cost, sigma, game.capacity, game.weight, game.incentive]
        )
        roles = game.roles or ("actor",) * n
        keys: dict[tuple, list[int]] = {}
        for i in range(n):
            key = (roles[i], *columns[i].tolist()) if group else (i,)
            keys.setdefault(key, []).append(i)
        first = [idx[0] for idx in keys.values()]
        names = [roles[idx[0]] if group else (game.names or ())[idx[0]] for idx in keys.values()]
        if len(set(names)) < len(names):
            names = [f"{name} {k}" for k, name in enumerate(names)]
        return cls(
            share=game.share[first],
            cost_median=game.cost[first],
            cost_sigma=sigma[first],
            count=np.array([len(idx) for idx in keys.values()], dtype=float),
            capacity=game.capacity[first],
            weight=game.weight[first],
            incentive=game.incentive[first],
            prob=game.prob,
            harm=game.harm,
            efficacy=game.efficacy,
            baseline=game.baseline,
            critical_mass=game.critical_mass,
            threshold=game.threshold,
            steepness=game.steepness,
            refund_threshold=game.refund_threshold,
            refund_bonus=game.refund_bonus,
            names=tuple(names),
        )

    @classmethod
    def default(cls, cost_sigma=0.5, *, incentives: bool = True) -> BayesianParticipationGame:
        """The packaged default calibration (:meth:`ParticipationGame.default`), five classes.

        Parameters
        ----------
        cost_sigma : float or array_like
            σ of every actor's private cost (the calibrated costs become medians).
        incentives : bool
            With False, every registry incentive is set to zero.

        Returns
        -------
        BayesianParticipationGame
        """
        return cls.from_game(ParticipationGame.default(incentives=incentives), cost_sigma)

    def complete_information_game(self) -> ParticipationGame:
        """The complete-information game in which every actor's cost is its class median.

        Returns
        -------
        ParticipationGame
            One actor per class member (N actors), roles the class names.
        """
        rep = np.repeat(np.arange(self.n_classes), self.counts)
        names = self.names or ()
        return self._participation(rep, roles=tuple(names[r] for r in rep))

    def _participation(self, index, **extra) -> ParticipationGame:
        """The participation game of the actors ``index`` picks from the classes, each with
        its class's numbers and the class median as its joining cost."""

        def column(values):
            return np.asarray(values, dtype=float)[index]

        return ParticipationGame(
            share=column(self.share),
            cost=column(self.cost_median),
            capacity=column(self.capacity),
            weight=column(self.weight),
            incentive=column(self.incentive),
            prob=self.prob,
            harm=self.harm,
            efficacy=self.efficacy,
            baseline=self.baseline,
            critical_mass=self.critical_mass,
            threshold=self.threshold,
            steepness=self.steepness,
            refund_threshold=self.refund_threshold,
            refund_bonus=self.refund_bonus,
            **extra,
        )

    # -- structure -----------------------------------------------------------------------------
    @property
    def n_classes(self) -> int:
        """R, the number of classes."""
        return int(np.asarray(self.count).size)

    @property
    def counts(self) -> np.ndarray:
        """n_r as integers."""
        return np.asarray(self.count).astype(int)

    @property
    def n_actors(self) -> int:
        """N = Σ n_r."""
        return int(self.counts.sum())

    @property
    def value_table(self) -> np.ndarray:
        """V on the grid of filer counts per distinct contribution (read-only)."""
        return self._value

    # -- the cost distribution ---------------------------------------------------------------------
    def cost_cdf(self, cost) -> np.ndarray:
        """F_r(k) = P(cost ≤ k) for every class (shape (..., R)).

        Parameters
        ----------
        cost : float or array_like
            Costs k, broadcast against the class axis (last).

        Returns
        -------
        ndarray
            F_r(k); for σ_r = 0, 1 where k ≥ k̃_r and 0 elsewhere.
        """
        k = np.asarray(cost, dtype=float)
        sigma = self.cost_sigma
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (np.log(np.maximum(k, 0.0)) - np.log(self.cost_median)) / np.where(
                sigma > 0, sigma, 1.0
            )
        smooth = np.where(k > 0, _ndtr(z), 0.0)
        return np.where(sigma > 0, smooth, (k >= self.cost_median).astype(float))

    def cost_quantile(self, prob) -> np.ndarray:
        """F_r⁻¹(p), the cutoff at which class r joins with probability p (shape (..., R)).

        Parameters
        ----------
        prob : float or array_like
            Join probabilities p ∈ [0, 1], broadcast against the class axis (last).

        Returns
        -------
        ndarray
            k̃_r·exp(σ_r·Φ⁻¹(p)): 0 at p = 0, +∞ at p = 1; k̃_r when σ_r = 0 and 0 < p < 1.
        """
        p = np.asarray(prob, dtype=float)
        with np.errstate(over="ignore"):
            q = self.cost_median * np.exp(self.cost_sigma * special.ndtri(p))
        point = np.where(p <= 0, 0.0, np.where(p >= 1, math.inf, self.cost_median))
        return np.where(self.cost_sigma > 0, q, point)

    def partial_cost(self, cutoffs, join_prob=None) -> np.ndarray:
        """E[k·1{k ≤ c_r}], the expected cost a class-r actor pays by following cutoff c_r.

        Parameters
        ----------
        cutoffs : array_like
            c_r, shape (R,).
        join_prob : array_like, optional
            p_r, needed for classes with σ_r = 0 that mix at the atom.

        Returns
        -------
        ndarray
            Shape (R,), in USD m.
        """
        c = np.asarray(cutoffs, dtype=float)
        sigma, med = self.cost_sigma, self.cost_median
        s = np.where(sigma > 0, sigma, 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (np.log(np.maximum(c, 0.0)) - np.log(med) - s**2) / s
        smooth = np.where(c > 0, med * np.exp(s**2 / 2) * _ndtr(z), 0.0)
        p = self.cost_cdf(c) if join_prob is None else np.asarray(join_prob, dtype=float)
        return np.where(sigma > 0, smooth, med * p)

    # -- the Poisson-binomial distribution ------------------------------------------------------
    def level_pmfs(self, join_prob, drop: int | None = None) -> list[np.ndarray]:
        """P(m_ℓ filers of contribution level ℓ), by dynamic programming over the actors.

        Parameters
        ----------
        join_prob : array_like
            p_r, shape (..., R) (leading axes are a batch).
        drop : int, optional
            A class one of whose actors is left out (the deviating actor).

        Returns
        -------
        list of ndarray
            One pmf per level (ordered by contribution), shape (..., n_ℓ + 1) (n_ℓ − 1 + 1
            on the level of ``drop``).
        """
        p = np.asarray(join_prob, dtype=float)
        return [self._level_pmf(p, lev, drop) for lev in range(self._levels[0].size)]

    def _level_pmf(self, p: np.ndarray, lev: int, drop: int | None) -> np.ndarray:
        """The Poisson-binomial pmf of filers on level ``lev``: one Bernoulli at a time."""
        _, level_of, sizes = self._levels
        counts = self.counts
        size = int(sizes[lev]) - (1 if drop is not None and level_of[drop] == lev else 0)
        pmf = np.zeros((*p.shape[:-1], size + 1))
        pmf[..., 0] = 1.0
        filled = 0
        for r in np.flatnonzero(level_of == lev):
            pr = p[..., r, None]
            for _ in range(int(counts[r]) - (1 if r == drop else 0)):
                head = pmf[..., : filled + 1] * pr
                pmf[..., : filled + 1] *= 1.0 - pr
                pmf[..., 1 : filled + 2] += head
                filled += 1
        return pmf

    @staticmethod
    def _convolve(pmfs: list[np.ndarray]) -> np.ndarray:
        """The pmf of the sum of independent counts (batched over leading axes)."""
        total = pmfs[0]
        for pmf in pmfs[1:]:
            if total.ndim == 1:
                total = np.convolve(total, pmf)
                continue
            n1, n2 = total.shape[-1], pmf.shape[-1]
            out = np.zeros((*total.shape[:-1], n1 + n2 - 1))
            for j in range(n2):
                out[..., j : j + n1] += total * pmf[..., j, None]
            total = out
        return total

    def filers_pmf(self, join_prob, drop: int | None = None) -> np.ndarray:
        """P(m filers), m = 0..N (or 0..N − 1 with ``drop``): the Poisson-binomial pmf.

        Parameters
        ----------
        join_prob : array_like
            p_r, shape (..., R).
        drop : int, optional
            A class one of whose actors is left out.

        Returns
        -------
        ndarray
            Shape (..., N + 1) (or (..., N)).

        Examples
        --------
        >>> g = BayesianParticipationGame(share=0.1, cost_median=1.0, count=[1, 2])
        >>> g.filers_pmf([0.5, 1.0]).tolist()
        [0.0, 0.0, 0.5, 0.5]
        """
        return self._convolve(self.level_pmfs(join_prob, drop))

    @staticmethod
    def _expect(table: np.ndarray, pmfs: list[np.ndarray]) -> np.ndarray:
        """Σ table[m]·Π_ℓ pmf_ℓ[m_ℓ], batched over the pmfs' leading axes."""
        batch = pmfs[0].shape[:-1]
        out = np.broadcast_to(table, (*batch, *table.shape)) if batch else table
        for pmf in reversed(pmfs):
            out = _contract_last(out, pmf, len(batch))
        return out

    def expected_terms(self, join_prob) -> tuple[np.ndarray, np.ndarray]:
        """(D_r, π_r): a class-r actor's expected marginal coordination value and the
        probability that the filings bind if it files, against others joining with p.

        Parameters
        ----------
        join_prob : array_like
            p_r, shape (..., R).

        Returns
        -------
        marginal : ndarray
            D_r = s_r·E[V(P ∪ {i}) − V(P)], shape (..., R).
        binding : ndarray
            π_r = P(m + 1 ≥ m_A), shape (..., R).
        """
        p = np.asarray(join_prob, dtype=float)
        _, level_of, _ = self._levels
        marginal = np.empty(p.shape)
        binding = np.empty(p.shape)
        full = self.level_pmfs(p)
        for r in range(self.n_classes):
            lev = int(level_of[r])
            pmfs = list(full)
            pmfs[lev] = self._level_pmf(p, lev, r)
            marginal[..., r] = self.share[r] * self._expect(self._diffs[lev], pmfs)
            others = self._convolve(pmfs)
            count = np.arange(others.shape[-1])
            binding[..., r] = others @ (count + 1 >= self.refund_threshold).astype(float)
        return marginal, np.clip(binding, 0.0, 1.0)

    def expected_gain(self, cost, join_prob) -> np.ndarray:
        """g_r(k) = D_r + π_r·(I_r − k) + (1 − π_r)·β for a class-r actor with cost k.

        Parameters
        ----------
        cost : float or array_like
            Costs k, broadcast against the class axis.
        join_prob : array_like
            The others' join probabilities p, shape (R,).

        Returns
        -------
        ndarray
            Expected gain from joining rather than staying out (USD m).
        """
        d, pi = self.expected_terms(join_prob)
        return (
            d
            + pi * (self.incentive - np.asarray(cost, dtype=float))
            + (1.0 - pi) * self.refund_bonus
        )

    def best_cutoffs(self, join_prob) -> np.ndarray:
        """T_r(p) = I_r + (D_r + (1 − π_r)·β)/π_r, the best-response cutoff (+∞ if π_r = 0).

        Parameters
        ----------
        join_prob : array_like
            p, shape (..., R).

        Returns
        -------
        ndarray
            Shape (..., R), in USD m.
        """
        d, pi = self.expected_terms(join_prob)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = self.incentive + (d + (1.0 - pi) * self.refund_bonus) / pi
        return np.where(pi > 0, t, math.inf)

    # -- outcomes ------------------------------------------------------------------------------
    def outcome(self, cutoffs, join_prob=None) -> dict[str, Any]:
        """Distribution of filers and expected outcomes when class r follows cutoff c_r.

        Parameters
        ----------
        cutoffs : array_like
            c_r, shape (R,).
        join_prob : array_like, optional
            p_r; by default F_r(c_r) (give it for a class with σ_r = 0 that mixes).

        Returns
        -------
        dict
            ``join_prob``, ``filers_pmf``, ``expected_participation``, ``expected_coverage``,
            ``prob_assurance_fails``, ``prob_critical_mass_fails``, ``expected_value`` and
            ``expected_welfare`` (see :class:`BayesianParticipationEquilibrium`).
        """
        c = np.asarray(cutoffs, dtype=float)
        p = self.cost_cdf(c) if join_prob is None else np.asarray(join_prob, dtype=float)
        pmf = self.filers_pmf(p)
        m = np.arange(pmf.size)
        n = self.counts
        total_q = float(np.sum(n * self.capacity))
        coverage = (
            float(np.sum(n * p * self.capacity)) / total_q
            if total_q > 0
            else float(np.sum(n * p)) / self.n_actors
        )
        value = float(self._expect(self._value, self.level_pmfs(p)))
        _, pi = self.expected_terms(p)
        cost = float(np.sum(n * self.partial_cost(c, p) * pi))
        return {
            "join_prob": p,
            "filers_pmf": pmf,
            "expected_participation": float(np.sum(n * p)),
            "expected_coverage": coverage,
            "prob_assurance_fails": float(pmf[m < self.refund_threshold].sum())
            if self.refund_threshold > 0
            else 0.0,
            "prob_critical_mass_fails": float(pmf[m < self.threshold].sum())
            if self.critical_mass != "none"
            else 0.0,
            "expected_value": value,
            "expected_welfare": value - cost,
        }

    # -- certificate (a separate path: binomial pmfs, convolutions, V from its definition) -------
    def regrets(self, cutoffs, join_prob=None) -> np.ndarray:
        """Per class, the largest expected gain any type forgoes by following its cutoff.

        The others' join probabilities are recomputed from the cutoffs (scipy's lognormal),
        the distribution of their filers per contribution by convolving binomial pmfs, and V
        from its definition; the gain is linear and decreasing in the type's cost, so the
        worst types are those just at and just above the cutoff.

        Parameters
        ----------
        cutoffs : array_like
            c_r, shape (R,).
        join_prob : array_like, optional
            p_r, used only for classes with σ_r = 0 (the probability of joining at the atom).

        Returns
        -------
        ndarray
            Shape (R,), ≥ 0 (USD m); 0 for an exact equilibrium.
        """
        c = np.asarray(cutoffs, dtype=float)
        sigma, med = self.cost_sigma, self.cost_median
        p = np.empty(c.shape)
        for r in range(c.size):
            if sigma[r] > 0:
                p[r] = float(stats.lognorm(s=sigma[r], scale=med[r]).cdf(c[r]))
            elif join_prob is not None:
                p[r] = float(np.asarray(join_prob)[r])
            else:
                p[r] = float(c[r] >= med[r])
        values, level_of, _ = self._levels
        counts = self.counts
        curve = self._curve
        out = np.zeros(c.size)
        for r in range(c.size):
            pmfs = []
            for lev in range(values.size):
                pmf = np.ones(1)
                for j in np.flatnonzero(level_of == lev):
                    n_j = int(counts[j]) - (1 if j == r else 0)
                    pmf = np.convolve(pmf, stats.binom.pmf(np.arange(n_j + 1), n_j, p[j]))
                pmfs.append(pmf)
            grids = np.meshgrid(*[np.arange(x.size, dtype=float) for x in pmfs], indexing="ij")
            weight = np.ones(())
            for pmf in pmfs:
                weight = np.multiply.outer(weight, pmf)
            others = sum(grids)
            rob = self.baseline + sum(a * x for a, x in zip(values, grids, strict=True))
            rob_in = rob + values[level_of[r]]
            phi_out = curve.critical_mass_curve(others) * (others >= self.refund_threshold)
            phi_in = curve.critical_mass_curve(others + 1) * (others + 1 >= self.refund_threshold)
            b0 = -self.prob * self.harm * math.expm1(-self.efficacy * self.baseline)
            v_out = b0 + phi_out * (-self.prob * self.harm * np.expm1(-self.efficacy * rob) - b0)
            v_in = b0 + phi_in * (-self.prob * self.harm * np.expm1(-self.efficacy * rob_in) - b0)
            marginal = self.share[r] * float(np.sum(weight * (v_in - v_out)))
            binds = float(np.sum(weight * (others + 1 >= self.refund_threshold)))

            def gain(k, marginal=marginal, binds=binds, r=r):
                return marginal + binds * (self.incentive[r] - k) + (1 - binds) * self.refund_bonus

            if sigma[r] == 0:
                g = gain(med[r])
                out[r] = max(-g, 0.0) if p[r] >= 1 else max(g, 0.0) if p[r] <= 0 else abs(g)
                continue
            if not math.isfinite(c[r]):  # every type joins: the costly ones regret it
                out[r] = math.inf if binds > 0 else 0.0
                continue
            worst = max(gain(max(c[r], 0.0)), 0.0)  # types just above c stay out
            if c[r] > 0:  # types in (0, c] join
                worst = max(worst, -gain(c[r]))
            out[r] = max(worst, 0.0)
        return out


def _contract_last(table: np.ndarray, pmf: np.ndarray, n_batch: int) -> np.ndarray:
    """Contract the last axis of ``table`` with ``pmf`` (batched over the leading axes)."""
    if n_batch == 0:
        return table @ pmf
    shape = pmf.shape[:n_batch] + (1,) * (table.ndim - n_batch - 1) + pmf.shape[-1:]
    return np.sum(table * pmf.reshape(shape), axis=-1)
