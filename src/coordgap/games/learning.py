"""Learning at the pace of relevance: preparedness against a growing threat.

The seeds' second claim: without an architecture for exchanging after-action lessons,
institutions cannot learn from failures at the pace of relevance. Model (one actor seen
among N alike):

* the threat (frontier capability) grows at rate g: log threat = log T₀ + g·t;
* incidents reach each actor as a Poisson process of rate λ (per actor per year);
* an actor's response capability improves with experience E(t), the number of lessons it has
  absorbed, along a learning curve: ``"exponential"`` (each lesson raises log capability by
  η, constant returns: log C = log C₀ + η·E) or ``"power"`` (Wright's law,
  log C = log C₀ + η·ln(1 + E), diminishing returns);
* without exchange an actor learns only from its own incidents; with exchange each other
  actor's incident reaches it as a filed lesson with probability σ (the sharing level).
  Thinning a Poisson process keeps it Poisson, so E(t) ~ Poisson(λ_eff·t) with
  λ_eff = λ·(1 + σ·(N − 1)).

The preparedness gap is G(t) = log T(t) − log C(t) = G₀ + g·t − η·E(t) (exponential curve):
positive when the threat outruns capability. Its mean is G₀ + (g − η·λ_eff)·t, so
preparedness keeps up iff **η·λ·(1 + σ(N − 1)) ≥ g**: the critical sharing level is
σ* = (g/(ηλ) − 1)/(N − 1) and the critical number of actors N* = 1 + ⌈(g/(ηλ) − 1)/σ⌉.
P(prepared at t) = P(E(t) ≥ (G₀ + g·t)/η), a Poisson tail.

Where the claim fails: if lessons bring diminishing returns (``"power"``), log capability
grows like η·ln(λ_eff·t) and no finite amount of sharing keeps up with exponential growth —
pooling only delays the point where the gap opens (by a factor 1 + σ(N − 1) in time). If
lessons do not transfer (σ ≈ 0: different systems, proprietary context) or incidents are too
rare (λ small), exchange cannot close the gap either.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._lazy import lazy_module
from ..errors import InvalidParameterError
from ..limits import check_size
from ..params import Replaceable, param, validate
from ..results import Result

if TYPE_CHECKING:
    import pandas as pd
    from scipy import special
else:  # loaded on first use (start-up time)
    pd = lazy_module("pandas")
    special = lazy_module("scipy.special")

__all__ = ["LearningModel", "LearningPaths", "CURVES"]

CURVES = ("exponential", "power")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class LearningPaths(Result):
    """Simulated preparedness gaps of one actor, isolated and pooled, on common draws.

    Attributes
    ----------
    times : ndarray
        Grid of times (years), starting at 0.
    isolated, pooled : ndarray
        Gap paths (n_paths, n_times) without exchange (σ = 0) and with the model's sharing.
    sharing : float
        The sharing level σ of the pooled regime.
    n_paths : int
    keeps_up_isolated, keeps_up_pooled : bool
        The closed-form verdicts (mean gap stops growing).
    expected_isolated, expected_pooled : ndarray
        The closed-form mean gap E[G(t)] on ``times`` in each regime.
    """

    _hidden = ("isolated", "pooled")

    times: np.ndarray
    isolated: np.ndarray
    pooled: np.ndarray
    sharing: float
    n_paths: int
    keeps_up_isolated: bool
    keeps_up_pooled: bool
    expected_isolated: np.ndarray
    expected_pooled: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        """Gap over time for both regimes (long format): ``time``, ``regime``, ``mean_gap``,
        ``p10``, ``p90``, ``expected_gap`` (closed form) and ``share_prepared``.

        Returns
        -------
        pandas.DataFrame
            One row per time and regime (``"isolated"`` rows first).
        """
        parts = []
        for regime, paths, expected in (
            ("isolated", self.isolated, self.expected_isolated),
            ("pooled", self.pooled, self.expected_pooled),
        ):
            parts.append(
                pd.DataFrame(
                    {
                        "time": self.times,
                        "regime": regime,
                        "mean_gap": paths.mean(axis=0),
                        "p10": np.quantile(paths, 0.1, axis=0),
                        "p90": np.quantile(paths, 0.9, axis=0),
                        "expected_gap": expected,
                        "share_prepared": (paths <= 0).mean(axis=0),
                    }
                )
            )
        return pd.concat(parts, ignore_index=True)


@dataclass(frozen=True, slots=True, eq=False)
class LearningModel(Replaceable):
    """Preparedness against a threat growing at rate g, with and without shared lessons.

    Parameters
    ----------
    n_actors : int
        N ≥ 1 actors who each face incidents.
    growth : float
        g ≥ 0, growth rate of the threat (per year; log units).
    incident_rate : float
        λ ≥ 0, incidents per actor per year.
    learning_rate : float
        η ≥ 0, log-capability gained per lesson (exponential curve) or the Wright exponent
        (power curve).
    sharing : float
        σ ∈ [0, 1], probability that another actor's lesson is filed and reaches this actor.
    initial_gap : float
        G₀, log threat minus log capability at t = 0 (≤ 0: prepared at the start).
    curve : {"exponential", "power"}
        Learning curve.

    Raises
    ------
    InvalidParameterError
        On a negative growth, incident or learning rate, a sharing level outside [0, 1],
        fewer than one actor, NaN/inf.

    Examples
    --------
    >>> import coordgap as cg
    >>> m = cg.LearningModel(n_actors=10, growth=0.7, incident_rate=2.0, learning_rate=0.1,
    ...                      sharing=0.3)
    >>> m.effective_rate()            # λ(1 + σ(N − 1))
    7.4
    >>> m.keeps_up(), m.replace(sharing=0.0).keeps_up()   # ηλ_eff = 0.74 vs ηλ = 0.2 < g
    (True, False)
    >>> round(m.critical_sharing(), 6)                      # (g/(ηλ) − 1)/(N − 1)
    0.277778
    >>> m.critical_actors()                                 # 1 + ⌈(g/(ηλ) − 1)/σ⌉
    10
    """

    n_actors: int = param(
        kind="integer", bounds=(1, math.inf), unit="actors", symbol="N", doc="number of actors"
    )
    growth: float = param(
        bounds=(0, math.inf), unit="1 per year", symbol="g", doc="growth rate of the threat"
    )
    incident_rate: float = param(
        bounds=(0, math.inf),
        unit="incidents per actor per year",
        symbol="λ",
        doc="Poisson rate of incidents",
    )
    learning_rate: float = param(
        bounds=(0, math.inf),
        unit="1 per lesson",
        symbol="η",
        doc="log-capability gained per lesson",
    )
    sharing: float = param(
        0.0,
        bounds=(0, 1),
        unit="1",
        symbol="σ",
        doc="probability that another actor's lesson reaches this one",
    )
    initial_gap: float = param(
        0.0, unit="1", symbol="G₀", doc="initial log threat minus log capability"
    )
    curve: str = param("exponential", kind="choice", choices=CURVES, doc="learning curve")

    def __post_init__(self) -> None:
        validate(self)

    # -- closed forms --------------------------------------------------------------------------
    def effective_rate(self, sharing=None) -> float:
        """λ_eff = λ·(1 + σ·(N − 1)), the rate at which lessons reach one actor.

        Parameters
        ----------
        sharing : float, optional
            σ ∈ [0, 1], the share of other actors' lessons that reach the actor; default the
            model's ``sharing``.

        Returns
        -------
        float
            λ_eff, lessons per year.
        """
        s = self.sharing if sharing is None else _share(sharing)
        return self.incident_rate * (1.0 + s * (self.n_actors - 1))

    def learning_speed(self, sharing=None) -> float:
        """η·λ_eff, the long-run growth of log capability (exponential curve; 0 for power).

        Parameters
        ----------
        sharing : float, optional
            σ ∈ [0, 1], the share of other actors' lessons that reach the actor; default the
            model's ``sharing``.

        Returns
        -------
        float
            Growth of log capability per year.
        """
        if self.curve == "power":
            return 0.0
        return self.learning_rate * self.effective_rate(sharing)

    def keeps_up(self, sharing=None) -> bool:
        """Whether the mean gap stops growing: η·λ_eff ≥ g (power curve: only if g = 0).

        Parameters
        ----------
        sharing : float, optional
            σ ∈ [0, 1], the share of other actors' lessons that reach the actor; default the
            model's ``sharing``.

        Returns
        -------
        bool
            True when learning keeps up with the threat.
        """
        if self.curve == "power":
            return self.growth == 0.0
        return self.learning_speed(sharing) >= self.growth

    def critical_sharing(self) -> float:
        """Smallest σ ∈ [0, 1] with η·λ(1 + σ(N − 1)) ≥ g; inf if even σ = 1 falls short.

        Returns
        -------
        float
            σ (0 when an isolated actor already keeps up), or inf.
        """
        if self.keeps_up(0.0):
            return 0.0
        if (
            self.curve == "power"
            or self.n_actors == 1
            or self.learning_rate * self.incident_rate == 0.0
        ):
            return math.inf
        sigma = (self.growth / (self.learning_rate * self.incident_rate) - 1.0) / (
            self.n_actors - 1
        )
        return sigma if sigma <= 1.0 else math.inf

    def critical_actors(self) -> int | float:
        """Smallest N with η·λ(1 + σ(N − 1)) ≥ g at the model's σ; inf if none.

        Returns
        -------
        int or float
            N ≥ 1 (1 when an isolated actor already keeps up), or inf.
        """
        if self.keeps_up(0.0):
            return 1
        if (
            self.curve == "power"
            or self.sharing == 0.0
            or self.learning_rate * self.incident_rate == 0.0
        ):
            return math.inf
        need = (self.growth / (self.learning_rate * self.incident_rate) - 1.0) / self.sharing
        return 1 + int(math.ceil(need - 1e-12))

    def expected_gap(self, times, sharing=None) -> np.ndarray:
        """E[G(t)]: G₀ + (g − η·λ_eff)·t (exponential); G₀ + g·t − η·E[ln(1 + E)] (power,
        summed over the Poisson distribution).

        Parameters
        ----------
        times : float or array_like
            Times t ≥ 0, in years.
        sharing : float, optional
            σ ∈ [0, 1]; default the model's ``sharing``.

        Returns
        -------
        ndarray
            E[G(t)] (log capability gap), same shape as ``times``.
        """
        t = np.asarray(times, dtype=float)
        rate = self.effective_rate(sharing)
        if self.curve == "exponential":
            return self.initial_gap + (self.growth - self.learning_rate * rate) * t
        mean = rate * np.ravel(t)
        # sum the Poisson law over a window of ±12 standard deviations around each mean
        width = int(24.0 * math.sqrt(float(np.max(mean, initial=0.0)) + 1.0) + 40.0)
        start = np.floor(np.maximum(0.0, mean - 12.0 * np.sqrt(mean + 1.0) - 20.0))
        k = start[:, None] + np.arange(width)[None, :]
        pmf = _poisson_pmf(k, mean[:, None])
        expect = (pmf * np.log1p(k)).sum(axis=1).reshape(t.shape)
        return self.initial_gap + self.growth * t - self.learning_rate * expect

    def prob_prepared(self, times, sharing=None) -> np.ndarray:
        """P(G(t) ≤ 0), the probability that capability is at least the threat at t.

        Exponential curve: P(E(t) ≥ (G₀ + g t)/η) for E(t) ~ Poisson(λ_eff t).

        Parameters
        ----------
        times : float or array_like
            Times t ≥ 0, in years.
        sharing : float, optional
            σ ∈ [0, 1]; default the model's ``sharing``.

        Returns
        -------
        ndarray
            P(G(t) ≤ 0), same shape as ``times``.
        """
        t = np.asarray(times, dtype=float)
        mean = self.effective_rate(sharing) * t
        need = self.initial_gap + self.growth * t  # log gap to close
        if self.learning_rate == 0.0:
            return (need <= 0).astype(float)
        if self.curve == "exponential":
            lessons = need / self.learning_rate
        else:
            with np.errstate(over="ignore"):  # inf: no finite number of lessons suffices
                lessons = np.expm1(np.maximum(need, 0.0) / self.learning_rate)
        k = np.ceil(lessons - 1e-12)
        return np.where(k <= 0, 1.0, _poisson_at_least(k, mean))

    def catch_up_time(self, sharing=None) -> float:
        """Time at which the mean gap closes, G₀/(η·λ_eff − g) (exponential curve);
        0 if prepared at the start, inf if the gap never closes.

        Parameters
        ----------
        sharing : float, optional
            σ ∈ [0, 1], the share of other actors' lessons that reach the actor; default the
            model's ``sharing``.

        Returns
        -------
        float
            Time in years.
        """
        if self.initial_gap <= 0 and self.keeps_up(sharing):
            return 0.0
        speed = self.learning_speed(sharing) - self.growth
        if self.curve == "power" or speed <= 0:
            return math.inf
        return self.initial_gap / speed

    # -- simulation ----------------------------------------------------------------------------
    def simulate(
        self, horizon: float, n_paths: int = 1000, n_steps: int = 200, *, rng=None
    ) -> LearningPaths:
        """Simulate one actor's gap, isolated and pooled, on common incident draws.

        Each step draws the actor's own incidents, Poisson(λ·dt), and the other actors',
        Poisson(λ(N − 1)·dt), of which Binomial(·, σ) lessons reach the actor. The pooled
        experience is the isolated one plus the lessons received, so pooled learning never lags
        isolated learning on any path.

        Parameters
        ----------
        horizon : float
            Length of the simulation, in years (> 0).
        n_paths : int
            Number of simulated paths (≥ 1).
        n_steps : int
            Number of time steps (≥ 1); the grid has ``n_steps + 1`` times.
        rng : int or numpy.random.Generator, optional
            Seed or generator for :func:`numpy.random.default_rng`.

        Returns
        -------
        LearningPaths
            Gap paths in both regimes, with the closed-form mean gaps.

        Raises
        ------
        InvalidParameterError
            For a bad ``horizon``, ``n_paths`` or ``n_steps``.
        ResourceLimitError
            If ``n_paths × n_steps`` is over the ``learning_cells`` work limit.

        Examples
        --------
        >>> m = LearningModel(n_actors=10, growth=0.7, incident_rate=2.0, learning_rate=0.1,
        ...                   sharing=0.3, initial_gap=1.0)
        >>> paths = m.simulate(10.0, 500, 50, rng=0)
        >>> bool((paths.pooled <= paths.isolated).all())
        True
        >>> frame = paths.to_frame()
        >>> frame.groupby("regime")["expected_gap"].last().round(2).to_dict()  # G₀ + (g − ηλ_eff)t
        {'isolated': 6.0, 'pooled': 0.6}
        """
        if (
            isinstance(horizon, bool)
            or not isinstance(horizon, (int, float))
            or not math.isfinite(horizon)
            or horizon <= 0
        ):
            raise InvalidParameterError(
                "LearningModel.simulate", "horizon", "a finite float > 0", horizon
            )
        for name, value in (("n_paths", n_paths), ("n_steps", n_steps)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise InvalidParameterError(
                    "LearningModel.simulate", name, "an integer >= 1", value
                )
        check_size(
            "LearningModel.simulate", "n_paths", int(n_paths) * int(n_steps), "learning_cells"
        )
        rng = np.random.default_rng(rng)
        dt = horizon / n_steps
        own = rng.poisson(self.incident_rate * dt, size=(n_paths, n_steps))
        others = rng.poisson(self.incident_rate * (self.n_actors - 1) * dt, size=(n_paths, n_steps))
        received = rng.binomial(others, self.sharing)
        zero = np.zeros((n_paths, 1))
        exp_isolated = np.hstack((zero, np.cumsum(own, axis=1)))
        exp_pooled = exp_isolated + np.hstack((zero, np.cumsum(received, axis=1)))
        times = np.linspace(0.0, horizon, n_steps + 1)
        return LearningPaths(
            times=times,
            isolated=self._gap(times, exp_isolated),
            pooled=self._gap(times, exp_pooled),
            sharing=self.sharing,
            n_paths=int(n_paths),
            keeps_up_isolated=self.keeps_up(0.0),
            keeps_up_pooled=self.keeps_up(),
            expected_isolated=self.expected_gap(times, 0.0),
            expected_pooled=self.expected_gap(times),
        )

    def _gap(self, times: np.ndarray, experience: np.ndarray) -> np.ndarray:
        gained = experience if self.curve == "exponential" else np.log1p(experience)
        return self.initial_gap + self.growth * times[None, :] - self.learning_rate * gained


def _share(value) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.floating))
        or not 0.0 <= float(value) <= 1.0
    ):
        raise InvalidParameterError(
            "LearningModel", "sharing", "a finite float >= 0 and <= 1", value
        )
    return float(value)


# The Poisson law by its defining formulas (scipy.special), equal to the last bit to
# scipy.stats.poisson's pmf and sf, without importing scipy.stats (a second at start-up).
def _poisson_pmf(k, mean) -> np.ndarray:
    """P(X = k) for X ~ Poisson(mean), k integral."""
    return np.exp(special.xlogy(k, mean) - special.gammaln(k + 1) - mean)


def _poisson_at_least(k, mean) -> np.ndarray:
    """P(X ≥ k) for X ~ Poisson(mean), k integral or +inf."""
    k, mean = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(mean, dtype=float))
    out = np.ones(k.shape)
    finite = np.isfinite(k) & (k >= 1)
    out[finite] = special.pdtrc(k[finite] - 1, mean[finite])
    out[np.isinf(k) & (k > 0)] = 0.0
    return out
