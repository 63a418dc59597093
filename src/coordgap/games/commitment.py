"""M3: commitment credibility — if-then plans that must be honoured ex post (docs/guide/m3-commitment.md).

A filing says "if trigger τ fires, I execute response a". When it fires, actor i's realized
response cost A_i is random (lognormal by default, or any ``scipy.stats`` frozen distribution)
and i honours its plan iff

    A_i ≤ S_i = b_i + L_i + s_i·ΔB_i + δ·W_i,

the stake it loses by defecting: the bond forfeited b_i, liability L_i, its own share of the
benefit of its response, and the continuation value of membership W_i that it loses on
expulsion (repeated-game credibility). W_i is the member's *rent*: the present value of the
member-only flows (incentives I_i, minus the joining cost k_i, the carrying cost r·b_i of the bond
and the expected cost of honouring future triggers), computed as the fixed point

    v = π + (1 − p_τ)·δ·v + p_τ·E[honour: δ·v − A;  defect: −(b + L)],
    π = I − k − r·b,    W = max(v, 0)   (a member may always leave, so W ≥ 0),

(see :meth:`CommitmentModel.rent`; the own benefit s·ΔB of responding enters the honouring
decision, while ex ante it is counted once, in the registry's coordination value).
An incentive paid only to members raises W, hence credibility, but an actor that never joins never
had it: it is not a cost of joining. Credibility is c_i = F_i(S_i); **credible coverage** is
Σ_i [i joined]·q_i·c_i / required capacity.

M2 and M3 are one model at two dates. Ex ante, an actor that joins pays its joining cost, the
carrying cost of its bond and, when a trigger fires, either its response cost or, if it
defects, the bond and liability (cash, not the own benefit it forgoes). At the participation
margin the membership rent is zero, so the expected ex post cost of the commitment is evaluated
at the stake without rent, S⁰_i = b_i + L_i + s_i·ΔB_i:

    joining cost = k_i + r·b_i + p_τ·(E[A_i·1{A_i ≤ S⁰_i}] + (b_i + L_i)·(1 − F_i(S⁰_i))).

This is exact: the member's value of membership is positive iff the one-period gain evaluated at
zero rent is positive (the fixed-point map has slope below one), and member-only incentives enter
the gain of joining with coefficient one — they can never lower participation.
:meth:`CommitmentModel.participation_game` builds that M2 game; :func:`coordgap.optimal_bond`
trades credibility against participation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import InvalidParameterError
from ..params import Actors, Replaceable, param
from ..results import Result
from .lognormal import (
    _ndtr,
    lognormal_cdf,
    lognormal_expected_min,
    lognormal_partial_expectation,
)
from .participation import (
    ParticipationGame,
    _number,
    load_default_calibration,
    role_arrays,
    validate_model,
)

__all__ = ["CommitmentModel", "CoverageDistribution"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class CoverageDistribution(Result):
    """Monte Carlo distribution of credible coverage when every trigger fires.

    Attributes
    ----------
    samples : ndarray
        Delivered capacity / required capacity in each draw.
    mean, std : float
        Sample mean and standard deviation.
    expected : float
        The closed-form expectation Σ joined·q_i·c_i / required (the mean converges to it).
    quantiles : ndarray
        The 5%, 50% and 95% sample quantiles.
    honour_rate : ndarray
        Per-actor share of draws in which the actor honoured (estimates c_i).
    n_draws : int
    """

    samples: np.ndarray
    mean: float
    std: float
    expected: float
    quantiles: np.ndarray
    honour_rate: np.ndarray
    n_draws: int


def _check_distributions(dist, n_actors: int):
    if dist is None:
        return None
    items = list(dist) if isinstance(dist, (list, tuple)) else [dist]
    for d in items:
        if not (hasattr(d, "cdf") and hasattr(d, "rvs") and hasattr(d, "expect")):
            raise InvalidParameterError(
                "CommitmentModel",
                "response_cost",
                "a scipy.stats frozen distribution or a sequence of them, one per actor",
                d,
            )
    if len(items) not in (1, n_actors):
        raise InvalidParameterError(
            "CommitmentModel",
            "response_cost",
            f"one distribution or {n_actors} (one per actor)",
            f"{len(items)} items",
        )
    return tuple(items)


@dataclass(frozen=True, slots=True, eq=False)
class CommitmentModel(Replaceable):
    """Ex post honouring of filed response plans, and its ex ante cost (docs/guide/m3-commitment.md).

    Parameters
    ----------
    capacity : float or array_like
        q_i ≥ 0, capacity committed by actor i's filing.
    bond : float or array_like
        b_i ≥ 0, performance bond forfeited if i does not honour.
    liability : float or array_like
        L_i ≥ 0, liability for failing to act.
    incentive : float or array_like
        I_i ≥ 0, member-only registry incentives per period, lost on expulsion.
    join_cost : float or array_like
        k_i ≥ 0, the per-period cost of membership (an expelled member no longer pays it).
    share : float or array_like
        s_i ∈ (0, 1], the actor's share of the benefit of its own response.
    response_benefit : float or array_like
        ΔB_i ≥ 0, the benefit of i's response (the actor captures s_i·ΔB_i).
    response_cost_median, response_cost_sigma : float or array_like
        Median (> 0) and log-scale dispersion σ (> 0) of the default lognormal response cost.
    discount : float
        δ ∈ [0, 1), the weight of the next period.
    required : float, optional
        Required capacity (> 0); default Σ q_i.
    carry_rate : float
        r ≥ 0, carrying cost per unit of bond (opportunity cost of capital).
    trigger_prob : float
        p_trigger ∈ [0, 1], probability that the trigger fires (per period).
    joined : array_like of bool, optional
        Who has filed (default: everyone).
    response_cost : scipy.stats frozen distribution or sequence, optional
        Replaces the lognormal: one distribution for all actors or one per actor.
    names, roles : sequence of str, optional
    n_actors : int, optional

    Raises
    ------
    InvalidParameterError
        On NaN/inf, negative capacity, bond, liability or incentive, a share outside (0, 1],
        a discount outside [0, 1), or a response-cost object that is not a distribution.

    Examples
    --------
    >>> import coordgap as cg
    >>> m = cg.CommitmentModel(capacity=[2.0, 1.0], bond=[1.0, 0.0], liability=0.5,
    ...                        incentive=0.2, share=0.1, response_benefit=5.0,
    ...                        response_cost_median=2.0, response_cost_sigma=0.5, discount=0.8,
    ...                        trigger_prob=0.1)
    >>> np.round(m.base_stake(), 6)   # b + L + s·ΔB
    array([2., 1.])
    >>> np.round(m.rent(), 4)   # membership rent W: incentives net of expected honouring cost
    array([0.2181, 0.5212])
    >>> np.round(m.credibility(), 4)   # Φ(ln(S/median)/σ), S = b + L + s·ΔB + δ·W
    array([0.5664, 0.2453])
    >>> round(m.credible_coverage(), 4)
    0.4594
    """

    capacity: Actors = param(
        1.0,
        kind="actors",
        bounds=(0, math.inf),
        closed="left",
        unit="capacity units",
        symbol="q",
        doc="committed capacity",
    )
    bond: Actors = param(
        0.0,
        kind="actors",
        bounds=(0, math.inf),
        closed="left",
        unit="USD m",
        symbol="b",
        doc="performance bond forfeited on default",
    )
    liability: Actors = param(
        0.0,
        kind="actors",
        bounds=(0, math.inf),
        closed="left",
        unit="USD m",
        symbol="L",
        doc="liability for failing to act",
    )
    incentive: Actors = param(
        0.0,
        kind="actors",
        bounds=(0, math.inf),
        closed="left",
        unit="USD m per period",
        symbol="I",
        doc="member-only incentive; lost on expulsion",
    )
    join_cost: Actors = param(
        0.0,
        kind="actors",
        bounds=(0, math.inf),
        closed="left",
        unit="USD m per period",
        symbol="k",
        doc="joining cost; saved by an expelled member",
    )
    share: Actors = param(
        1.0,
        kind="actors",
        bounds=(0, 1),
        closed="right",
        unit="1",
        symbol="s",
        doc="share of the benefit of its own response",
    )
    response_benefit: Actors = param(
        0.0,
        kind="actors",
        bounds=(0, math.inf),
        closed="left",
        unit="USD m",
        symbol="ΔB",
        doc="benefit of the actor's response",
    )
    response_cost_median: Actors = param(
        1.0,
        kind="actors",
        bounds=(0, math.inf),
        closed="neither",
        unit="USD m",
        symbol="A_med",
        doc="median response cost",
    )
    response_cost_sigma: Actors = param(
        1.0,
        kind="actors",
        bounds=(0, math.inf),
        closed="neither",
        unit="1",
        symbol="σ_A",
        doc="log-scale dispersion of the response cost",
    )
    discount: float = param(
        0.0,
        bounds=(0, 1),
        closed="left",
        unit="1",
        symbol="δ",
        doc="discount factor; weight of the next period",
    )
    required: float | None = param(
        None,
        bounds=(0, math.inf),
        closed="neither",
        unit="capacity units",
        symbol="Q",
        doc="required capacity",
    )
    carry_rate: float = param(
        0.0,
        bounds=(0, math.inf),
        closed="left",
        unit="1 per period",
        symbol="r",
        doc="carrying cost per unit of bond",
    )
    trigger_prob: float = param(
        1.0,
        bounds=(0, 1),
        unit="1 per period",
        symbol="p_τ",
        doc="probability that the trigger fires",
    )
    names: tuple | None = param(None, kind="labels", doc="actor names")
    roles: tuple | None = param(None, kind="labels", doc="actor roles")
    n_actors: int | None = param(None, kind="integer", bounds=(1, math.inf), doc="number of actors")
    joined: np.ndarray | None = field(default=None, repr=False)
    response_cost: object = field(default=None, repr=False)

    def __post_init__(self) -> None:
        validate_model(self)
        n = self.n_actors
        assert n is not None  # set by validate_model()
        if self.joined is None:
            joined = np.ones(n, dtype=bool)
        else:
            raw = np.asarray(self.joined)
            if raw.dtype != bool or raw.shape not in ((), (n,)):
                raise InvalidParameterError(
                    type(self).__name__, "joined", f"a boolean array of length {n}", self.joined
                )
            joined = np.broadcast_to(raw, (n,)).copy()
        joined.flags.writeable = False
        object.__setattr__(self, "joined", joined)
        object.__setattr__(self, "response_cost", _check_distributions(self.response_cost, n))
        if self.required is None:
            total = float(self.capacity.sum())
            object.__setattr__(self, "required", total if total > 0 else 1.0)
        if self.names is None:
            object.__setattr__(self, "names", tuple(f"actor {i}" for i in range(n)))
        if self.roles is None:
            object.__setattr__(self, "roles", ("actor",) * n)

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def default(cls, **changes) -> CommitmentModel:
        """The packaged default calibration (``coordgap/data/default_model.toml``).

        The ``[commitment]`` section and the roles' registry tables of the default model, with
        the stand-alone game's own incentives, liability and median response costs (its
        ``[games]`` section; see :mod:`coordgap.games.calibration`).

        Parameters
        ----------
        **changes
            Constructor parameters that override the calibration, by name.

        Returns
        -------
        CommitmentModel
            The model of the calibration's actors (with their names and roles).

        Examples
        --------
        >>> m = CommitmentModel.default()
        >>> m.n_actors, round(m.required, 1)
        (58, 52.0)
        """
        calib = load_default_calibration()
        keys = (
            "capacity",
            "bond",
            "liability",
            "incentive",
            "share",
            "response_benefit",
            "response_cost_median",
            "response_cost_sigma",
        )
        arrays, names, roles = role_arrays(calib, keys)
        c = calib["commitment"]
        kwargs = dict(
            arrays,
            discount=_number(c["discount"]),
            required=_number(c["required"]),
            carry_rate=_number(c["carry_rate"]),
            trigger_prob=_number(c["trigger_prob"]),
            names=names,
            roles=roles,
        )
        kwargs.update(changes)
        return cls(**kwargs)

    def with_bond(self, amount) -> CommitmentModel:
        """A copy with ``amount`` added to every actor's bond (zero is the identity).

        Parameters
        ----------
        amount : float or array_like
            Bond added, USD m (a scalar, or one value per actor).

        Returns
        -------
        CommitmentModel
            The model with bond b_i + amount.
        """
        return self.replace(bond=self.bond + np.asarray(amount, dtype=float))

    # -- ex post ---------------------------------------------------------------------------
    def base_stake(self) -> np.ndarray:
        """S⁰_i = b_i + L_i + s_i·ΔB_i, the stake of a member with no membership rent.

        Returns
        -------
        ndarray
            S⁰_i per actor, shape (n_actors,), in USD m.
        """
        return self.bond + self.liability + self.share * self.response_benefit

    def rent(self, *, tol: float = 1e-12) -> np.ndarray:
        """W_i = max(v_i, 0), the member's continuation value of membership (per trigger date).

        v solves v = T(v) with T(v) = π + (1 − p_τ)·δ·v + p_τ·(δ·v·F(S) − E[A·1{A ≤ S}]
        − (b + L)·(1 − F(S))), S = S⁰ + δ·v and π = I − k − r·b: each period a member earns its
        member-only flows; when a trigger fires it honours (pays A, keeps membership) or defects
        (pays b + L, is expelled: continuation 0). T has slope below one, so the fixed point is
        unique and lies in [0, max(π, 0)/(1 − δ)]; W = 0 when T(0) ≤ 0, since a member can
        always leave. With the lognormal response cost it is found by Newton's method kept
        inside that bracket (a bisection step whenever Newton would leave it): the slope of
        T(v) − v is (1 − p)·δ − 1 + p·δ·(F(S) + f(S)·(b + L − S⁰)). With any other
        distribution, by bisection. The own benefit s·ΔB of responding raises the stake but is
        counted in the registry's coordination value, not again in the rent.

        Parameters
        ----------
        tol : float
            Relative tolerance of the bisection (default 1e-12).

        Returns
        -------
        ndarray
            W_i per actor, shape (n_actors,), in USD m; all zero when δ = 0.
        """
        d, p = self.discount, self.trigger_prob
        flow = self.incentive - self.join_cost - self.carry_rate * self.bond
        cash = self.bond + self.liability
        s0 = self.base_stake()

        def excess(v):
            s = s0 + d * v
            f = self.cost_cdf(s)
            return (
                flow
                + ((1 - p) * d - 1.0) * v
                + p * (d * v * f - self.partial_expectation(s) - cash * (1.0 - f))
            )

        assert self.n_actors is not None  # set by validate_model()
        if d == 0:
            return np.zeros(self.n_actors)
        lo = np.zeros(self.n_actors)
        if self.response_cost is None:
            sigma = self.response_cost_sigma
            mu = np.log(self.response_cost_median)
            mean = np.exp(mu + sigma**2 / 2)
            root2pi_sigma = np.sqrt(2.0 * np.pi) * sigma

            def excess_and_slope(v):
                # excess(v) and its slope from one evaluation of the lognormal terms at S: the
                # operations of lognormal_cdf, lognormal_pdf and lognormal_partial_expectation.
                s = s0 + d * v
                staked = s > 0
                if staked.all():
                    # every stake positive (the usual case): the same operations without the
                    # masks, which would keep every value
                    log_s = np.log(s)
                    z = (log_s - mu) / sigma
                    f = _ndtr(z)
                    partial = mean * _ndtr((log_s - mu - sigma**2) / sigma)
                    density = np.exp(-0.5 * z * z) / (root2pi_sigma * s)
                else:
                    with np.errstate(divide="ignore"):
                        log_s = np.log(s)
                    z = (log_s - mu) / sigma
                    f = np.where(staked, _ndtr(z), 0.0)
                    partial = np.where(staked, mean * _ndtr((log_s - mu - sigma**2) / sigma), 0.0)
                    with np.errstate(divide="ignore", invalid="ignore"):
                        density = np.exp(-0.5 * z * z) / (root2pi_sigma * s)
                    density = np.where(staked, density, 0.0)
                value = (
                    flow + ((1 - p) * d - 1.0) * v + p * (d * v * f - partial - cash * (1.0 - f))
                )
                return value, (1 - p) * d - 1.0 + p * d * (f + density * (cash - s0))

            positive = excess_and_slope(lo)[0] > 0
            hi = np.where(positive, np.maximum(flow, 0.0) / (1.0 - d), 0.0)
            return np.where(positive, _bracketed_newton(excess_and_slope, lo, hi, tol), 0.0)
        positive = excess(lo) > 0
        hi = np.where(positive, np.maximum(flow, 0.0) / (1.0 - d), 0.0)
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            up = excess(mid) > 0
            lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
            if np.all(hi - lo <= tol * np.maximum(1.0, hi)):
                break
        return np.where(positive, 0.5 * (lo + hi), 0.0)

    def stake(self) -> np.ndarray:
        """S_i = b_i + L_i + s_i·ΔB_i + δ·W_i, what defecting costs actor i.

        Returns
        -------
        ndarray
            S_i per actor, shape (n_actors,), in USD m.
        """
        return self.base_stake() + self.discount * self.rent()

    def _dists(self):
        if self.response_cost is None:
            return None
        # __post_init__ made response_cost a tuple of distributions and set n_actors.
        assert isinstance(self.response_cost, tuple) and self.n_actors is not None
        if len(self.response_cost) == 1:
            return self.response_cost * self.n_actors
        return self.response_cost

    def cost_cdf(self, x) -> np.ndarray:
        """F_i(x_i), the distribution function of each actor's response cost at ``x``.

        Parameters
        ----------
        x : float or array_like
            Cost level(s) in USD m: a scalar for every actor, or one value per actor.

        Returns
        -------
        ndarray
            F_i(x_i), shape (n_actors,).
        """
        assert self.n_actors is not None  # set by validate_model()
        x = np.broadcast_to(np.asarray(x, dtype=float), (self.n_actors,))
        dists = self._dists()
        if dists is None:
            return lognormal_cdf(x, self.response_cost_median, self.response_cost_sigma)
        return np.array([float(d.cdf(v)) for d, v in zip(dists, x)])

    def credibility(self) -> np.ndarray:
        """c_i = P(A_i ≤ S_i), the probability that actor i honours its plan.

        Returns
        -------
        ndarray
            c_i per actor, shape (n_actors,).
        """
        return self.cost_cdf(self.stake())

    def credible_coverage(self, joined=None) -> float:
        """Σ_i [joined]·q_i·c_i / required capacity (default: the model's ``joined``).

        Parameters
        ----------
        joined : array_like of bool, optional
            Which actors are members, shape (n_actors,); default the model's ``joined``.

        Returns
        -------
        float
            Expected share of the required capacity delivered when every trigger fires.
        """
        x = self.joined if joined is None else np.asarray(joined, dtype=bool)
        return float(np.sum(x * self.capacity * self.credibility()) / self.required)

    def simulate(self, n_draws: int = 10_000, *, joined=None, rng=None) -> CoverageDistribution:
        """Monte Carlo distribution of credible coverage: draw every A_i, count who honours.

        Parameters
        ----------
        n_draws : int
            Number of draws (≥ 1; default 10,000).
        joined : array_like of bool, optional
            Which actors are members; default the model's ``joined``.
        rng : int or numpy.random.Generator, optional
            Seed or generator for :func:`numpy.random.default_rng`.

        Returns
        -------
        CoverageDistribution
            The sampled coverage, its summary statistics and the closed-form expectation.

        Raises
        ------
        InvalidParameterError
            If ``n_draws`` is not an integer ≥ 1.

        Examples
        --------
        >>> m = CommitmentModel(capacity=[2.0, 1.0], bond=1.0, response_cost_median=1.0,
        ...                     response_cost_sigma=0.5)
        >>> d = m.simulate(20_000, rng=1)
        >>> abs(d.mean - d.expected) < 0.01
        True
        """
        if isinstance(n_draws, bool) or not isinstance(n_draws, (int, np.integer)) or n_draws < 1:
            raise InvalidParameterError(
                "CommitmentModel.simulate", "n_draws", "an integer >= 1", n_draws
            )
        rng = np.random.default_rng(rng)
        x = self.joined if joined is None else np.asarray(joined, dtype=bool)
        stake = self.stake()
        n = self.n_actors
        assert n is not None  # set by validate_model()
        dists = self._dists()
        samples = np.empty(n_draws)
        honours = np.zeros(n)
        chunk = max(1, (1 << 22) // max(n, 1))
        for start in range(0, n_draws, chunk):
            k = min(chunk, n_draws - start)
            if dists is None:
                draws = self.response_cost_median * np.exp(
                    self.response_cost_sigma * rng.standard_normal((k, n))
                )
            else:
                draws = np.column_stack([d.rvs(size=k, random_state=rng) for d in dists])
            honour = draws <= stake
            honours += honour.sum(axis=0)
            samples[start : start + k] = (honour * (x * self.capacity)).sum(axis=1) / self.required
        return CoverageDistribution(
            samples=samples,
            mean=float(samples.mean()),
            std=float(samples.std()),
            expected=self.credible_coverage(x),
            quantiles=np.quantile(samples, [0.05, 0.5, 0.95]),
            honour_rate=honours / n_draws,
            n_draws=int(n_draws),
        )

    # -- ex ante ---------------------------------------------------------------------------
    def partial_expectation(self, stake) -> np.ndarray:
        """E[A_i·1{A_i ≤ S_i}]: the expected response cost actually paid at stake ``stake``.

        Lognormal: e^{μ+σ²/2}·Φ((ln S − μ − σ²)/σ); any other distribution: E[min(A, S)] −
        S·(1 − F(S)), with E[min(A, S)] = ∫_0^S (1 − F(a)) da by quadrature.

        Parameters
        ----------
        stake : float or array_like
            Stake S_i in USD m: a scalar for every actor, or one value per actor.

        Returns
        -------
        ndarray
            E[A_i·1{A_i ≤ S_i}] per actor, shape (n_actors,), in USD m.
        """
        assert self.n_actors is not None  # set by validate_model()
        stake = np.broadcast_to(np.asarray(stake, dtype=float), (self.n_actors,))
        dists = self._dists()

        if dists is None:
            return lognormal_partial_expectation(
                stake, self.response_cost_median, self.response_cost_sigma
            )
        return self._expected_min(stake) - stake * (1.0 - self.cost_cdf(stake))

    def _expected_min(self, stake: np.ndarray) -> np.ndarray:
        assert self.n_actors is not None  # set by validate_model()
        out = np.empty(self.n_actors)
        for i, (d, s) in enumerate(zip(self._dists(), stake)):
            lower = min(0.0, float(d.support()[0]))
            from scipy import integrate  # only for user-supplied distributions

            value, _ = integrate.quad(lambda a, d=d: float(d.sf(a)), max(lower, 0.0), s, limit=200)
            out[i] = value if s > 0 else 0.0
        return out

    def expected_ex_post_cost(self) -> np.ndarray:
        """E[min(A_i, S_i)] at the stake S_i (the actor pays its response or loses its stake).

        Returns
        -------
        ndarray
            Per actor, shape (n_actors,), in USD m.
        """
        stake = self.stake()
        if self.response_cost is None:
            return lognormal_expected_min(
                stake, self.response_cost_median, self.response_cost_sigma
            )
        return self.partial_expectation(stake) + stake * (1.0 - self.cost_cdf(stake))

    def expected_response_cost(self) -> np.ndarray:
        """E[A_i·1{A_i ≤ S_i}] per trigger: the real cost of the responses carried out.

        Returns
        -------
        ndarray
            Per actor, shape (n_actors,), in USD m.
        """
        return self.partial_expectation(self.stake())

    def commitment_cost(self) -> np.ndarray:
        """Cash cost of the commitment per trigger at the participation margin:
        E[A·1{A ≤ S⁰}] + (b + L)·(1 − F(S⁰)), with S⁰ the stake without membership rent.

        Returns
        -------
        ndarray
            Per actor, shape (n_actors,), in USD m.
        """
        s0 = self.base_stake()
        return self.partial_expectation(s0) + (self.bond + self.liability) * (
            1.0 - self.cost_cdf(s0)
        )

    def ex_ante_cost(self) -> np.ndarray:
        """The commitment's addition to the joining cost: r·b_i + p_τ·(commitment cost).

        Incentives do not enter: see the module docstring (exact at the participation margin).

        Returns
        -------
        ndarray
            Per actor, shape (n_actors,), in USD m per period.
        """
        return self.carry_rate * self.bond + self.trigger_prob * self.commitment_cost()

    def participation_game(self, game: ParticipationGame) -> ParticipationGame:
        """The M2 game whose joining cost is k_i plus :meth:`ex_ante_cost`.

        The game's own incentives are kept; ``game`` must have the same number of actors.

        Parameters
        ----------
        game : ParticipationGame
            The registry participation game to add the commitment cost to.

        Returns
        -------
        ParticipationGame
            ``game`` with cost k_i + :meth:`ex_ante_cost`.

        Raises
        ------
        InvalidParameterError
            If ``game`` has a different number of actors.
        """
        if game.n_actors != self.n_actors:
            raise InvalidParameterError(
                "CommitmentModel.participation_game",
                "game",
                f"a ParticipationGame with {self.n_actors} actors",
                f"{game.n_actors} actors",
            )
        return game.replace(cost=game.cost + self.ex_ante_cost())


def _bracketed_newton(func_and_slope, lo, hi, tol, max_iter=100) -> np.ndarray:
    """Roots of a decreasing-through-zero ``func`` (elementwise) bracketed by func(lo) > 0 ≥
    func(hi), ``func_and_slope(x)`` giving func(x) and its slope: Newton steps, replaced by the
    midpoint of the bracket when they leave it; stops when every step is below ``tol``
    relative to max(1, |x|)."""
    x = 0.5 * (lo + hi)
    for _ in range(max_iter):
        fx, dfx = func_and_slope(x)
        up = fx > 0
        lo, hi = np.where(up, x, lo), np.where(up, hi, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            new = x - fx / dfx
        inside = np.isfinite(new) & (new >= lo) & (new <= hi)
        new = np.where(fx == 0, x, np.where(inside, new, 0.5 * (lo + hi)))
        done = np.abs(new - x) <= tol * np.maximum(1.0, np.abs(x))
        x = new
        if np.all(done | (hi - lo <= tol * np.maximum(1.0, hi))):
            break
    return x
