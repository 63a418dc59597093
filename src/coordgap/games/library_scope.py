"""Library scope: how broad should the registry's scenario library be?

The seeds warn that a scenario library can be too narrow to capture emerging risks or too broad
to support meaningful preparation. Model:

* **Coverage.** Realized incidents fall into scenario types ordered from most to least
  frequent; a library of breadth L holds the L most frequent types. With an exponential
  profile of incident types (spread s: how diverse incidents are) the share of realized
  incidents the library anticipates is F(L) = (1 − ν)·(1 − e^{−L/s}), ν being the share of
  genuinely novel incidents no library anticipates. Or F comes from observed frequencies
  (``frequencies=``, e.g. the registry's own scenarios: see
  :meth:`LibraryScopeModel.from_registry`).
* **Filing cost and participation.** A filer must file a plan per scenario: cost
  k(L) = k₀ + k₁·L, less the registry incentive I. Actors' values of joining are exponential
  with mean μ, so the share who join is P(L) = exp(−max(0, k(L) − I)/μ), which falls with L.
* **Credible coverage** of realized incidents is CC(L) = c·P(L)·F(L), c the filers'
  credibility (M3). F rises and P falls with L, so CC has an interior optimum.

Closed form (exponential profile): with a = k₁/μ > 0 and L₀ = max(0, (I − k₀)/k₁) (the
breadth up to which filing is free net of incentives),

    L* = max(L₀, s·ln(1 + 1/(a·s))),

found by setting d ln CC/dL = −a + e^{−L/s}/(s(1 − e^{−L/s})) to zero. A library narrower
than L* anticipates too few incidents; a broader one loses more participation than it gains
coverage. When filing is free per scenario (k₁ = 0) broader is always better and the optimum
is at the largest breadth considered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .._lazy import lazy_module
from ..errors import InvalidParameterError
from ..params import Replaceable, param, validate
from ..results import Result

if TYPE_CHECKING:
    import pandas as pd
    from scipy import optimize
else:  # loaded on first use (start-up time)
    pd = lazy_module("pandas")
    optimize = lazy_module("scipy.optimize")

__all__ = ["LibraryScopeModel", "LibraryScopeCurve"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class LibraryScopeCurve(Result):
    """Coverage, participation and credible coverage against library breadth L.

    Attributes
    ----------
    breadth, coverage, participation, credible_coverage : ndarray
        The curves: L, F(L), P(L) and CC(L) = c·P(L)·F(L).
    optimal_breadth, optimal_credible_coverage : float
        The optimum (closed form for the exponential profile, integer search for observed
        frequencies, bounded numeric search otherwise).
    closed_form : bool
        Whether the optimum comes from the closed form.
    interior : bool
        Whether the optimum lies strictly inside (0, largest breadth).
    message : str
        One-line summary: the optimum and how it was found.
    """

    _hidden = ("breadth", "coverage", "participation", "credible_coverage")

    breadth: np.ndarray
    coverage: np.ndarray
    participation: np.ndarray
    credible_coverage: np.ndarray
    optimal_breadth: float
    optimal_credible_coverage: float
    closed_form: bool
    interior: bool
    message: str = ""

    def to_frame(self) -> pd.DataFrame:
        """One row per breadth (the curves a figure draws).

        Returns
        -------
        pandas.DataFrame
            Columns ``breadth``, ``coverage``, ``participation`` and ``credible_coverage``.
        """
        return pd.DataFrame(
            {
                "breadth": self.breadth,
                "coverage": self.coverage,
                "participation": self.participation,
                "credible_coverage": self.credible_coverage,
            }
        )


@dataclass(frozen=True, slots=True, eq=False)
class LibraryScopeModel(Replaceable):
    """Breadth of the scenario library against the distribution of realized incidents.

    Parameters
    ----------
    spread : float
        s > 0, diversity of incident types (exponential profile; ignored with ``frequencies``).
    novelty : float
        ν ∈ [0, 1), share of realized incidents that no library anticipates.
    cost_per_scenario : float
        k₁ ≥ 0, filing cost per scenario in the library (USD m).
    base_cost : float
        k₀ ≥ 0, filing cost independent of breadth (USD m).
    incentive : float
        I ≥ 0, registry incentive for filing (USD m).
    value_scale : float
        μ > 0, mean of the exponential distribution of actors' values of joining (USD m).
    credibility : float
        c ∈ [0, 1], probability that a filed plan is honoured (M3).
    max_breadth : float
        Largest breadth considered (> 0); with ``frequencies`` it is their number.
    frequencies : array_like, optional
        Observed relative frequencies of scenario types (≥ 0, not all 0); the library holds the
        L most frequent.

    Raises
    ------
    InvalidParameterError
        On a spread or value scale ≤ 0, negative costs or incentive, a novelty outside [0, 1),
        a credibility outside [0, 1], negative or all-zero frequencies.

    Examples
    --------
    >>> import coordgap as cg
    >>> m = cg.LibraryScopeModel(spread=10.0, cost_per_scenario=0.05, value_scale=1.0)
    >>> round(m.optimal_breadth_closed_form(), 4)   # s·ln(1 + 1/(a s)), a = k₁/μ = 0.05
    10.9861
    >>> curve = m.curve()
    >>> curve.closed_form, curve.interior, round(curve.optimal_credible_coverage, 4)
    (True, True, 0.3849)
    """

    spread: float = param(
        10.0,
        bounds=(0, math.inf),
        closed="neither",
        unit="scenarios",
        symbol="s",
        doc="diversity of incident types",
    )
    novelty: float = param(
        0.0,
        bounds=(0, 1),
        closed="left",
        unit="1",
        symbol="ν",
        doc="share of incidents no library anticipates",
    )
    cost_per_scenario: float = param(
        0.05,
        bounds=(0, math.inf),
        unit="USD m per scenario",
        symbol="k₁",
        doc="filing cost per scenario",
    )
    base_cost: float = param(
        0.0,
        bounds=(0, math.inf),
        unit="USD m",
        symbol="k₀",
        doc="filing cost independent of breadth",
    )
    incentive: float = param(
        0.0, bounds=(0, math.inf), unit="USD m", symbol="I", doc="registry incentive for filing"
    )
    value_scale: float = param(
        1.0,
        bounds=(0, math.inf),
        closed="neither",
        unit="USD m",
        symbol="μ",
        doc="mean value of joining",
    )
    credibility: float = param(
        1.0, bounds=(0, 1), unit="1", symbol="c", doc="probability that a filed plan is honoured"
    )
    max_breadth: float = param(
        100.0,
        bounds=(0, math.inf),
        closed="neither",
        unit="scenarios",
        symbol="L_max",
        doc="largest breadth",
    )
    frequencies: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        validate(self)
        if self.frequencies is not None:
            try:
                freq = np.asarray(self.frequencies, dtype=float)
            except (TypeError, ValueError):
                freq = np.array([np.nan])
            if (
                freq.ndim != 1
                or freq.size == 0
                or not np.all(np.isfinite(freq))
                or np.any(freq < 0)
                or freq.sum() <= 0
            ):
                raise InvalidParameterError(
                    "LibraryScopeModel",
                    "frequencies",
                    "a non-empty 1-D array of finite floats >= 0 with a positive sum",
                    self.frequencies,
                )
            freq = np.sort(freq)[::-1] / freq.sum()
            freq.flags.writeable = False
            object.__setattr__(self, "frequencies", freq)
            object.__setattr__(self, "max_breadth", float(freq.size))

    @classmethod
    def from_registry(cls, registry, *, frequencies=None, **params) -> LibraryScopeModel:
        """A model whose incident profile and credibility come from a registry.

        Parameters
        ----------
        registry : Registry
            Any object with ``scenarios`` and a ``responses()`` table, as
            :class:`~coordgap.registry.Registry`.
        frequencies : mapping of scenario id to relative frequency, optional
            Default: each scenario weighted by its harm (equal incident frequency, so coverage
            is the harm-weighted share of incidents anticipated).
        **params
            Other parameters; ``credibility`` defaults to the capacity-weighted mean
            credibility of the filed responses to required functions (M3).

        Returns
        -------
        LibraryScopeModel
            The model with the registry's scenario frequencies (``max_breadth`` is their
            number).

        Raises
        ------
        InvalidParameterError
            If ``frequencies`` names a scenario the registry does not hold.

        Examples
        --------
        >>> import coordgap as cg
        >>> m = cg.LibraryScopeModel.from_registry(cg.load_registry(), cost_per_scenario=0.02)
        >>> m.max_breadth, 0 < m.credibility < 1
        (12.0, True)
        """
        ids = [s.id for s in registry.scenarios]
        if frequencies is None:
            freq = np.array([s.harm for s in registry.scenarios], dtype=float)
        else:
            unknown = sorted(set(frequencies) - set(ids))
            if unknown:
                raise InvalidParameterError(
                    "LibraryScopeModel.from_registry",
                    "frequencies",
                    "a mapping from scenario ids of the registry",
                    unknown,
                )
            freq = np.array([float(frequencies.get(i, 0.0)) for i in ids])
        if "credibility" not in params:
            table = registry.responses()  # the registry knows its filings' credibility
            used = table[table["required"].notna()]
            weights = used["capacity"].to_numpy()
            params["credibility"] = (
                float(np.sum(weights * used["credibility"].to_numpy()) / weights.sum())
                if weights.sum() > 0
                else 0.0
            )
        return cls(frequencies=freq, **params)

    # -- curves --------------------------------------------------------------------------------
    def coverage(self, breadth) -> np.ndarray:
        """F(L), the share of realized incidents the library anticipates.

        Parameters
        ----------
        breadth : float or array_like
            Library breadth L ≥ 0, in scenarios.

        Returns
        -------
        ndarray
            F(L) ∈ [0, 1 − ν], same shape as ``breadth``.
        """
        L = np.asarray(breadth, dtype=float)
        if self.frequencies is None:
            return (1.0 - self.novelty) * -np.expm1(-L / self.spread)
        cum = np.concatenate(([0.0], np.cumsum(self.frequencies)))
        k = np.clip(np.floor(L + 1e-9).astype(int), 0, self.frequencies.size)
        return (1.0 - self.novelty) * cum[k]

    def participation(self, breadth) -> np.ndarray:
        """P(L) = exp(−max(0, k₀ + k₁L − I)/μ), the share of actors who file.

        Parameters
        ----------
        breadth : float or array_like
            Library breadth L ≥ 0, in scenarios.

        Returns
        -------
        ndarray
            P(L) ∈ (0, 1], same shape as ``breadth``.
        """
        L = np.asarray(breadth, dtype=float)
        net = self.base_cost + self.cost_per_scenario * L - self.incentive
        return np.exp(-np.maximum(net, 0.0) / self.value_scale)

    def credible_coverage(self, breadth) -> np.ndarray:
        """CC(L) = c·P(L)·F(L).

        Parameters
        ----------
        breadth : float or array_like
            Library breadth L ≥ 0, in scenarios.

        Returns
        -------
        ndarray
            CC(L) ∈ [0, 1], same shape as ``breadth``.
        """
        return self.credibility * self.participation(breadth) * self.coverage(breadth)

    def optimal_breadth_closed_form(self) -> float:
        """L* = max(L₀, s·ln(1 + 1/(a s))), a = k₁/μ (exponential profile; inf if k₁ = 0).

        L₀ = max(0, (I − k₀)/k₁) is the breadth up to which filing is free.

        Returns
        -------
        float
            L*, in scenarios.

        Raises
        ------
        InvalidParameterError
            If the model uses observed ``frequencies``.
        """
        if self.frequencies is not None:
            raise InvalidParameterError(
                "LibraryScopeModel.optimal_breadth_closed_form",
                "frequencies",
                "None (the closed form needs the exponential profile)",
                "observed frequencies",
            )
        if self.cost_per_scenario == 0.0:
            return math.inf
        a = self.cost_per_scenario / self.value_scale
        free = max(0.0, (self.incentive - self.base_cost) / self.cost_per_scenario)
        return max(free, self.spread * math.log1p(1.0 / (a * self.spread)))

    def curve(self, breadth=None) -> LibraryScopeCurve:
        """The curves on a grid of breadths and the optimal breadth.

        Parameters
        ----------
        breadth : array_like, optional
            Grid of breadths (default 201 points on [0, max_breadth], or 0..n for observed
            frequencies).

        Returns
        -------
        LibraryScopeCurve
            The curves on the (sorted, deduplicated) grid and the optimum, which is found
            independently of the grid.

        Raises
        ------
        InvalidParameterError
            If ``breadth`` is empty or holds a value that is not a finite float ≥ 0.
        """
        if breadth is None:
            grid = (
                np.arange(self.frequencies.size + 1, dtype=float)
                if self.frequencies is not None
                else np.linspace(0.0, self.max_breadth, 201)
            )
        else:
            grid = np.asarray(breadth, dtype=float).ravel()
            if grid.size == 0 or not np.all(np.isfinite(grid)) or np.any(grid < 0):
                raise InvalidParameterError(
                    "LibraryScopeModel.curve",
                    "breadth",
                    "a non-empty array of finite floats >= 0",
                    np.asarray(breadth).tolist(),
                )
            grid = np.unique(grid)
        closed = False
        if self.frequencies is not None:
            candidates = np.arange(self.frequencies.size + 1, dtype=float)
            values = self.credible_coverage(candidates)
            best = float(candidates[int(np.argmax(values))])
            method = "integer search over observed frequencies"
        elif self.cost_per_scenario > 0 and self.optimal_breadth_closed_form() <= self.max_breadth:
            best, closed, method = self.optimal_breadth_closed_form(), True, "closed form"
        else:
            res = optimize.minimize_scalar(
                lambda L: -float(self.credible_coverage(L)),
                bounds=(0.0, self.max_breadth),
                method="bounded",
                options={"xatol": 1e-10},
            )
            best = float(res.x)
            if float(self.credible_coverage(self.max_breadth)) >= -res.fun:
                best = self.max_breadth
            method = "bounded numeric search"
        value = float(self.credible_coverage(best))
        interior = 0.0 < best < self.max_breadth
        message = f"credible coverage {value:.4g} at breadth {best:.4g} ({method}" + (
            ", interior optimum)" if interior else ", at the edge)"
        )
        return LibraryScopeCurve(
            breadth=grid,
            coverage=self.coverage(grid),
            participation=self.participation(grid),
            credible_coverage=self.credible_coverage(grid),
            optimal_breadth=best,
            optimal_credible_coverage=value,
            closed_form=closed,
            interior=bool(interior),
            message=message,
        )
